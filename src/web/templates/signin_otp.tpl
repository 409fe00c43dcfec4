{{%AUTOESCAPE context="HTML"}}<h1>Enter code</h1>
<p>If {{EMAIL}} may sign in to {{ORG}}, we sent a code to it. The code works for 30 minutes.</p>
<form method="post" action="/login" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="tenant" value="{{TENANT}}">
  <input type="hidden" name="continue" value="{{CONTINUE}}">
  <input type="hidden" name="email" value="{{EMAIL}}">
  <input type="hidden" name="step" value="otp">
  <label for="code">Code</label>
  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus
         {{#ERROR}}aria-invalid="true" aria-describedby="code-error"{{/ERROR}}>
  {{#ERROR}}<p class="error" id="code-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <button type="submit">Sign in</button>
</form>
