{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>Environments</h1>
<p class="muted">Who may enter an environment depends on its security group, the person's licence from {{ORG}}
and their security roles there.</p>
<table class="jobs environments">
<thead><tr><th>Name</th><th>Type</th><th>URL</th><th>Security group</th><th>Dataverse</th><th>State</th></tr></thead>
<tbody>
{{#ENV}}<tr data-environment="{{UNIQUE}}"><td><a href="{{HREF}}">{{NAME}}</a></td><td>{{TYPE}}</td><td><a href="{{URL}}">{{URL}}</a></td><td>{{GROUP}}</td><td>{{DATAVERSE}}</td><td>{{STATE}}</td></tr>
{{/ENV}}</tbody>
</table>
{{#CAN_WRITE}}<h2 id="new">New environment</h2>
{{#FORM_ERROR}}<p class="error" id="form-error" role="alert">{{MESSAGE}}</p>{{/FORM_ERROR}}
<form method="post" action="{{BASE}}/environments" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="displayName">Environment name</label>
  <input id="displayName" name="displayName" value="{{DISPLAY_NAME}}" maxlength="100" required
         {{#DISPLAY_NAME_ERROR}}aria-invalid="true" aria-describedby="displayName-error"{{/DISPLAY_NAME_ERROR}}>
  {{#DISPLAY_NAME_ERROR}}<p class="error" id="displayName-error" role="alert">{{MESSAGE}}</p>{{/DISPLAY_NAME_ERROR}}
  <label for="uniqueName">Unique name</label>
  <input id="uniqueName" name="uniqueName" value="{{UNIQUE_NAME}}" maxlength="63"
         {{#UNIQUE_NAME_ERROR}}aria-invalid="true" aria-describedby="uniqueName-error"{{/UNIQUE_NAME_ERROR}}>
  {{#UNIQUE_NAME_ERROR}}<p class="error" id="uniqueName-error" role="alert">{{MESSAGE}}</p>{{/UNIQUE_NAME_ERROR}}
  <p class="muted">The environment's address is /env/&lt;unique name&gt;: lower-case letters, digits and hyphens.
  Leave it empty to derive it from the name.</p>
  <label for="type">Type</label>
  <select id="type" name="type" {{#TYPE_ERROR}}aria-invalid="true" aria-describedby="type-error"{{/TYPE_ERROR}}>
    {{#TYPE_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{TEXT}}</option>{{/TYPE_OPTION}}
  </select>
  {{#TYPE_ERROR}}<p class="error" id="type-error" role="alert">{{MESSAGE}}</p>{{/TYPE_ERROR}}
  <label class="check" for="dataverse"><input type="checkbox" id="dataverse" name="dataverse" value="true"{{#DATAVERSE_CHECKED}} checked{{/DATAVERSE_CHECKED}}> Dataverse</label>
  <label for="securityGroupId">Security group</label>
  <select id="securityGroupId" name="securityGroupId"
          {{#SECURITY_GROUP_ERROR}}aria-invalid="true" aria-describedby="securityGroupId-error"{{/SECURITY_GROUP_ERROR}}>
    <option value="">None</option>
    {{#GROUP_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{TEXT}}</option>{{/GROUP_OPTION}}
  </select>
  {{#SECURITY_GROUP_ERROR}}<p class="error" id="securityGroupId-error" role="alert">{{MESSAGE}}</p>{{/SECURITY_GROUP_ERROR}}
  <p class="muted">Optional: only the group's members (and administrators) may enter. Not for Developer environments.</p>
  <button type="submit">Create environment</button>
</form>{{/CAN_WRITE}}
