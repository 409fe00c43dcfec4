{{%AUTOESCAPE context="HTML"}}{{#SAVED}}<p role="status"><strong>Saved.</strong></p>{{/SAVED}}
{{#ERROR}}<p class="error" role="alert">{{MESSAGE}}</p>{{/ERROR}}
