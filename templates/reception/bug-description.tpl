{{REMINDER}}

{{REPORT}}

--
Received by e-mail on {{RECEIVED}} from {{REPORTER}} (case {{CASE_ID}}).
Encryption: {{ENCRYPTION}}. Signature: {{SIGNATURE}}.
{{#ATTACHMENTS}}Attachments: {{NAMES}}.
{{/ATTACHMENTS}}
