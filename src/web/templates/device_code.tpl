{{%AUTOESCAPE context="HTML"}}<h1>Enter code</h1>
<p>Enter the code shown on your device or in your terminal.</p>
<form method="post" action="/devicelogin" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="step" value="code">
  <label for="user_code">Code</label>
  <input id="user_code" name="user_code" value="{{USER_CODE}}" autocomplete="off" required autofocus
         {{#ERROR}}aria-invalid="true" aria-describedby="code-error"{{/ERROR}}>
  {{#ERROR}}<p class="error" id="code-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <button type="submit">Next</button>
</form>
