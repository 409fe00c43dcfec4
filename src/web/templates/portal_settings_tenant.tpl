{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>Tenant settings</h1>
<p>Power Platform's tenant-wide settings (Get-TenantSettings / Set-TenantSettings). Guests can make apps only when
"Let guests make apps" is on.</p>
{{>OUTCOME}}
<form method="post" action="{{BASE}}/settings">
  <input type="hidden" name="csrf" value="{{CSRF}}">
{{#GROUP}}  <fieldset>
  <legend>{{TITLE}}</legend>
{{#SWITCH}}  <label class="check" for="{{ID}}"><input type="checkbox" id="{{ID}}" name="{{NAME}}" value="true"{{#ON}} checked{{/ON}}{{#READONLY}} disabled{{/READONLY}}> {{LABEL}}</label>
{{/SWITCH}}  </fieldset>
{{/GROUP}}{{#CAN_SAVE}}  <button type="submit">Save settings</button>{{/CAN_SAVE}}
</form>
<details>
<summary>The whole settings document (JSON, read-only)</summary>
<pre>{{JSON}}</pre>
</details>
