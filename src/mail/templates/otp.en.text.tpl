Your verification code for {{ORG_NAME}} is: {{CODE}}

It expires in {{LIFETIME_MINUTES}} minutes.

If you didn't ask for this code, you can ignore this email: someone may have typed your address by mistake.
