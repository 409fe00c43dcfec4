{{%AUTOESCAPE context="HTML"}}<h1>Gatehouse</h1>
<p>Guest access to your organisation's business apps.</p>
{{#ERROR}}<p class="error" role="alert">{{MESSAGE}}</p>
{{/ERROR}}<form method="get" action="/go">
  <fieldset><legend>Administrators</legend>
  <label for="admin-domain">Your organisation's domain</label>
  <input id="admin-domain" name="domain" placeholder="contoso.com" value="{{DOMAIN}}" required>
  <input type="hidden" name="to" value="portal">
  <button type="submit">Open the admin portal</button></fieldset>
</form>
<form method="get" action="/go">
  <fieldset><legend>Guests and members</legend>
  <label for="guest-domain">The domain of the organisation that invited you</label>
  <input id="guest-domain" name="domain" placeholder="contoso.com" value="{{DOMAIN}}" required>
  <input type="hidden" name="to" value="my">
  <button type="submit">See the environments you can open</button></fieldset>
</form>
<p>Invited by email? Open the link in the invitation: it signs you in with the account you already have.</p>
