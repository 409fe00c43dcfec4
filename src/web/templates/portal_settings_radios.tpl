{{%AUTOESCAPE context="HTML"}}<fieldset>
<legend>{{LEGEND}}</legend>
{{#OPTION}}<label class="check"><input type="radio" id="{{ID}}" name="{{NAME}}" value="{{VALUE}}"{{#CHECKED}} checked{{/CHECKED}}{{#READONLY}} disabled{{/READONLY}}{{#INVALID}} aria-invalid="true" aria-describedby="{{ERROR_ID}}"{{/INVALID}}> {{TEXT}}</label>
{{/OPTION}}{{#ERROR}}<p class="error" id="{{ERROR_ID}}" role="alert">{{MESSAGE}}</p>
{{/ERROR}}</fieldset>
