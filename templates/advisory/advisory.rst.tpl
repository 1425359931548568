{{! advisory.rst.tpl: an advisory as mailed in the [OSSA-...] announcement and kept as the
    site's source text. It reproduces the OpenStack VMT's published layout byte for byte (see
    docs/advisories.md). Whitespace is significant: every newline here is a newline in the output,
    and the file must not end with a newline. Modifiers: x-rule=C underlines (one C per character),
    x-capitalize, x-trim, x-indent=N, x-wrap=WIDTH,INDENT.
}}{{ID:x-rule==}}=={{TITLE:x-rule==}}
{{ID}}: {{TITLE}}
{{ID:x-rule==}}=={{TITLE:x-rule==}}

:Date: {{DATE}}
:CVE: {{#CVE}}{{CVE_ID}}{{#CVE_NOTE}} ({{CVE_NOTE_TEXT}}){{/CVE_NOTE}}{{#CVE_separator}},
      {{/CVE_separator}}{{/CVE}}


Affects
~~~~~~~
{{#AFFECTED}}- {{PRODUCT:x-capitalize}}: {{VERSION}}
{{/AFFECTED}}

Description
~~~~~~~~~~~
{{DESCRIPTION}}
{{#ERRATA}}

Errata
~~~~~~
{{ERRATA_TEXT}}
{{/ERRATA}}

Patches
~~~~~~~
{{#PATCH}}- {{LINK:x-trim}} ({{BRANCH:x-capitalize:x-trim}})
{{/PATCH}}

Credits
~~~~~~~
{{#REPORTER}}- {{NAME:x-trim:x-indent=4}}{{#FROM}} from {{AFFILIATION}}{{/FROM}}{{#REPORTED}} ({{REPORTED_LIST}}){{/REPORTED}}
{{/REPORTER}}

References
~~~~~~~~~~
{{#LINK}}- {{URL}}
{{/LINK}}{{#CVE_LINK}}- http://cve.mitre.org/cgi-bin/cvename.cgi?name={{CVE_ID}}
{{/CVE_LINK}}{{#NOTES}}

Notes
~~~~~
{{#NOTE}}- {{NOTE_TEXT:x-wrap=70,2}}
{{/NOTE}}{{/NOTES}}{{#HISTORY}}

OSSA History
~~~~~~~~~~~~
{{#CHANGE}}- {{CHANGE_TEXT}}
{{/CHANGE}}{{/HISTORY}}