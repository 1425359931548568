Subject: [{{CASE_ID}}] Security report waiting in state {{STATUS}} for {{DAYS}} days
Auto-Submitted: auto-generated

Hello {{LIAISON}},

As the security liaison of {{PROJECT}}, could you help move the private
security report {{CASE_ID}} forward? It has not changed for {{DAYS}} days
and its advisory task is in state {{STATUS}}.

Please see the private bug (you may need to ask us for access):
{{BUG_URL}}

Reports under embargo must be fixed or disclosed within 90 days of
reception; long delays usually mean the fix is better done in the open.

--
{{VENDOR}} {{TEAM_NAME}}
