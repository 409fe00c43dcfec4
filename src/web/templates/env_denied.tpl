{{%AUTOESCAPE context="HTML"}}<h1>You can't open {{ENV}}</h1>
<p>You are signed in, but {{ORG}} hasn't given you everything you need to use {{ENV}} yet. An administrator
has to do a few things first. Here is what is missing:</p>
<ul class="checks">
{{#FAILED}}<li class="failed" data-check="{{ID}}"><p>{{SENTENCE}}</p>
<p>Ask your administrator ({{CONTACT}}) to: {{REMEDY}}</p></li>{{/FAILED}}
</ul>
<p>Whom to ask: <strong>{{CONTACT}}</strong>, the administrator of {{ORG}}. Send them the list above; once it is
done, open this page again.</p>
<p><a href="{{MY_HREF}}">My environments</a> — the environments of {{ORG}} you can open.</p>
