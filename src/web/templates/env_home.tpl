{{%AUTOESCAPE context="HTML"}}<h1>{{ENV}}</h1>
<p class="muted">{{ORG}} · signed in as {{USER}}</p>
<h2>Apps</h2>
{{#APP}}<p><a href="{{HREF}}">{{NAME}}</a></p>{{/APP}}
{{#NO_APPS}}<p>No apps are shared with you in this environment yet.</p>{{/NO_APPS}}
<p><a href="{{MY_HREF}}">My environments</a></p>
