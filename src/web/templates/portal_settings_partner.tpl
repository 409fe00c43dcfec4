{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>{{NAME}}</h1>
<p>Tenant ID <code>{{ID}}</code> · <a href="{{BASE}}/cross-tenant">All cross-tenant access settings</a></p>
{{>OUTCOME}}
<form method="post" action="{{BASE}}/cross-tenant/{{ID}}" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
{{>B2B}}
{{#CAN_SAVE}}  <button type="submit">Save partner settings</button>{{/CAN_SAVE}}
</form>
{{#CAN_SAVE}}<form method="post" action="{{BASE}}/cross-tenant/{{ID}}/remove">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <button type="submit" class="secondary">Remove partner</button>
</form>{{/CAN_SAVE}}
