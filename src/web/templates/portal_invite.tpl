{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>New guest user</h1>
<p>Invite someone from another organisation. They get an email with a link, sign in with the account they
already have, accept, and land on the redirect URL.</p>
<form method="post" action="{{BASE}}/users/invite" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="email">Email address</label>
  <input id="email" name="email" type="email" value="{{EMAIL}}" required autofocus
         {{#EMAIL_ERROR}}aria-invalid="true" aria-describedby="email-error"{{/EMAIL_ERROR}}>
  {{#EMAIL_ERROR}}<p class="error" id="email-error" role="alert">{{MESSAGE}}</p>{{/EMAIL_ERROR}}
  <label for="displayName">Display name (optional)</label>
  <input id="displayName" name="displayName" value="{{NAME}}">
  <label for="redirectUrl">Redirect URL</label>
  <input id="redirectUrl" name="redirectUrl" type="url" value="{{REDIRECT}}"
         {{#REDIRECT_ERROR}}aria-invalid="true" aria-describedby="redirect-error"{{/REDIRECT_ERROR}}>
  {{#REDIRECT_ERROR}}<p class="error" id="redirect-error" role="alert">{{MESSAGE}}</p>{{/REDIRECT_ERROR}}
  <label for="message">Personal message (optional)</label>
  <textarea id="message" name="message" rows="3">{{MESSAGE_TEXT}}</textarea>
  {{#GROUP_CHOICES}}<fieldset{{#GROUPS_ERROR}} aria-describedby="groups-error"{{/GROUPS_ERROR}}>
    <legend>Add to groups</legend>
    {{#CHOICE}}<label class="check" for="group-{{ID}}"><input id="group-{{ID}}" type="checkbox" name="groups" value="{{ID}}"{{#CHECKED}} checked{{/CHECKED}}> {{GROUP_NAME}}</label>
    {{/CHOICE}}{{#GROUPS_ERROR}}<p class="error" id="groups-error" role="alert">{{MESSAGE}}</p>{{/GROUPS_ERROR}}
  </fieldset>{{/GROUP_CHOICES}}
  <label class="check"><input type="checkbox" name="sendEmail" value="true" checked> Send the invitation email</label>
  <button type="submit">Invite</button>
</form>
