{{%AUTOESCAPE context="HTML"}}<h1>Are you trying to sign in?</h1>
<p>{{CLIENT}} wants to sign you in to {{ORG}} as {{USER}}. Only continue if you started this on your own device.</p>
<p>It asks for these permissions:</p>
<ul class="scopes">
{{#SCOPE}}  <li><strong>{{NAME}}</strong>: {{DESCRIPTION}}</li>
{{/SCOPE}}</ul>
<p class="muted">Requested from <strong>{{ORIGIN}}</strong> at {{STARTED}} (UTC); the code expires at {{EXPIRES}}.
If someone sent you this code, or you don't recognise this address or time, select Cancel.</p>
<form method="post" action="/devicelogin">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="user_code" value="{{USER_CODE}}">
  <button type="submit" name="step" value="approve">Continue</button>
  <button type="submit" name="step" value="deny" class="secondary">Cancel</button>
</form>
