{{%AUTOESCAPE context="HTML"}}<h1>Create account</h1>
<p class="muted">A personal account for your outlook.com, hotmail.com, live.com or msn.com address.</p>
<form method="post" action="/signup" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="continue" value="{{CONTINUE}}">
  <input type="hidden" name="step" value="form">
  {{#ERROR}}<p class="error" id="signup-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <label for="email">Email address</label>
  <input id="email" name="email" type="email" autocomplete="username" value="{{EMAIL}}" required
         {{#ERROR}}aria-describedby="signup-error"{{/ERROR}}>
  <label for="display_name">Name</label>
  <input id="display_name" name="display_name" autocomplete="name" value="{{DISPLAY_NAME}}" required>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="new-password" required>
  <label for="confirm">Confirm password</label>
  <input id="confirm" name="confirm" type="password" autocomplete="new-password" required>
  <button type="submit">Next</button>
</form>
