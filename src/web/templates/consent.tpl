{{%AUTOESCAPE context="HTML"}}<h1>Permissions requested</h1>
<p class="muted">{{USER}}</p>
<p><strong>{{APP}}</strong><br><span class="muted">{{PUBLISHER}}</span></p>
<p>This app would like to:</p>
<ul class="permissions">
{{#PERMISSION}}<li data-scope="{{SCOPE}}"><strong>{{NAME}}</strong>{{#ADMIN}} <span class="muted">(needs an administrator)</span>{{/ADMIN}}<br>{{TEXT}}</li>
{{/PERMISSION}}</ul>
<form method="post" action="/consent">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="kind" value="{{KIND}}">
  <input type="hidden" name="tenant" value="{{TENANT}}">
  <input type="hidden" name="request" value="{{REQUEST}}">
  <input type="hidden" name="user_code" value="{{USER_CODE}}">
  {{#ORG_CONSENT}}<p><label><input type="checkbox" name="organization" value="1"> Consent on behalf of your organization</label>
  <br><span class="muted">Everyone in {{ORG}} can then use the app with these permissions without being asked.</span></p>{{/ORG_CONSENT}}
  <p class="muted">Accepting lets this app use your data as described above. Only accept if you trust
  {{PUBLISHER_NAME}}. An administrator of {{ORG}} can withdraw the permissions later.</p>
  <button type="submit" name="action" value="accept">Accept</button>
  <button type="submit" name="action" value="cancel" class="secondary">Cancel</button>
</form>
