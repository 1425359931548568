{{%AUTOESCAPE context="HTML"}}{{! notes.html.tpl: the list of security notes (OSSN), newest first.
}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{VENDOR}} Security Notes</title>
{{#STYLE_LINK}}<link rel="stylesheet" href="{{HREF}}">
{{/STYLE_LINK}}<link rel="alternate" type="application/atom+xml" title="{{VENDOR}} security advisories" href="atom.xml">
</head>
<body>
<header class="site"><p><a href="index.html">{{VENDOR}} Security Advisories</a></p></header>
<main>
<h1>{{VENDOR}} Security Notes</h1>
<p class="lead">{{COUNT}} security notes: issues without a complete fix in maintained releases, or in
how software is deployed. <a href="index.html">Advisories</a> cover vulnerabilities with patches.</p>
<ul class="advisories">
{{#NOTE}}<li><a href="ossn/{{ID}}.html"><span class="id">{{ID}}</span> {{TITLE}}</a>
<span class="info"><time datetime="{{DATE_ISO}}">{{DATE_ISO}}</time></span></li>
{{/NOTE}}</ul>
</main>
<footer class="site"><p>{{TEAM}} · <a href="atom.xml">Atom feed</a></p></footer>
</body>
</html>
