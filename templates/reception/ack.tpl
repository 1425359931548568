Subject: [{{CASE_ID}}] Your report to the {{VENDOR}} {{TEAM_NAME}}
Auto-Submitted: auto-replied

Hello{{#HAS_NAME}} {{REPORTER_NAME}}{{/HAS_NAME}},

Thank you for reporting a potential vulnerability to the {{VENDOR}}
{{TEAM_NAME}}. We received your message on {{RECEIVED}}
and are tracking it as {{CASE_ID}}; please keep this reference in the
subject of any follow-up so that it reaches the same case.

The report is handled privately: only the coordinators and the core
security reviewers of the affected project learn of it while they
confirm the issue, and the embargo will not extend past {{EMBARGO_END}}.
If you have your own disclosure terms or deadline, reply and tell us:
your choice of disclosure terms prevails.
{{#ENCRYPTED}}
This acknowledgement is encrypted to your OpenPGP key
{{REPORTER_KEY}}.
{{/ENCRYPTED}}{{#NOT_ENCRYPTED}}
We do not have an OpenPGP key for you, so this acknowledgement is only
signed. To receive our replies encrypted, send us your public key.
{{/NOT_ENCRYPTED}}
--
{{VENDOR}} {{TEAM_NAME}}
{{TEAM_ADDRESS}}
