Subject: [{{ADVISORY_ID}}] {{PROJECT}}: {{TITLE}} ({{CVE}})

{{RST}}
