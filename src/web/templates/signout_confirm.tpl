{{%AUTOESCAPE context="HTML"}}<h1>Sign out?</h1>
<p>You are signed in to Gatehouse on this browser{{#USER}} as {{NAME}}{{/USER}}.</p>
<form method="post" action="{{ACTION}}">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  {{#FIELD}}<input type="hidden" name="{{NAME}}" value="{{VALUE}}">{{/FIELD}}
  <button type="submit">Sign out</button>
  <a class="button secondary" href="/">Stay signed in</a>
</form>
