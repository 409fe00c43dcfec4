{{%AUTOESCAPE context="HTML"}}<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}} · Gatehouse</title>
<link rel="stylesheet" href="/static/gatehouse.css">
</head>
<body>
<header class="top"><a class="brand" href="/">Gatehouse</a></header>
<main class="card">
{{>CONTENT}}
</main>
</body>
</html>
