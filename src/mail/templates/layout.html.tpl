{{%AUTOESCAPE context="HTML"}}<!DOCTYPE html>
<html lang="{{LANG}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{SUBJECT:p}}</title></head>
<body style="margin:0;padding:24px;background:#f3f2f1;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#323130">
<table role="presentation" width="100%" style="max-width:600px;margin:0 auto;background:#ffffff;padding:24px">
<tr><td>
{{>CONTENT}}
</td></tr></table>
</body></html>
