{{%AUTOESCAPE context="HTML"}}<p>Utilisez le code à usage unique suivant pour vous connecter à <strong>{{ORG_NAME:p}}</strong> :</p>
<p style="font-size:28px;font-weight:600;letter-spacing:4px">{{CODE:p}}</p>
<p>Il expire dans {{LIFETIME_MINUTES:p}} minutes.</p>
<p style="font-size:12px;color:#605e5c">Si vous n'avez pas demandé ce code, ignorez ce courriel : quelqu'un a peut-être saisi votre adresse par erreur.</p>
