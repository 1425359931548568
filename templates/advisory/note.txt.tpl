{{! note.txt.tpl: a security note as mailed, following the OSSN template: the title, a
    "---" line, then ###-headed sections. Long lines are wrapped at 72 columns.
}}{{TITLE}}
---

### Summary ###
{{SUMMARY:x-wrap=72,0}}

### Affected Services / Software ###
{{#AFFECTED}}- {{PRODUCT}}: {{VERSION}}
{{/AFFECTED}}{{#AFFECTED_TEXT}}{{#AFFECTED}}
{{/AFFECTED}}{{TEXT:x-wrap=72,0}}
{{/AFFECTED_TEXT}}
### Discussion ###
{{DISCUSSION:x-wrap=72,0}}

### Recommended Actions ###
{{ACTIONS:x-wrap=72,0}}
{{#PATCHES}}
#### Patches ####
{{#PATCHES_TEXT}}{{TEXT:x-wrap=72,0}}

{{/PATCHES_TEXT}}{{#PATCH}}{{BRANCH}}: {{URL}}
{{/PATCH}}{{/PATCHES}}{{#CREDITS}}
### Credits ###
{{TEXT:x-wrap=72,0}}
{{/CREDITS}}
### Contacts / References ###
Authors:
{{#AUTHOR}}- {{AUTHOR_NAME}}
{{/AUTHOR}}This OSSN: {{NOTE_URL}}
{{#REFERENCE}}{{LABEL}}: {{URL}}
{{/REFERENCE}}{{#CVES}}CVE: {{CVE_LIST}}
{{/CVES}}