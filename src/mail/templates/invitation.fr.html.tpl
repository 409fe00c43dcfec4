{{%AUTOESCAPE context="HTML"}}<h1 style="font-size:22px;font-weight:600">{{#INVITER_NAME}}{{INVITER_NAME:p}} de {{/INVITER_NAME}}{{INVITER_ORG:p}} vous a invité à accéder aux applications de son organisation</h1>
<p>Cette invitation a été envoyée à {{INVITEE_EMAIL:p}}.</p>
{{#CUSTOM_MESSAGE}}<p><strong>Message de {{INVITER_ORG:p}} :</strong></p>
<blockquote style="white-space:pre-line;border-left:3px solid #c8c6c4;margin:0;padding-left:12px">{{CUSTOM_MESSAGE:p}}</blockquote>{{/CUSTOM_MESSAGE}}
<p style="margin:28px 0"><a href="{{REDEEM_URL}}" style="background:#0078d4;color:#ffffff;padding:12px 28px;text-decoration:none;font-weight:600;border-radius:2px;display:inline-block">Commencer</a></p>
<p style="font-size:13px">Si le bouton ne fonctionne pas, ouvrez ce lien : <a href="{{REDEEM_URL}}">{{REDEEM_URL:p}}</a></p>
<p style="font-size:12px;color:#605e5c">En acceptant cette invitation, vous serez dirigé vers la page de connexion de votre organisation, puis vers {{INVITER_ORG:p}}.
{{#PRIVACY_URL}}<a href="{{PRIVACY_URL}}">Déclaration de confidentialité de {{INVITER_ORG:p}}</a>.{{/PRIVACY_URL}}{{#NO_PRIVACY_URL}}{{INVITER_ORG:p}} n'a pas fourni de lien vers sa déclaration de confidentialité.{{/NO_PRIVACY_URL}}
Ce courriel d'invitation provient de {{INVITER_ORG:p}} et est acheminé par Gatehouse. Si vous ne connaissez pas l'expéditeur, vous pouvez l'ignorer.</p>
