{{%AUTOESCAPE context="HTML"}}<h1>{{HEADING}}</h1>
<p>{{MESSAGE}}</p>
{{#LINK}}<p><a class="button" href="{{HREF}}">{{TEXT}}</a></p>{{/LINK}}
