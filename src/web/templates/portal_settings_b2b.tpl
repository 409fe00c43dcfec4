{{%AUTOESCAPE context="HTML"}}<fieldset>
<legend>{{HEADING}}</legend>
{{>MODE}}{{#SIDE}}<fieldset>
<legend>{{LEGEND}}</legend>
{{>ACCESS}}{{>APPLIES}}{{#LIST}}<label for="{{ID}}">{{LABEL}}</label>
<textarea id="{{ID}}" name="{{ID}}" rows="3"{{#READONLY}} readonly{{/READONLY}}{{#INVALID}} aria-invalid="true" aria-describedby="{{ERROR_ID}}"{{/INVALID}}>{{TEXT:pre_escape}}</textarea>
{{/LIST}}{{#ERROR}}<p class="error" id="{{ERROR_ID}}" role="alert">{{MESSAGE}}</p>
{{/ERROR}}</fieldset>
{{/SIDE}}</fieldset>
