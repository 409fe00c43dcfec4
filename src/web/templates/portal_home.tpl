{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>{{ORG}}</h1>
<ul class="sections">
{{#AREA}}  <li><a href="{{HREF}}">{{TEXT}}</a> — {{ABOUT}}</li>
{{/AREA}}</ul>
