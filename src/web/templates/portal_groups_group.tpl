{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>{{NAME}}</h1>
<p>Type: <span data-group-type="{{TYPE}}">{{TYPE}}</span></p>
{{#DESCRIPTION}}<p>{{TEXT}}</p>{{/DESCRIPTION}}
<p class="muted">Object id: <code>{{ID}}</code>{{#MAIL}} · {{ADDRESS}}{{/MAIL}}</p>
{{#FORM_ERROR}}<p class="error" role="alert">{{MESSAGE}}</p>{{/FORM_ERROR}}
<h2>Members</h2>
{{#NO_MEMBERS}}<p class="muted">No members yet.</p>{{/NO_MEMBERS}}
<table class="jobs members">
<thead><tr><th>Name</th><th>Type</th><th>User principal name or email</th>{{#LICENSES}}<th>License status</th>{{/LICENSES}}{{#CAN_WRITE}}<th></th>{{/CAN_WRITE}}</tr></thead>
<tbody>
{{#MEMBER}}<tr><td><a href="{{HREF}}">{{NAME}}</a></td><td>{{KIND}}</td><td>{{DETAIL}}</td>{{#LICENSE_STATUS}}<td>{{TEXT}}</td>{{/LICENSE_STATUS}}{{#REMOVE}}<td>
  <form method="post" action="{{BASE}}/groups/{{GROUP_ID}}/members/remove">
    <input type="hidden" name="csrf" value="{{CSRF}}">
    <input type="hidden" name="memberId" value="{{MEMBER_ID}}">
    <button type="submit" class="secondary">Remove</button>
  </form></td>{{/REMOVE}}</tr>
{{/MEMBER}}</tbody>
</table>
{{#CAN_WRITE}}<form method="post" action="{{BASE}}/groups/{{ID}}/members" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="member">Member (user principal name, email or id)</label>
  <input id="member" name="member" value="{{MEMBER_VALUE}}" required
         {{#MEMBER_ERROR}}aria-invalid="true" aria-describedby="member-error"{{/MEMBER_ERROR}}>
  {{#MEMBER_ERROR}}<p class="error" id="member-error" role="alert">{{MESSAGE}}</p>{{/MEMBER_ERROR}}
  <button type="submit">Add member</button>
</form>{{/CAN_WRITE}}
{{#LICENSES}}<h2>Licenses</h2>
<p class="muted">Every member, including the members of nested groups, gets these licenses. A member without a usage
location gets the organization's default one.</p>
{{#NO_LICENSES}}<p class="muted">No licenses are assigned to this group.</p>{{/NO_LICENSES}}
<table class="jobs licenses">
<thead><tr><th>Product</th><th>Part number</th>{{#CAN_LICENSE}}<th></th>{{/CAN_LICENSE}}</tr></thead>
<tbody>
{{#LICENSE}}<tr><td><a href="{{BASE}}/licenses/{{SKU_ID}}">{{PRODUCT}}</a></td><td>{{PART}}</td>{{#REMOVE}}<td>
  <form method="post" action="{{BASE}}/groups/{{GROUP_ID}}/licenses/remove">
    <input type="hidden" name="csrf" value="{{CSRF}}">
    <input type="hidden" name="skuId" value="{{SKU_ID}}">
    <button type="submit" class="secondary">Remove</button>
  </form></td>{{/REMOVE}}</tr>
{{/LICENSE}}</tbody>
</table>
{{#CAN_LICENSE}}{{#ALL_ASSIGNED}}<p class="muted">Every product the organization subscribes to is assigned to this group.</p>
{{#LICENSE_ERROR}}<p class="error" id="skuId-error" role="alert">{{MESSAGE}}</p>{{/LICENSE_ERROR}}{{/ALL_ASSIGNED}}
{{#ASSIGN}}<form method="post" action="{{BASE}}/groups/{{ID}}/licenses" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="skuId">License</label>
  <select id="skuId" name="skuId" {{#LICENSE_ERROR}}aria-invalid="true" aria-describedby="skuId-error"{{/LICENSE_ERROR}}>
    <option value="">Choose a license</option>
    {{#SKU}}<option value="{{SKU_ID}}">{{PRODUCT}} ({{AVAILABLE}} of {{ENABLED}} seats available)</option>
    {{/SKU}}</select>
  {{#LICENSE_ERROR}}<p class="error" id="skuId-error" role="alert">{{MESSAGE}}</p>{{/LICENSE_ERROR}}
  <button type="submit">Assign license to group</button>
</form>{{/ASSIGN}}{{/CAN_LICENSE}}{{/LICENSES}}
{{#CAN_WRITE}}<h2>Delete</h2>
<p class="muted">Members lose what the group gave them: its licenses and the environments it secures.</p>
<form method="post" action="{{BASE}}/groups/{{ID}}/delete">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <button type="submit" class="secondary">Delete group</button>
</form>{{/CAN_WRITE}}
<p><a href="{{BASE}}/groups">All groups</a></p>
