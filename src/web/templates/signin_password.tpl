{{%AUTOESCAPE context="HTML"}}<h1>Enter password</h1>
<p class="muted">{{EMAIL}} · {{HOME}} account</p>
<form method="post" action="/login" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="tenant" value="{{TENANT}}">
  <input type="hidden" name="continue" value="{{CONTINUE}}">
  <input type="hidden" name="email" value="{{EMAIL}}">
  <input type="hidden" name="step" value="password">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required autofocus
         {{#ERROR}}aria-invalid="true" aria-describedby="password-error"{{/ERROR}}>
  {{#ERROR}}<p class="error" id="password-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <button type="submit">Sign in</button>
</form>
{{#SIGNUP}}<p>No account? <a href="{{HREF}}">Create one</a></p>{{/SIGNUP}}
