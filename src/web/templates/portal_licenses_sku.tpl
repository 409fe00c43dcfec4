{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>{{PRODUCT}}</h1>
<p class="muted">{{PART}} · SKU id <code>{{SKU_ID}}</code> · {{CAPABILITY}}</p>
<p>Seats: <strong data-seats="enabled">{{ENABLED}}</strong> enabled ·
<strong data-seats="consumed">{{CONSUMED}}</strong> consumed ·
<strong data-seats="available">{{AVAILABLE}}</strong> available</p>
{{#OVERCOMMITTED}}<p class="muted">More seats are consumed than enabled: the users holding the product keep it, new
assignments are refused until seats are added.</p>{{/OVERCOMMITTED}}
<h2>Service plans</h2>
<table class="jobs plans">
<thead><tr><th>Service plan</th><th>Id</th><th>Environment access</th><th>Dataverse</th></tr></thead>
<tbody>
{{#PLAN}}<tr><td>{{NAME}}</td><td><code>{{ID}}</code></td><td>{{ENVIRONMENTS}}</td><td>{{DATAVERSE}}</td></tr>
{{/PLAN}}</tbody>
</table>
<h2>Users</h2>
{{#NO_HOLDERS}}<p class="muted">Nobody is assigned this product.</p>{{/NO_HOLDERS}}
<table class="jobs holders">
<thead><tr><th>Name</th><th>User principal name</th><th>Type</th><th>Assigned</th><th>Status</th></tr></thead>
<tbody>
{{#HOLDER}}<tr><td><a href="{{BASE}}/users/{{ID}}">{{NAME}}</a></td><td>{{UPN}}</td><td>{{TYPE}}</td>
<td>{{#PATH}}{{#DIRECT}}Direct{{/DIRECT}}{{#GROUP}}<a href="{{BASE}}/groups/{{GROUP_ID}}">{{GROUP_NAME}}</a> (group){{/GROUP}}{{#PATH_separator}}, {{/PATH_separator}}{{/PATH}}</td>
<td>{{STATUS}}</td></tr>
{{/HOLDER}}</tbody>
</table>
{{#CAN_EDIT}}<h2>Seats</h2>
<form method="post" action="{{BASE}}/licenses/{{SKU_ID}}/seats" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="seats">Seats</label>
  <input id="seats" name="seats" type="number" min="0" value="{{SEATS}}" required
         {{#SEATS_ERROR}}aria-invalid="true" aria-describedby="seats-error"{{/SEATS_ERROR}}>
  {{#SEATS_ERROR}}<p class="error" id="seats-error" role="alert">{{MESSAGE}}</p>{{/SEATS_ERROR}}
  <button type="submit">Save seats</button>
</form>{{/CAN_EDIT}}
<p><a href="{{BASE}}/licenses">All licenses</a></p>
