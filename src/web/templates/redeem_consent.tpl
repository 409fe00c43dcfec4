{{%AUTOESCAPE context="HTML"}}<h1>Review permissions</h1>
<p class="muted">{{EMAIL}}</p>
{{#MISMATCH}}<p class="error" role="alert">This invitation was sent to {{INVITED}}, but you're signed in as {{EMAIL}}.
<a href="/logout">Sign out</a> and open the invitation link again to sign in with the invited address.</p>{{/MISMATCH}}
<p><strong>{{ORG}}</strong> invited you to access its apps and resources. If you accept, {{ORG}} will be able to:</p>
<ul>
  <li>sign you in to its apps with your own account;</li>
  <li>read your name, email address and photo;</li>
  <li>read your account's identifiers in your home directory.</li>
</ul>
<p class="muted">You can leave the organization later. {{ORG}}'s own privacy statement and terms apply to your use of its resources.</p>
<form method="post" action="/redeem">
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <input type="hidden" name="tenant" value="{{TENANT}}">
  <input type="hidden" name="user" value="{{INVITATION}}">
  <input type="hidden" name="ticket" value="{{TICKET}}">
  <button type="submit" name="action" value="accept">Accept</button>
  <button type="submit" name="action" value="cancel" class="secondary">Cancel</button>
</form>
