{{%AUTOESCAPE context="HTML"}}{{! advisory.html.tpl: one advisory as a web page (site page, or
    standalone from `vmt advisory render --format html`). ctemplate escapes every value for HTML;
    x-html-text escapes and then marks up ``literals`` and links, so it is followed by :none.
}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ID}}: {{TITLE}}</title>
{{#STYLE_LINK}}<link rel="stylesheet" href="{{HREF}}">
<link rel="alternate" type="application/atom+xml" title="{{VENDOR}} security advisories" href="{{ROOT}}atom.xml">
{{/STYLE_LINK}}{{#INLINE_STYLE}}<style>
{{CSS:none}}</style>
{{/INLINE_STYLE}}</head>
<body>
<header class="site"><p>{{#SITE}}<a href="{{ROOT}}index.html">{{VENDOR}} Security Advisories</a>{{/SITE}}{{#INLINE_STYLE}}{{VENDOR}} Security Advisory{{/INLINE_STYLE}}</p></header>
<main>
<article class="advisory">
<h1><span class="id">{{ID}}</span>: {{TITLE}}</h1>
<dl class="meta">
<dt>Date</dt><dd><time datetime="{{DATE_ISO}}">{{DATE}}</time></dd>
<dt>CVE</dt><dd>{{#CVE}}<span class="cve">{{CVE_ID}}{{#CVE_NOTE}} ({{CVE_NOTE_TEXT}}){{/CVE_NOTE}}</span>{{#CVE_separator}}, {{/CVE_separator}}{{/CVE}}</dd>
</dl>

<section id="affects">
<h2>Affects</h2>
<table class="affects">
<thead><tr><th scope="col">Product</th><th scope="col">Affected versions</th></tr></thead>
<tbody>
{{#AFFECTED}}<tr><td>{{PRODUCT:x-capitalize}}</td><td class="version">{{VERSION}}</td></tr>
{{/AFFECTED}}</tbody>
</table>
</section>

<section id="description">
<h2>Description</h2>
{{#DESCRIPTION}}<p>{{PARA:x-html-text:none}}</p>
{{/DESCRIPTION}}</section>
{{#ERRATA}}
<section id="errata">
<h2>Errata</h2>
{{#ERRATA_PARA}}<p>{{PARA:x-html-text:none}}</p>
{{/ERRATA_PARA}}</section>
{{/ERRATA}}{{#PATCHES}}
<section id="patches">
<h2>Patches</h2>
<dl class="patches">
{{#BRANCH}}<dt>{{BRANCH_NAME}}</dt>
{{#PATCH}}<dd>{{LINE:x-html-text:none}}</dd>
{{/PATCH}}{{/BRANCH}}</dl>
</section>
{{/PATCHES}}
<section id="credits">
<h2>Credits</h2>
<ul>
{{#REPORTER}}<li>{{NAME}}{{#FROM}} from {{AFFILIATION}}{{/FROM}}{{#REPORTED}} ({{REPORTED_LIST}}){{/REPORTED}}</li>
{{/REPORTER}}</ul>
</section>

<section id="references">
<h2>References</h2>
<ul class="links">
{{#LINK}}<li>{{LINE:x-html-text:none}}</li>
{{/LINK}}{{#CVE_LINK}}<li><a href="https://www.cve.org/CVERecord?id={{CVE_ID}}">{{CVE_ID}}</a> at cve.org</li>
{{/CVE_LINK}}</ul>
</section>
{{#NOTES}}
<section id="notes">
<h2>Notes</h2>
<ul>
{{#NOTE}}<li>{{NOTE_TEXT:x-html-text:none}}</li>
{{/NOTE}}</ul>
</section>
{{/NOTES}}{{#ERRATA}}
<section id="history">
<h2>History</h2>
<ul>
{{#CHANGE}}<li>{{CHANGE_TEXT}}</li>
{{/CHANGE}}</ul>
</section>
{{/ERRATA}}{{#SOURCES}}
<section id="formats">
<h2>Other formats</h2>
<ul class="formats">
<li><a href="{{ID}}.rst">Announcement text</a> (reStructuredText, as mailed)</li>
<li><a href="{{ID}}.osv.json">OSV record</a></li>
{{#CVE_RECORD}}<li><a href="{{ROOT}}cve/{{CVE_ID}}.json">{{CVE_ID}}</a> (CVE JSON 5 CNA container)</li>
{{/CVE_RECORD}}</ul>
</section>
{{/SOURCES}}</article>
{{#SITE}}<nav class="pager" aria-label="Other advisories">
{{/SITE}}{{#PREV}}<a rel="prev" href="{{PREV_ID}}.html"><span>Older</span> {{PREV_ID}}: {{PREV_TITLE}}</a>
{{/PREV}}{{#NEXT}}<a rel="next" href="{{NEXT_ID}}.html"><span>Newer</span> {{NEXT_ID}}: {{NEXT_TITLE}}</a>
{{/NEXT}}{{#SITE}}</nav>
{{/SITE}}</main>
<footer class="site"><p>{{TEAM}}{{#SITE}} · <a href="{{ROOT}}index.html">All advisories</a> · <a href="{{ROOT}}atom.xml">Atom feed</a>{{/SITE}}</p></footer>
</body>
</html>
