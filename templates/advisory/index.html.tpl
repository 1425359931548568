{{%AUTOESCAPE context="HTML"}}{{! index.html.tpl: the site's front page: every advisory, newest
    first, one section per year with a year menu at the top.
}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{VENDOR}} Security Advisories</title>
{{#STYLE_LINK}}<link rel="stylesheet" href="{{HREF}}">
{{/STYLE_LINK}}<link rel="alternate" type="application/atom+xml" title="{{VENDOR}} security advisories" href="atom.xml">
</head>
<body>
<header class="site"><p><a href="index.html">{{VENDOR}} Security Advisories</a></p></header>
<main>
<h1>{{VENDOR}} Security Advisories</h1>
<p class="lead">{{COUNT}} advisories published by the {{TEAM}}, newest first.
Subscribe to the <a href="atom.xml">Atom feed</a>{{#HAS_NOTES}}, or read the <a href="notes.html">{{NOTE_COUNT}} security notes</a>{{/HAS_NOTES}}.</p>
<nav class="years" aria-label="Years">
<ul>
{{#YEAR_NAV}}<li><a href="#y{{YEAR}}">{{YEAR}}</a></li>
{{/YEAR_NAV}}</ul>
</nav>
{{#YEAR}}
<section class="year" id="y{{YEAR}}">
<h2>{{YEAR}}</h2>
<ul class="advisories">
{{#ADVISORY}}<li><a href="ossa/{{ID}}.html"><span class="id">{{ID}}</span> {{TITLE}}</a>
<span class="info"><time datetime="{{DATE_ISO}}">{{DATE_ISO}}</time> · {{PRODUCTS}} · {{CVES}}</span></li>
{{/ADVISORY}}</ul>
</section>
{{/YEAR}}</main>
<footer class="site"><p>{{TEAM}} · <a href="atom.xml">Atom feed</a></p></footer>
</body>
</html>
