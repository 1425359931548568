Subject: [{{CASE_ID}}] Please review the impact description
Outer-Subject: hidden

Hello {{NAME}},

Before we request a CVE and warn the downstream stakeholders, the
{{VENDOR}} {{TEAM_NAME}} asks you, as {{ROLE}}, to check the impact
description below: is the reporter credited as they wish, are the
affected versions right, does the description say the impact and
the mitigation accurately?

Please answer by replying to this mail (keep the case number in the
subject): your agreement, or what to change. Until the coordinated
disclosure, keep it confidential.

{{DESCRIPTION}}

--
{{COORDINATOR}}
{{VENDOR}} {{TEAM_NAME}}
