{{#INVITER_NAME}}{{INVITER_NAME}} from {{/INVITER_NAME}}{{INVITER_ORG}} invited you ({{INVITEE_EMAIL}}) to access applications within their organization.
{{#CUSTOM_MESSAGE}}
Message from {{INVITER_ORG}}:
{{CUSTOM_MESSAGE}}
{{/CUSTOM_MESSAGE}}
Get Started: {{REDEEM_URL}}

By accepting this invitation, you'll be sent to your organization's sign-in page and then to {{INVITER_ORG}}.
{{#PRIVACY_URL}}{{INVITER_ORG}}'s privacy statement: {{PRIVACY_URL}}{{/PRIVACY_URL}}{{#NO_PRIVACY_URL}}{{INVITER_ORG}} has not provided a link to their privacy statement for you to review.{{/NO_PRIVACY_URL}}
This invitation email is from {{INVITER_ORG}}, delivered by Gatehouse. If you don't recognise the sender, you can ignore it.
