{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>Cross-tenant access settings</h1>
<p>Which people and applications of other organizations may collaborate with {{ORG}} (inbound), and which of
{{ORG}}'s may collaborate with other organizations (outbound). Organizations not listed get the default settings.</p>
{{>OUTCOME}}
<h2>Organizational settings</h2>
{{#NO_PARTNERS}}<p class="muted">No organizations added: every external organization gets the default settings.</p>{{/NO_PARTNERS}}
{{#HAS_PARTNERS}}<table class="jobs">
<thead><tr><th>Organization</th><th>Tenant ID</th><th>Inbound access</th><th>Outbound access</th></tr></thead>
<tbody>
{{#PARTNER}}<tr><td><a href="{{HREF}}">{{NAME}}</a></td><td><code>{{ID}}</code></td><td>{{INBOUND}}</td><td>{{OUTBOUND}}</td></tr>
{{/PARTNER}}</tbody>
</table>{{/HAS_PARTNERS}}
{{#CAN_SAVE}}<form method="post" action="{{BASE}}/cross-tenant/partners" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="organization">Tenant ID or domain</label>
  <input id="organization" name="organization" value="{{ORGANIZATION}}"{{#ORGANIZATION_ERROR}} aria-invalid="true" aria-describedby="organization-error"{{/ORGANIZATION_ERROR}}>
  {{#ORGANIZATION_ERROR}}<p class="error" id="organization-error" role="alert">{{MESSAGE}}</p>{{/ORGANIZATION_ERROR}}
  <button type="submit">Add organization</button>
</form>{{/CAN_SAVE}}
<h2>Default settings</h2>
<form method="post" action="{{BASE}}/cross-tenant" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
{{>B2B}}
{{#CAN_SAVE}}  <button type="submit">Save default settings</button>{{/CAN_SAVE}}
</form>
<h2>Microsoft cloud settings</h2>
<form method="post" action="{{BASE}}/cross-tenant/clouds" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <fieldset>
  <legend>Collaborate with organizations in other Microsoft clouds</legend>
{{#CLOUD}}  <label class="check" for="{{ID}}"><input type="checkbox" id="{{ID}}" name="cloud" value="{{VALUE}}"{{#CHECKED}} checked{{/CHECKED}}{{#READONLY}} disabled{{/READONLY}}{{#INVALID}} aria-invalid="true" aria-describedby="cloud-error"{{/INVALID}}> {{TEXT}}</label>
{{/CLOUD}}{{#CLOUD_ERROR}}  <p class="error" id="cloud-error" role="alert">{{MESSAGE}}</p>
{{/CLOUD_ERROR}}  </fieldset>
{{#CAN_SAVE}}  <button type="submit">Save Microsoft cloud settings</button>{{/CAN_SAVE}}
</form>
