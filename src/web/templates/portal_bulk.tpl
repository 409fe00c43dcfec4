{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>Bulk invite</h1>
<p>Invite many guests at once: <a href="{{BASE}}/bulk/template.csv" download>download the template</a>, add one
row per guest, then upload it. The PowerShell sample's <code>Name,InvitedUserEmailAddress</code> file and
<code>email,displayName,redirectUrl,sendEmail,message,groups</code> work too.</p>
<form method="post" action="{{BASE}}/bulk" enctype="multipart/form-data" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="file">CSV file</label>
  <input id="file" name="file" type="file" accept=".csv,text/csv" required
         {{#ERROR}}aria-invalid="true" aria-describedby="file-error"{{/ERROR}}>
  {{#ERROR}}<p class="error" id="file-error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
  <label for="redirectUrl">Redirect URL for rows without one</label>
  <input id="redirectUrl" name="redirectUrl" type="url" value="https://myapps.microsoft.com">
  <label for="message">Message for rows without one (optional)</label>
  <textarea id="message" name="message" rows="3"></textarea>
  <label class="check"><input type="checkbox" name="sendEmail" value="true" checked> Send invitation emails</label>
  <button type="submit">Upload and invite</button>
</form>
<h2>Bulk operation results</h2>
{{#NO_JOBS}}<p class="muted">No bulk invitations yet.</p>{{/NO_JOBS}}
<table class="jobs">
<thead><tr><th>File</th><th>Status</th><th>Rows</th><th># Success</th><th># Failure</th><th>Submitted</th></tr></thead>
<tbody>
{{#JOB}}<tr><td><a href="{{HREF}}">{{FILE}}</a></td><td>{{STATUS}}</td><td>{{TOTAL}}</td><td>{{SUCCEEDED}}</td><td>{{FAILED}}</td><td>{{CREATED}}</td></tr>
{{/JOB}}</tbody>
</table>
