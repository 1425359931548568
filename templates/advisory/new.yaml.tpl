{{! new.yaml.tpl: the draft that `vmt advisory new CASE` writes from the case's impact
    description. Fill in every TODO, then run `vmt advisory check` on it. Nothing here is
    escaped: the coordinator reviews the draft.
}}date: {{DATE}}

id: {{ID}}

title: '{{TITLE}}'

description: |
  {{DESCRIPTION:x-indent=2}}

affected-products:
  - product: {{PRODUCT}}
    version: '{{VERSION}}'

vulnerabilities:
  - cve-id: {{CVE}}

reporters:
  - name: '{{REPORTER}}'
    affiliation: {{AFFILIATION}}
    reported:
      - {{CVE}}

issues:
  links:
    - {{TRACKER_URL}}

reviews:
{{#BRANCH}}  {{NAME}}:
    - https://review.opendev.org/c/openstack/{{PRODUCT}}/+/TODO
{{/BRANCH}}
notes:
  - TODO or remove. (Drafted from case {{CASE}}.)
