{{%AUTOESCAPE context="HTML"}}<h1>Signing you in…</h1>
<form method="post" action="{{ACTION}}" id="form_post">
  {{#FIELD}}<input type="hidden" name="{{NAME}}" value="{{VALUE}}">{{/FIELD}}
  <noscript><button type="submit">Continue</button></noscript>
</form>
<script src="/static/autosubmit.js"></script>
