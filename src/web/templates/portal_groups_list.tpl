{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>Groups</h1>
<form method="get" action="{{BASE}}/groups" class="filters">
  <label for="q">Search (start of the name)</label>
  <input id="q" name="q" type="search" value="{{Q}}">
  <label for="type">Type</label>
  <select id="type" name="type">
    <option value="" {{TYPE_ANY}}>All</option><option value="security" {{TYPE_security}}>Security</option>
    <option value="microsoft365" {{TYPE_microsoft365}}>Microsoft 365</option>
  </select>
  <button type="submit">Filter</button>
</form>
{{#NO_GROUPS}}<p class="muted">No groups match.</p>{{/NO_GROUPS}}
<table class="jobs groups">
<thead><tr><th>Name</th><th>Type</th><th>Description</th></tr></thead>
<tbody>
{{#GROUP}}<tr><td><a href="{{BASE}}/groups/{{ID}}">{{NAME}}</a></td><td>{{TYPE}}</td><td>{{DESCRIPTION}}</td></tr>
{{/GROUP}}</tbody>
</table>
{{#NEXT}}<p><a class="button" href="{{HREF}}" rel="next">Next page</a></p>{{/NEXT}}
{{#CAN_CREATE}}<h2>New group</h2>
<form method="post" action="{{BASE}}/groups" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="displayName">Group name</label>
  <input id="displayName" name="displayName" value="{{NAME}}" required
         {{#NAME_ERROR}}aria-invalid="true" aria-describedby="displayName-error"{{/NAME_ERROR}}>
  {{#NAME_ERROR}}<p class="error" id="displayName-error" role="alert">{{MESSAGE}}</p>{{/NAME_ERROR}}
  <label for="description">Description</label>
  <textarea id="description" name="description" rows="2"
            {{#DESCRIPTION_ERROR}}aria-invalid="true" aria-describedby="description-error"{{/DESCRIPTION_ERROR}}>{{DESCRIPTION}}</textarea>
  {{#DESCRIPTION_ERROR}}<p class="error" id="description-error" role="alert">{{MESSAGE}}</p>{{/DESCRIPTION_ERROR}}
  <label for="groupType">Group type</label>
  <select id="groupType" name="groupType"
          {{#GROUP_TYPE_ERROR}}aria-invalid="true" aria-describedby="groupType-error"{{/GROUP_TYPE_ERROR}}>
    <option value="security" {{GT_security}}>Security</option>
    <option value="microsoft365" {{GT_microsoft365}}>Microsoft 365</option>
  </select>
  {{#GROUP_TYPE_ERROR}}<p class="error" id="groupType-error" role="alert">{{MESSAGE}}</p>{{/GROUP_TYPE_ERROR}}
  {{#CAN_ROLE_ASSIGNABLE}}<label><input type="checkbox" name="isAssignableToRole" value="true" {{ROLE_ASSIGNABLE}}>
    Directory roles can be assigned to the group (only Global and Privileged Role Administrators can then change
    its members; it can't be changed later)</label>{{/CAN_ROLE_ASSIGNABLE}}
  <button type="submit">Create group</button>
</form>{{/CAN_CREATE}}
