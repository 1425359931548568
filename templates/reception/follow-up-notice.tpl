Subject: [{{CASE_ID}}] Follow-up from {{FROM}}
Auto-Submitted: auto-generated

A follow-up arrived on {{CASE_ID}} from {{WHO}}, {{FROM}},
on {{RECEIVED}}. It is on the private bug ({{BUG_URL}})
and in the case:

  vmt show {{CASE_ID}} --text

It waits for an answer (vmt check lists it until then):

  vmt reply {{CASE_ID}} {{MESSAGE}} --file ANSWER     answer by mail (signed, encrypted where we hold their key)
  vmt answered {{CASE_ID}} {{MESSAGE}}                answered another way (on the bug, by phone, ...)

If they ask for access to the report:

  vmt subscribe {{CASE_ID}} {{FROM}} [--tracker-name NAME] [--key FINGERPRINT]

--
vmt-ingest for the {{VENDOR}} {{TEAM_NAME}}
