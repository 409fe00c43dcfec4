{{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>Invitation sent</h1>
<p><strong>{{EMAIL}}</strong> is invited (<span data-status="{{STATUS}}">{{STATUS}}</span>).
{{#EMAILED}}The invitation email is on its way.{{/EMAILED}}</p>
<p>Guest object id: <a href="{{BASE}}/users/{{USER_ID}}"><code>{{USER_ID}}</code></a></p>
<label for="redeem">Redemption link (share it yourself if no email was sent)</label>
<input id="redeem" readonly name="redeem" value="{{REDEEM}}">
<p><a class="button" href="{{BASE}}/users/invite">Invite someone else</a></p>
