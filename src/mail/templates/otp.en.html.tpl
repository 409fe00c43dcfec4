{{%AUTOESCAPE context="HTML"}}<p>Use the following one-time passcode to sign in to <strong>{{ORG_NAME:p}}</strong>:</p>
<p style="font-size:28px;font-weight:600;letter-spacing:4px">{{CODE:p}}</p>
<p>It expires in {{LIFETIME_MINUTES:p}} minutes.</p>
<p style="font-size:12px;color:#605e5c">If you didn't ask for this code, you can ignore this email: someone may have typed your address by mistake.</p>
