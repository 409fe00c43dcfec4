{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>External collaboration settings</h1>
<p>Who guests are here, who may invite them, and from which domains.</p>
{{>OUTCOME}}
<form method="post" action="{{BASE}}/external-collaboration" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  {{>ACCESS}}
  {{>INVITES}}
  {{>RESTRICTIONS}}
  <label for="domains">Domains</label>
  <textarea id="domains" name="domains" rows="5"{{#READONLY}} readonly{{/READONLY}}{{#DOMAINS_ERROR}} aria-invalid="true" aria-describedby="domains-error"{{/DOMAINS_ERROR}}>{{DOMAINS:pre_escape}}</textarea>
  <p class="muted">One domain per line, e.g. fabrikam.com. Used when invitations are denied to, or allowed only to, the listed domains.</p>
  {{#DOMAINS_ERROR}}<p class="error" id="domains-error" role="alert">{{MESSAGE}}</p>{{/DOMAINS_ERROR}}
  {{>DEVICE}}
{{#CAN_SAVE}}  <button type="submit">Save</button>{{/CAN_SAVE}}
</form>
