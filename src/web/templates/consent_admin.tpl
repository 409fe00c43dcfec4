{{%AUTOESCAPE context="HTML"}}<h1>Need admin approval</h1>
<p class="muted">{{USER}}</p>
<p><strong>{{APP}}</strong><br><span class="muted">{{PUBLISHER}}</span></p>
<p>{{APP}} needs permission to access resources in {{ORG}} that only an admin can grant. Ask an admin to grant
permission to this app before you can use it.</p>
<ul class="permissions">
{{#PERMISSION}}<li data-scope="{{SCOPE}}"><strong>{{NAME}}</strong><br>{{TEXT}}</li>
{{/PERMISSION}}</ul>
<p class="muted">AADSTS90094: An administrator of {{ORG}} (a Global Administrator or Privileged Role
Administrator) can consent for the organization, here or with <code>gatehouse apps consent</code>.</p>
{{#RETURN}}<form method="post" action="/consent">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="kind" value="{{KIND}}">
  <input type="hidden" name="tenant" value="{{TENANT}}">
  <input type="hidden" name="request" value="{{REQUEST}}">
  <input type="hidden" name="user_code" value="{{USER_CODE}}">
  <button type="submit" name="action" value="cancel" class="secondary">Return to the application without granting consent</button>
</form>{{/RETURN}}
