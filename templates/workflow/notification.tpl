Subject: [{{TAG}}] Vulnerability in {{VENDOR}} {{PROJECT}} ({{CVE}})

This is an advance warning of a vulnerability discovered in
{{VENDOR}}, to give you, as downstream stakeholders, a chance to
coordinate the release of fixes and reduce the vulnerability window.
Please treat the following information as confidential until the
proposed public disclosure date.

{{DESCRIPTION}}

Proposed patch:
See attached patches. Unless a flaw is discovered in them, these
patches will be merged to their corresponding branches on the public
disclosure date.

CVE: {{CVE}}

Proposed public disclosure date/time:
{{DISCLOSURE}}

Please do not make the issue public (or release public patches)
before this coordinated embargo date.

Original private report:
{{BUG_URL}}

For access to read and comment on this report, please reply to me
with your tracker username and I will subscribe you.

--
{{COORDINATOR}}
{{VENDOR}} {{TEAM_NAME}}
