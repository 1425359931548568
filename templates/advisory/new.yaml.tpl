{{! new.yaml.tpl: the draft that `vmt advisory new CASE` writes. Fill in every TODO, then run
    `vmt advisory check` on it. Values come from the case; nothing here is escaped (YAML quoting is
    left to the coordinator, who reviews the draft).
}}date: {{DATE}}

id: {{ID}}

title: '{{TITLE}}'

description: >
  {{REPORTER_TEXT}} (TODO affiliation) reported a vulnerability in {{PRODUCT:x-capitalize}}.
  TODO: who can exploit it, how, and with what impact; which setups are affected.

affected-products:
  - product: {{PRODUCT}}
    version: 'TODO e.g. <29.0.1, >=30.0.0 <30.1.1, ==31.0.0'

vulnerabilities:
  - cve-id: {{CVE}}

reporters:
  - name: '{{REPORTER}}'
    affiliation: UNKNOWN
    reported:
      - {{CVE}}

issues:
  links:
    - {{TRACKER_URL}}

reviews:
  master:
    - https://review.opendev.org/c/openstack/{{PRODUCT}}/+/TODO

notes:
  - TODO or remove. (Drafted from case {{CASE}}.)
