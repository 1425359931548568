# vmt.yaml: configuration of {{TEAM_ADDRESS}}'s vulnerability management, written by `vmt init`.
# Every setting is described in {{EXAMPLE}}.
# Relative paths are relative to this file's folder.

team:
  name: {{TEAM_NAME}}
  vendor: {{VENDOR}}
  address: {{TEAM_ADDRESS}}
  key: {{TEAM_KEY}}
  case_prefix: VMT
  coordinators:
    - name: {{COORDINATOR_NAME}}
      email: {{COORDINATOR_EMAIL}}
      key: {{COORDINATOR_KEY}}

projects:
{{#PROJECT}}  - name: {{NAME}}
    display: {{DISPLAY}}
    subject_tags: ["[{{NAME}}]"]
    keywords: [{{NAME}}]
    security_team: {{NAME}}-coresec
{{#PTL}}    ptl: {name: {{PTL_NAME}}, email: {{PTL_EMAIL}}, key: {{PTL_KEY}}}  # reviews the impact description (vmt review)
{{/PTL}}    branches:
      - {name: master}
      - {name: 2026.1/gazpacho}
      - {name: 2025.2/flamingo}
      - {name: 2025.1/epoxy}
      - {name: 2024.1/caracal, status: unmaintained}
{{/PROJECT}}{{#NO_PROJECT}}  []  # add your projects here (see the example)
{{/NO_PROJECT}}
gnupg_home: gnupg
spool: spool
outbox: outbox
advisories: advisories # advisory YAML files (vmt advisory new, publish, affects)
templates: templates   # your own versions of files in {{TEMPLATES}} go here
store: {path: vmt.db}
tracker: {kind: local, local_path: tracker.db}
transport: {kind: maildir, sent_maildir: sent}
embargo: {days: 90}
disclosure:
  min_business_days: 3
  max_business_days: 5
  hour_utc: 15
  holidays:  # not business days (seed: "excluding Monday/Friday and holiday periods"); MM-DD: every year
    - {from: "12-24", to: "01-01", name: year-end holidays}
{{#DEMO}}
stakeholders:
{{#STAKEHOLDER}}  - {name: {{NAME}}, email: {{EMAIL}}, key: {{KEY}}, encrypt: true}
{{/STAKEHOLDER}}
linux_distros: {name: {{DISTROS_NAME}}, email: {{DISTROS_EMAIL}}, key: {{DISTROS_KEY}}, encrypt: true}
announce:
  - {email: announce@lists.example.org}
{{/DEMO}}
log: {sink: {{LOG_SINK}}{{#LOG_FILE}}, file: {{PATH}}{{/LOG_FILE}}, level: info}
