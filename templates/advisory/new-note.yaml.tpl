{{! new-note.yaml.tpl: the draft that `vmt advisory new --note CASE` writes for a security note
    (OSSN). Fill in every TODO, then run `vmt advisory check` on it.
}}id: {{ID}}

date: {{DATE}}

title: '{{TITLE}}'

summary: >
  TODO: a few sentences describing the issue at a high level.

affected-products:
  - product: {{PRODUCT}}
    version: 'TODO e.g. <29.0.1'

affected: |
  TODO: which services and releases, in words.

discussion: |
  TODO: enough detail for a reader to tell whether their deployment is
  affected, since when, and what an attacker can do.

recommended-actions: |
  TODO: what operators should do, with configuration snippets.

credits: '{{REPORTER}}'

authors:
  - TODO Name, Organisation

references:
  - label: Original Launchpad bug
    url: {{TRACKER_URL}}
  - label: Mailing List
    url: https://lists.openstack.org/mailman3/lists/openstack-discuss.lists.openstack.org/

cve: {{CVE}}
