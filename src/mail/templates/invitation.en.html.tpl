{{%AUTOESCAPE context="HTML"}}<h1 style="font-size:22px;font-weight:600">{{#INVITER_NAME}}{{INVITER_NAME:p}} from {{/INVITER_NAME}}{{INVITER_ORG:p}} invited you to access applications within their organization</h1>
<p>This invitation was sent to {{INVITEE_EMAIL:p}}.</p>
{{#CUSTOM_MESSAGE}}<p><strong>Message from {{INVITER_ORG:p}}:</strong></p>
<blockquote style="white-space:pre-line;border-left:3px solid #c8c6c4;margin:0;padding-left:12px">{{CUSTOM_MESSAGE:p}}</blockquote>{{/CUSTOM_MESSAGE}}
<p style="margin:28px 0"><a href="{{REDEEM_URL}}" style="background:#0078d4;color:#ffffff;padding:12px 28px;text-decoration:none;font-weight:600;border-radius:2px;display:inline-block">Get Started</a></p>
<p style="font-size:13px">If the button does not work, open this link: <a href="{{REDEEM_URL}}">{{REDEEM_URL:p}}</a></p>
<p style="font-size:12px;color:#605e5c">By accepting this invitation, you'll be sent to your organization's sign-in page and then to {{INVITER_ORG:p}}.
{{#PRIVACY_URL}}<a href="{{PRIVACY_URL}}">{{INVITER_ORG:p}}'s privacy statement</a>.{{/PRIVACY_URL}}{{#NO_PRIVACY_URL}}{{INVITER_ORG:p}} has not provided a link to their privacy statement for you to review.{{/NO_PRIVACY_URL}}
This invitation email is from {{INVITER_ORG:p}}, delivered by Gatehouse. If you don't recognise the sender, you can ignore it.</p>
