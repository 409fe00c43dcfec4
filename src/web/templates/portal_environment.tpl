{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>{{NAME}}</h1>
<p class="muted">{{TYPE}} · {{STATE}} · Dataverse: {{DATAVERSE}} · unique name <code>{{UNIQUE}}</code> · id <code>{{ENV_ID}}</code></p>
<p>URL: <a href="{{URL}}">{{URL}}</a></p>
<p><a href="{{BASE}}/environments">All environments</a></p>

<h2 id="security-group">Security group</h2>
{{#HAS_GROUP}}<p>Only members of <strong>{{GROUP_NAME}}</strong> (and administrators) may enter.</p>{{/HAS_GROUP}}
{{#NO_GROUP}}<p>No security group: every licensed user of {{ORG}} with a security role here may enter.</p>{{/NO_GROUP}}
{{#CAN_WRITE}}<form method="post" action="{{BASE}}/environments/{{ENV_ID}}/security-group" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="securityGroupId">Security group</label>
  <select id="securityGroupId" name="securityGroupId"
          {{#SECURITY_GROUP_ERROR}}aria-invalid="true" aria-describedby="securityGroupId-error"{{/SECURITY_GROUP_ERROR}}>
    <option value="">None</option>
    {{#GROUP_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{TEXT}}</option>{{/GROUP_OPTION}}
  </select>
  {{#SECURITY_GROUP_ERROR}}<p class="error" id="securityGroupId-error" role="alert">{{MESSAGE}}</p>{{/SECURITY_GROUP_ERROR}}
  <button type="submit">Save security group</button>
</form>{{/CAN_WRITE}}

<h2 id="users">Users</h2>
{{#NO_USERS}}<p class="muted">Nobody has entered yet: people are added when they first open the environment's URL.</p>{{/NO_USERS}}
{{#HAS_USERS}}<table class="jobs">
<thead><tr><th>User</th><th>User principal name</th><th>State</th><th>Added by</th><th>Since</th></tr></thead>
<tbody>
{{#USER}}<tr data-user="{{USER_ID}}"><td><a href="{{HREF}}">{{NAME}}</a></td><td>{{UPN}}</td><td data-state="{{STATE}}">{{STATE}}</td><td>{{ADDED_BY}}</td><td>{{SINCE}}</td></tr>
{{/USER}}</tbody>
</table>{{/HAS_USERS}}

<h2 id="roles">Security roles</h2>
<p>Roles of this environment: {{#ROLE}}{{NAME}}{{#ROLE_separator}}, {{/ROLE_separator}}{{/ROLE}}.</p>
{{#ASSIGNMENTS_ERROR}}<p class="error" id="assignments-error" role="alert">{{MESSAGE}}</p>{{/ASSIGNMENTS_ERROR}}
{{#NO_ASSIGNMENTS}}<p class="muted">Nobody holds a security role here yet.</p>{{/NO_ASSIGNMENTS}}
{{#HAS_ASSIGNMENTS}}<table class="jobs">
<thead><tr><th>User or group</th><th>Kind</th><th>Role</th><th>Assigned</th><th></th></tr></thead>
<tbody>
{{#ASSIGNMENT}}<tr data-assignment="{{ID}}"><td><a href="{{HREF}}">{{NAME}}</a></td><td>{{KIND}}</td><td>{{ROLE_NAME}}</td><td>{{SINCE}}</td>
<td>{{#REMOVABLE}}<form method="post" action="{{BASE}}/environments/{{ENV_ID}}/roles/remove" class="inline">
  <input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="assignmentId" value="{{ID}}">
  <button type="submit" class="secondary" aria-label="Remove {{ROLE_NAME}} from {{NAME}}">Remove</button>
</form>{{/REMOVABLE}}</td></tr>
{{/ASSIGNMENT}}</tbody>
</table>{{/HAS_ASSIGNMENTS}}
{{#CAN_WRITE}}<form method="post" action="{{BASE}}/environments/{{ENV_ID}}/roles" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="principal">User or group (user principal name, email, group name or id)</label>
  <input id="principal" name="principal" value="{{PRINCIPAL}}" required
         {{#PRINCIPAL_ERROR}}aria-invalid="true" aria-describedby="principal-error"{{/PRINCIPAL_ERROR}}>
  {{#PRINCIPAL_ERROR}}<p class="error" id="principal-error" role="alert">{{MESSAGE}}</p>{{/PRINCIPAL_ERROR}}
  <label for="roleId">Security role</label>
  <select id="roleId" name="roleId" {{#ROLE_ERROR}}aria-invalid="true" aria-describedby="roleId-error"{{/ROLE_ERROR}}>
    {{#ROLE_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{TEXT}}</option>{{/ROLE_OPTION}}
  </select>
  {{#ROLE_ERROR}}<p class="error" id="roleId-error" role="alert">{{MESSAGE}}</p>{{/ROLE_ERROR}}
  <button type="submit">Assign role</button>
</form>{{/CAN_WRITE}}

<h2 id="notify">Notify users</h2>
<p>Email people the address of {{NAME}}, each in their preferred language.</p>
{{#NOTIFY_RESULTS}}<p class="notice" role="status">Notices sent: {{QUEUED}} of {{TOTAL}}.</p>
<table class="jobs">
<thead><tr><th>User</th><th>Email</th><th>Outcome</th></tr></thead>
<tbody>
{{#NOTIFIED}}<tr data-outcome="{{OUTCOME}}"><td>{{WHO}}</td><td>{{EMAIL}}</td><td>{{OUTCOME_TEXT}}</td></tr>
{{/NOTIFIED}}</tbody>
</table>{{/NOTIFY_RESULTS}}
{{#CAN_WRITE}}<form method="post" action="{{BASE}}/environments/{{ENV_ID}}/notify" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="users">Users to notify</label>
  <textarea id="users" name="users" rows="4"
            {{#NOTIFY_ERROR}}aria-invalid="true" aria-describedby="users-error"{{/NOTIFY_ERROR}}>{{NOTIFY_USERS}}</textarea>
  {{#NOTIFY_ERROR}}<p class="error" id="users-error" role="alert">{{MESSAGE}}</p>{{/NOTIFY_ERROR}}
  <p class="muted">One user principal name, email address or object id a line.</p>
  <label class="check" for="all"><input type="checkbox" id="all" name="all" value="true"> All users with access</label>
  <button type="submit">Send notice</button>
</form>{{/CAN_WRITE}}

<h2 id="review">Access review</h2>
<p>Who holds a security role here, directly or through a group.</p>
<form method="get" action="{{BASE}}/environments/{{ENV_ID}}#review" class="filters">
  <label for="reviewRole">Role to review</label>
  <select id="reviewRole" name="role">
    <option value="">All roles</option>
    {{#REVIEW_ROLE}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{TEXT}}</option>{{/REVIEW_ROLE}}
  </select>
  <label class="check" for="guests"><input type="checkbox" id="guests" name="guests" value="true"{{#GUESTS_ONLY}} checked{{/GUESTS_ONLY}}> Guests only</label>
  <button type="submit" class="secondary">Filter</button>
</form>
{{#REMOVAL_RESULTS}}<p class="notice" role="status">Access removed: {{REMOVED}} of {{TOTAL}}.</p>
<table class="jobs">
<thead><tr><th>User</th><th>Role</th><th>Result</th><th>Details</th></tr></thead>
<tbody>
{{#REMOVAL}}<tr data-result="{{RESULT}}"><td>{{WHO}}</td><td>{{ROLE_NAME}}</td><td>{{RESULT_TEXT}}</td><td>{{MESSAGE}}</td></tr>
{{/REMOVAL}}</tbody>
</table>{{/REMOVAL_RESULTS}}
{{#REVIEW_ERROR}}<p class="error" id="review-error" role="alert">{{MESSAGE}}</p>{{/REVIEW_ERROR}}
{{#NO_HOLDERS}}<p class="muted">Nobody matches.</p>{{/NO_HOLDERS}}
{{#HAS_HOLDERS}}<form method="post" action="{{REVIEW_ACTION}}" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <table class="jobs">
  <thead><tr><th>User</th><th>User principal name</th><th>User type</th><th>Role</th><th>Assigned via</th><th>Since</th></tr></thead>
  <tbody>
  {{#HOLDER}}<tr data-holder="{{ID}}"><td>{{#REMOVABLE}}<label class="check" for="remove-{{ID}}"><input type="checkbox" id="remove-{{ID}}" name="remove" value="{{ID}}"> {{NAME}}</label>{{/REMOVABLE}}{{#READ_ONLY}}{{NAME}}{{/READ_ONLY}}</td>
  <td>{{UPN}}</td><td>{{USER_TYPE}}</td><td>{{ROLE_NAME}}</td><td>{{VIA}}</td><td>{{SINCE}}</td></tr>
  {{/HOLDER}}</tbody>
  </table>
  {{#CAN_WRITE}}<button type="submit">Remove selected access</button>{{/CAN_WRITE}}
</form>{{/HAS_HOLDERS}}
