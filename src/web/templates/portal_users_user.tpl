{{%AUTOESCAPE context="HTML"}}{{>NAV}}<p><a href="{{BASE}}/users">All users</a></p>
<h1>{{NAME}}</h1>

<section id="profile" aria-labelledby="profile-title">
<h2 id="profile-title">Profile</h2>
<table class="jobs">
<tbody>
<tr><th scope="row">User type</th><td data-field="userType">{{TYPE}}</td></tr>
<tr><th scope="row">User principal name</th><td data-field="userPrincipalName">{{UPN}}</td></tr>
<tr><th scope="row">Email</th><td data-field="mail">{{MAIL}}</td></tr>
<tr><th scope="row">Created</th><td data-field="createdDateTime">{{CREATED}}</td></tr>
{{#EXTERNAL}}<tr><th scope="row">Invitation state</th><td data-field="externalUserState">{{STATE}}</td></tr>{{/EXTERNAL}}
{{#PROFILE_VALUE}}<tr><th scope="row">{{LABEL}}</th><td>{{VALUE}}</td></tr>
{{/PROFILE_VALUE}}</tbody>
</table>
{{#PROFILE_FORM}}<form method="post" action="{{BASE}}/users/{{USER_ID}}/profile" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
{{#FIELD}}  <label for="{{FIELD_ID}}">{{LABEL}}</label>
  <input id="{{FIELD_ID}}" name="{{FIELD_ID}}" value="{{VALUE}}"{{#FIELD_ERROR}} aria-invalid="true" aria-describedby="{{FIELD_ID}}-error"{{/FIELD_ERROR}}>
  {{#HINT}}<p class="muted">{{TEXT}}</p>{{/HINT}}
  {{#FIELD_ERROR}}<p class="error" id="{{FIELD_ID}}-error" role="alert">{{MESSAGE}}</p>{{/FIELD_ERROR}}
{{/FIELD}}  <input type="hidden" name="accountEnabled" value="false">
  <label class="check" for="accountEnabled"><input id="accountEnabled" name="accountEnabled" type="checkbox" value="true"{{#ENABLED}} checked{{/ENABLED}}> Account enabled</label>
  <button type="submit">Save profile</button>
</form>{{/PROFILE_FORM}}
</section>

{{#LICENSES}}<section id="licenses" aria-labelledby="licenses-title">
<h2 id="licenses-title">Licenses</h2>
{{#NO_LICENSES}}<p class="muted">No licenses, directly or through a group.</p>{{/NO_LICENSES}}
<table class="jobs">
<thead><tr><th>Product</th><th>SKU part number</th><th>Assigned</th><th>State</th><th></th></tr></thead>
<tbody>
{{#LICENSE}}<tr><td>{{PRODUCT}}</td><td><code>{{PART}}</code></td>
<td>{{#DIRECT}}Directly{{/DIRECT}}{{#INHERITED}}Inherited from <a href="{{BASE}}/groups/{{GROUP_ID}}">{{GROUP_NAME}}</a>{{/INHERITED}}</td>
<td>{{STATE}}</td>
<td>{{#REMOVE_LICENSE}}<form method="post" action="{{BASE}}/users/{{USER_ID}}/licenses/remove">
  <input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="skuId" value="{{SKU_ID}}">
  <button type="submit" class="secondary">Remove</button>
</form>{{/REMOVE_LICENSE}}</td></tr>
{{/LICENSE}}</tbody>
</table>
{{#LICENSE_FORM}}<form method="post" action="{{BASE}}/users/{{USER_ID}}/licenses" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="skuId">License</label>
  <select id="skuId" name="skuId"{{#SKU_ERROR}} aria-invalid="true" aria-describedby="skuId-error"{{/SKU_ERROR}}>
    {{#SKU_OPTION}}<option value="{{VALUE}}">{{TEXT}}</option>{{/SKU_OPTION}}
  </select>
  {{#SKU_ERROR}}<p class="error" id="skuId-error" role="alert">{{MESSAGE}}</p>{{/SKU_ERROR}}
  <button type="submit">Assign license</button>
</form>{{/LICENSE_FORM}}
</section>{{/LICENSES}}

{{#GROUPS}}<section id="groups" aria-labelledby="groups-title">
<h2 id="groups-title">Groups</h2>
{{#NO_GROUPS}}<p class="muted">Not a direct member of any group.</p>{{/NO_GROUPS}}
<table class="jobs">
<thead><tr><th>Group</th><th>Type</th><th></th></tr></thead>
<tbody>
{{#GROUP}}<tr><td><a href="{{BASE}}/groups/{{GROUP_ID}}">{{GROUP_NAME}}</a></td><td>{{KIND}}</td>
<td>{{#REMOVE_GROUP}}<form method="post" action="{{BASE}}/users/{{USER_ID}}/groups/remove">
  <input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="groupId" value="{{GROUP_ID}}">
  <button type="submit" class="secondary">Remove</button>
</form>{{/REMOVE_GROUP}}</td></tr>
{{/GROUP}}</tbody>
</table>
{{#GROUP_FORM}}<form method="post" action="{{BASE}}/users/{{USER_ID}}/groups" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="groupId">Add to group</label>
  <select id="groupId" name="groupId"{{#GROUP_ERROR}} aria-invalid="true" aria-describedby="groupId-error"{{/GROUP_ERROR}}>
    {{#GROUP_OPTION}}<option value="{{VALUE}}">{{TEXT}}</option>{{/GROUP_OPTION}}
  </select>
  {{#GROUP_ERROR}}<p class="error" id="groupId-error" role="alert">{{MESSAGE}}</p>{{/GROUP_ERROR}}
  <button type="submit">Add to group</button>
</form>{{/GROUP_FORM}}
</section>{{/GROUPS}}

{{#ROLES}}<section id="roles" aria-labelledby="roles-title">
<h2 id="roles-title">Directory roles</h2>
{{#NO_ROLES}}<p class="muted">No directory roles.</p>{{/NO_ROLES}}
<table class="jobs">
<thead><tr><th>Role</th><th>Assigned</th><th></th></tr></thead>
<tbody>
{{#ROLE}}<tr><td>{{ROLE_NAME}}</td>
<td>{{#DIRECT}}Directly{{/DIRECT}}{{#VIA}}Through <a href="{{BASE}}/groups/{{GROUP_ID}}">{{GROUP_NAME}}</a>{{/VIA}}</td>
<td>{{#REMOVE_ROLE}}<form method="post" action="{{BASE}}/users/{{USER_ID}}/roles/remove">
  <input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="assignmentId" value="{{ASSIGNMENT_ID}}">
  <button type="submit" class="secondary">Remove</button>
</form>{{/REMOVE_ROLE}}</td></tr>
{{/ROLE}}</tbody>
</table>
{{#ROLE_FORM}}<form method="post" action="{{BASE}}/users/{{USER_ID}}/roles" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="roleId">Directory role</label>
  <select id="roleId" name="roleId"{{#ROLE_ERROR}} aria-invalid="true" aria-describedby="roleId-error"{{/ROLE_ERROR}}>
    {{#ROLE_OPTION}}<option value="{{VALUE}}">{{TEXT}}</option>{{/ROLE_OPTION}}
  </select>
  {{#ROLE_ERROR}}<p class="error" id="roleId-error" role="alert">{{MESSAGE}}</p>{{/ROLE_ERROR}}
  <button type="submit">Assign role</button>
</form>{{/ROLE_FORM}}
</section>{{/ROLES}}

{{#ENVIRONMENTS}}<section id="environments" aria-labelledby="environments-title">
<h2 id="environments-title">Environment roles</h2>
{{#NO_ENVIRONMENTS}}<p class="muted">The organization has no environments.</p>{{/NO_ENVIRONMENTS}}
<table class="jobs">
<thead><tr><th>Environment</th><th>Security roles</th></tr></thead>
<tbody>
{{#ENVIRONMENT}}<tr><td><a href="{{BASE}}/environments/{{ENV_ID}}">{{ENV_NAME}}</a></td>
<td>{{SECURITY_ROLES}}{{#NO_SECURITY_ROLE}}<span class="muted">None</span>{{/NO_SECURITY_ROLE}}</td></tr>
{{/ENVIRONMENT}}</tbody>
</table>
</section>{{/ENVIRONMENTS}}

{{#INVITATION}}<section id="invitation" aria-labelledby="invitation-title">
<h2 id="invitation-title">Invitation</h2>
<p>Invitation state: <strong data-status="{{INVITATION_STATE}}">{{INVITATION_STATE}}</strong>{{#CHANGED}} (since {{AT}}){{/CHANGED}}</p>
{{#NOTICE}}<div role="status">
  <p>{{TEXT}}</p>
  {{#LINK}}<label for="redeem">Redemption link (share it yourself if the email doesn't arrive)</label>
  <input id="redeem" readonly name="redeem" value="{{REDEEM}}">{{/LINK}}
</div>{{/NOTICE}}
{{#INVITATION_ERROR}}<p class="error" id="invitation-error" role="alert">{{MESSAGE}}</p>{{/INVITATION_ERROR}}
{{#RESEND}}<form method="post" action="{{BASE}}/users/{{USER_ID}}/invitation/resend">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <button type="submit">Resend invitation</button>
</form>{{/RESEND}}
<form method="post" action="{{BASE}}/users/{{USER_ID}}/invitation/reset">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <button type="submit" class="secondary">Reset redemption status</button>
</form>
</section>{{/INVITATION}}

{{#AUDIT}}<section id="audit" aria-labelledby="audit-title">
<h2 id="audit-title">Audit trail</h2>
{{#NO_AUDIT}}<p class="muted">No changes recorded.</p>{{/NO_AUDIT}}
<table class="jobs">
<thead><tr><th>Date</th><th>Activity</th><th>Initiated by</th><th>Result</th></tr></thead>
<tbody>
{{#ENTRY}}<tr><td>{{DATE}}</td><td>{{ACTIVITY}}</td><td>{{ACTOR}}</td><td>{{RESULT}}</td></tr>
{{/ENTRY}}</tbody>
</table>
</section>{{/AUDIT}}
