{{%AUTOESCAPE context="XML"}}<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>{{TEAM}}: security advisories and notes</title>
<id>{{SITE_URL}}/atom.xml</id>
<link rel="self" href="{{SITE_URL}}/atom.xml"/>
<link rel="alternate" href="{{SITE_URL}}/index.html"/>
<updated>{{UPDATED}}</updated>
<author><name>{{TEAM}}</name></author>
{{#ENTRY}}<entry>
<title>{{ID}}: {{TITLE}}</title>
<id>{{URL}}</id>
<link rel="alternate" type="text/html" href="{{URL}}"/>
<updated>{{UPDATED}}</updated>
<summary>{{SUMMARY}}</summary>
</entry>
{{/ENTRY}}</feed>
