{{#INVITER_NAME}}{{INVITER_NAME}} de {{/INVITER_NAME}}{{INVITER_ORG}} vous a invité ({{INVITEE_EMAIL}}) à accéder aux applications de son organisation.
{{#CUSTOM_MESSAGE}}
Message de {{INVITER_ORG}} :
{{CUSTOM_MESSAGE}}
{{/CUSTOM_MESSAGE}}
Commencer (Get Started) : {{REDEEM_URL}}

En acceptant cette invitation, vous serez dirigé vers la page de connexion de votre organisation, puis vers {{INVITER_ORG}}.
{{#PRIVACY_URL}}Déclaration de confidentialité de {{INVITER_ORG}} : {{PRIVACY_URL}}{{/PRIVACY_URL}}{{#NO_PRIVACY_URL}}{{INVITER_ORG}} n'a pas fourni de lien vers sa déclaration de confidentialité.{{/NO_PRIVACY_URL}}
Ce courriel d'invitation provient de {{INVITER_ORG}} et est acheminé par Gatehouse. Si vous ne connaissez pas l'expéditeur, vous pouvez l'ignorer.
