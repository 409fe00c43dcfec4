{{%AUTOESCAPE context="HTML"}}<nav class="portal" aria-label="Portal">
  <span class="muted">{{ORG}} · {{USER}}</span>
  {{#LINK}}<a href="{{HREF}}"{{#CURRENT}} aria-current="page"{{/CURRENT}}>{{TEXT}}</a> {{/LINK}}
  <a href="/logout">Sign out</a>
</nav>
