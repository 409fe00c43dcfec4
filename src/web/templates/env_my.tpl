{{%AUTOESCAPE context="HTML"}}<h1>My environments</h1>
<p class="muted">{{ORG}} · signed in as {{USER}}</p>
{{#NO_ENVIRONMENTS}}<p>{{ORG}} has no environments yet.</p>{{/NO_ENVIRONMENTS}}
{{#HAS_OPEN}}<h2>You can open</h2>
<ul class="environments">
{{#OPEN}}<li data-environment="{{UNIQUE}}" data-allowed="true"><a href="{{URL}}">{{NAME}}</a> <span class="muted">{{URL}}</span></li>
{{/OPEN}}</ul>{{/HAS_OPEN}}
{{#HAS_CLOSED}}<h2>Not open to you yet</h2>
<ul class="environments">
{{#CLOSED}}<li data-environment="{{UNIQUE}}" data-allowed="false"><strong>{{NAME}}</strong>
<ul class="checks">
{{#FAILED}}<li class="failed" data-check="{{ID}}"><p>{{SENTENCE}}</p>
<p>Ask your administrator ({{CONTACT}}) to: {{REMEDY}}</p></li>{{/FAILED}}
</ul></li>
{{/CLOSED}}</ul>
<p>Whom to ask: <strong>{{CONTACT}}</strong>, the administrator of {{ORG}}.</p>{{/HAS_CLOSED}}
