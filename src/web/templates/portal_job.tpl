{{%AUTOESCAPE context="HTML"}}{{>NAV}}{{#RUNNING}}<meta http-equiv="refresh" content="2">{{/RUNNING}}
<h1>{{FILE}}</h1>
<p><span class="status" data-status="{{STATUS}}">{{STATUS}}</span></p>
<label for="progress">{{PROCESSED}} of {{TOTAL}} rows</label>
<progress id="progress" max="100" value="{{PERCENT}}">{{PERCENT}}%</progress>
<p># Success: <strong data-count="succeeded">{{SUCCEEDED}}</strong> · # Failure: <strong data-count="failed">{{FAILED}}</strong></p>
{{#JOB_ERROR}}<p class="error" role="alert">{{MESSAGE}}</p>{{/JOB_ERROR}}
{{#RUNNING}}<form method="post" action="{{BASE}}/bulk/{{ID}}/cancel">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <button type="submit" class="secondary">Cancel the job</button>
</form>{{/RUNNING}}
{{#FINISHED}}<p><a class="button" href="{{BASE}}/bulk/{{ID}}/results" download>Download the results (CSV)</a></p>{{/FINISHED}}
<p><a href="{{BASE}}/bulk">All bulk invitations</a></p>
