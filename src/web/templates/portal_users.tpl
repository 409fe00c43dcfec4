{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>Users</h1>
<form method="get" action="{{BASE}}/users" class="filters">
  <label for="q">Search (start of name, user principal name or email)</label>
  <input id="q" name="q" type="search" value="{{Q}}">
  <label for="type">User type</label>
  <select id="type" name="type">
    <option value="" {{TYPE_ANY}}>All</option><option value="Member" {{TYPE_Member}}>Members</option>
    <option value="Guest" {{TYPE_Guest}}>Guests</option>
  </select>
  <label for="state">Invitation state</label>
  <select id="state" name="state">
    <option value="" {{STATE_ANY}}>Any</option><option value="PendingAcceptance" {{STATE_PendingAcceptance}}>Pending acceptance</option>
    <option value="Accepted" {{STATE_Accepted}}>Accepted</option>
  </select>
  <button type="submit">Filter</button>
</form>
{{#NO_USERS}}<p class="muted">No users match.</p>{{/NO_USERS}}
<table class="jobs users">
<thead><tr><th>Name</th><th>User principal name</th><th>Email</th><th>Type</th><th>Invitation</th></tr></thead>
<tbody>
{{#USER}}<tr><td><a href="{{BASE}}/users/{{ID}}">{{NAME}}</a></td><td>{{UPN}}</td><td>{{MAIL}}</td><td>{{TYPE}}</td><td>{{STATE}}</td></tr>
{{/USER}}</tbody>
</table>
{{#NEXT}}<p><a class="button" href="{{HREF}}" rel="next">Next page</a></p>{{/NEXT}}
