{{%AUTOESCAPE context="HTML"}}<h1>Verify email</h1>
<p>We sent a code to {{EMAIL}}. Enter it to finish creating your account. The code works for 30 minutes.</p>
<p class="muted">No code? You may already have an account with this address: sign in instead.</p>
<form method="post" action="/signup" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="continue" value="{{CONTINUE}}">
  <input type="hidden" name="email" value="{{EMAIL}}">
  <input type="hidden" name="step" value="verify">
  <label for="code">Code</label>
  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus
         {{#ERROR}}aria-invalid="true" aria-describedby="code-error"{{/ERROR}}>
  {{#ERROR}}<p class="error" id="code-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <button type="submit">Create account</button>
</form>
