Subject: [{{CASE_ID}}] Re: your message of {{RECEIVED}}
Outer-Subject: hidden

{{TEXT}}
--
{{COORDINATOR}}
{{VENDOR}} {{TEAM_NAME}}
