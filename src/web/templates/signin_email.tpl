{{%AUTOESCAPE context="HTML"}}<h1>Sign in</h1>
<p class="muted">to continue to {{ORG}}</p>
<form method="post" action="/login" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="tenant" value="{{TENANT}}">
  <input type="hidden" name="continue" value="{{CONTINUE}}">
  <input type="hidden" name="step" value="email">
  <label for="email">Email address</label>
  <input id="email" name="email" type="email" autocomplete="username" value="{{EMAIL}}" required autofocus
         {{#ERROR}}aria-invalid="true" aria-describedby="email-error"{{/ERROR}}>
  {{#ERROR}}<p class="error" id="email-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <button type="submit">Next</button>
</form>
