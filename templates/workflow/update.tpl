Subject: [{{TAG}}] Update: Vulnerability in {{VENDOR}} {{PROJECT}} ({{CVE}})

This is an update to the advance warning of a vulnerability in
{{VENDOR}} {{PROJECT}} that you received. The information remains
confidential until the public disclosure date below.
{{#DATE_CHANGED}}
The proposed public disclosure date/time has changed:
  was: {{OLD}}
  now: {{NEW}}
Reason: {{REASON}}
{{/DATE_CHANGED}}{{#CVE_CHANGED}}
The CVE identifier of this vulnerability has been corrected:
  was: {{OLD}}
  now: {{NEW}}
Reason: {{REASON}}
Please use {{NEW}} from now on (patch file names included).
{{/CVE_CHANGED}}{{#DESCRIPTION_CHANGED}}
The impact description has been revised{{#HAS_REASON}} ({{REASON}}){{/HAS_REASON}}.
It replaces the one you received:

{{TEXT}}
{{/DESCRIPTION_CHANGED}}
CVE: {{CVE}}

Proposed public disclosure date/time:
{{DISCLOSURE}}

Please do not make the issue public (or release public patches)
before this coordinated embargo date.

--
{{COORDINATOR}}
{{VENDOR}} {{TEAM_NAME}}
