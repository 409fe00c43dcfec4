{{%AUTOESCAPE context="HTML"}}<p>{{ORG_NAME:p}} vous a donné accès à l'environnement <strong>{{ENVIRONMENT_NAME:p}}</strong>.</p>
<p style="margin:28px 0"><a href="{{ENVIRONMENT_URL}}" style="background:#0078d4;color:#ffffff;padding:12px 28px;text-decoration:none;font-weight:600;display:inline-block">Ouvrir {{ENVIRONMENT_NAME:p}}</a></p>
<p style="font-size:13px"><a href="{{ENVIRONMENT_URL}}">{{ENVIRONMENT_URL:p}}</a></p>
