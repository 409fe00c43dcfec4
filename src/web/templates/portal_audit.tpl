{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>Audit log</h1>
<form method="get" action="{{BASE}}/audit" class="filters" novalidate>
{{#FILTER}}  <label for="{{ID}}">{{LABEL}}</label>
{{#INPUT}}  <input id="{{ID}}" name="{{ID}}" type="{{TYPE}}" value="{{VALUE}}"{{#INVALID}} aria-invalid="true" aria-describedby="{{ID}}-error"{{/INVALID}}>
{{/INPUT}}{{#SELECT}}  <select id="{{ID}}" name="{{ID}}"{{#INVALID}} aria-invalid="true" aria-describedby="{{ID}}-error"{{/INVALID}}>
{{#OPTION}}    <option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{TEXT}}</option>
{{/OPTION}}  </select>
{{/SELECT}}{{#ERROR}}  <p class="error" id="{{ID}}-error" role="alert">{{MESSAGE}}</p>
{{/ERROR}}{{/FILTER}}  <button type="submit">Apply</button>
</form>
{{#NO_ENTRIES}}<p class="muted">No audit entries match.</p>{{/NO_ENTRIES}}
{{#ENTRIES}}<table class="jobs audit">
<thead><tr><th>Date (UTC)</th><th>Category</th><th>Activity</th><th>Initiated by</th><th>Target</th><th>Result</th><th>Details</th></tr></thead>
<tbody>
{{#ENTRY}}<tr><td><time datetime="{{ISO}}">{{DATE}}</time></td><td>{{CATEGORY}}</td><td>{{ACTIVITY}}</td><td>{{ACTOR}}</td><td>{{TARGET}}</td><td>{{RESULT}}</td>
<td><details><summary>Details</summary><dl>
{{#PROPERTY}}<dt>{{NAME}}</dt><dd><code>{{VALUE}}</code></dd>
{{/PROPERTY}}</dl></details></td></tr>
{{/ENTRY}}</tbody>
</table>{{/ENTRIES}}
{{#PARTIAL}}<p class="muted">Only part of the log was searched for this page; the next page searches on.</p>{{/PARTIAL}}
{{#NEXT}}<p><a class="button" href="{{HREF}}" rel="next">Next page</a></p>{{/NEXT}}
