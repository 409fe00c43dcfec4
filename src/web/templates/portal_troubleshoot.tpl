{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>Troubleshoot access</h1>
<p class="muted">Why can't this user do this here? Every rule the gate applies, and what fixes each one that fails.</p>
<form method="get" action="{{BASE}}/troubleshoot" class="filters" novalidate>
  <label for="user">User</label>
  <input id="user" name="user" value="{{USER_VALUE}}" required
         {{#USER_ERROR}}aria-invalid="true" aria-describedby="user-error"{{/USER_ERROR}}>
  {{#USER_ERROR}}<p class="error" id="user-error" role="alert">{{MESSAGE}}</p>{{/USER_ERROR}}
  <p class="muted">User principal name, email address or object id.</p>
  <label for="action">Action</label>
  <select id="action" name="action" {{#ACTION_ERROR}}aria-invalid="true" aria-describedby="action-error"{{/ACTION_ERROR}}>
    {{#ACTION_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{TEXT}}</option>{{/ACTION_OPTION}}
  </select>
  {{#ACTION_ERROR}}<p class="error" id="action-error" role="alert">{{MESSAGE}}</p>{{/ACTION_ERROR}}
  <label for="environment">Environment</label>
  <select id="environment" name="environment">
    <option value="">None</option>
    {{#ENVIRONMENT_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{TEXT}}</option>{{/ENVIRONMENT_OPTION}}
  </select>
  <label for="app">App</label>
  <input id="app" name="app" value="{{APP}}">
  <p class="muted">The app's id, for app.run.</p>
  <label for="client">Client</label>
  <input id="client" name="client" value="{{CLIENT}}">
  <p class="muted">The client application's id, if the question is about one.</p>
  <label for="target">Target</label>
  <input id="target" name="target" value="{{TARGET}}">
  <p class="muted">The object read (directory.read), the group (group.participate) or the invitee's email (user.invite).</p>
  <button type="submit">Check access</button>
</form>
{{#RESULT}}<h2 id="result">{{WHO}} · <code>{{ACTION_NAME}}</code>{{#IN_ENVIRONMENT}} · {{ENVIRONMENT_NAME}}{{/IN_ENVIRONMENT}}</h2>
<p data-verdict="{{VERDICT}}"><strong>{{VERDICT_TEXT}}</strong></p>
<ol class="checks">
{{#CHECK}}<li data-check="{{ID}}" data-passed="{{PASSED}}"><p><code>{{ID}}</code> — <strong>{{STATE}}</strong>. {{SENTENCE}}</p>
{{#REMEDY}}<p>Remedy: {{WHAT}}</p>
{{#FIX}}<p><a href="{{HREF}}">Fix this</a></p>{{/FIX}}
<details><summary>API call and CLI command</summary><pre>{{API}}</pre><pre>{{CLI}}</pre></details>{{/REMEDY}}</li>
{{/CHECK}}</ol>{{/RESULT}}
