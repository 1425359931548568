{{%AUTOESCAPE context="HTML"}}{{! note.html.tpl: one security note as a web page. The sections keep
    the author's line breaks (notes are plain-text mails), so they are shown pre-wrapped.
}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ID}}: {{TITLE}}</title>
{{#STYLE_LINK}}<link rel="stylesheet" href="{{HREF}}">
{{/STYLE_LINK}}{{#INLINE_STYLE}}<style>
{{CSS:none}}</style>
{{/INLINE_STYLE}}</head>
<body>
<header class="site"><p>{{#SITE}}<a href="{{ROOT}}index.html">{{VENDOR}} Security Advisories</a> · <a href="{{ROOT}}notes.html">Security Notes</a>{{/SITE}}{{#INLINE_STYLE}}{{VENDOR}} Security Note{{/INLINE_STYLE}}</p></header>
<main>
<article class="note">
<h1><span class="id">{{ID}}</span>: {{TITLE}}</h1>
<dl class="meta">
<dt>Date</dt><dd><time datetime="{{DATE_ISO}}">{{DATE}}</time></dd>
{{#CVES}}<dt>CVE</dt><dd>{{CVE_LIST}}</dd>
{{/CVES}}</dl>
<section><h2>Summary</h2>
<div class="text">{{SUMMARY:x-trim:x-html-text:none}}</div></section>
<section><h2>Affected services / software</h2>
{{#AFFECTED}}<p class="version">{{PRODUCT}}: {{VERSION}}</p>
{{/AFFECTED}}{{#AFFECTED_TEXT}}<div class="text">{{TEXT:x-trim:x-html-text:none}}</div>
{{/AFFECTED_TEXT}}</section>
<section><h2>Discussion</h2>
<div class="text">{{DISCUSSION:x-trim:x-html-text:none}}</div></section>
<section><h2>Recommended actions</h2>
<div class="text">{{ACTIONS:x-trim:x-html-text:none}}</div></section>
{{#PATCHES}}<section><h2>Patches</h2>
{{#PATCHES_TEXT}}<div class="text">{{TEXT:x-trim:x-html-text:none}}</div>
{{/PATCHES_TEXT}}<ul class="links">
{{#PATCH}}<li>{{BRANCH}}: <a href="{{URL}}">{{URL}}</a></li>
{{/PATCH}}</ul></section>
{{/PATCHES}}{{#CREDITS}}<section><h2>Credits</h2>
<div class="text">{{TEXT:x-trim:x-html-text:none}}</div></section>
{{/CREDITS}}<section><h2>Contacts / references</h2>
<ul class="links">
{{#AUTHOR}}<li>Author: {{AUTHOR_NAME}}</li>
{{/AUTHOR}}{{#REFERENCE}}<li>{{LABEL}}: <a href="{{URL}}">{{URL}}</a></li>
{{/REFERENCE}}</ul></section>
{{#SOURCES}}<section id="formats"><h2>Other formats</h2>
<ul class="formats"><li><a href="{{ID}}.txt">Note text</a> (as mailed)</li></ul></section>
{{/SOURCES}}</article>
{{#SITE}}<nav class="pager" aria-label="Other notes">
{{/SITE}}{{#PREV}}<a rel="prev" href="{{PREV_ID}}.html"><span>Older</span> {{PREV_ID}}: {{PREV_TITLE}}</a>
{{/PREV}}{{#NEXT}}<a rel="next" href="{{NEXT_ID}}.html"><span>Newer</span> {{NEXT_ID}}: {{NEXT_TITLE}}</a>
{{/NEXT}}{{#SITE}}</nav>
{{/SITE}}</main>
<footer class="site"><p>{{TEAM}}{{#SITE}} · <a href="{{ROOT}}notes.html">All notes</a> · <a href="{{ROOT}}atom.xml">Atom feed</a>{{/SITE}}</p></footer>
</body>
</html>
