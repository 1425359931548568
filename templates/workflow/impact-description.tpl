Title: {{TITLE}}
Reporter: {{CREDIT}}
Products: {{PROJECT}}
Affects: {{AFFECTED_VERSIONS}}

Description:
{{#DEFAULT_PROSE}}{{CREDIT}} reported a vulnerability in [project feature name].
By doing [action] a [actor] may [impact] resulting in [consequence].
Only [project deployment mode] are affected.
{{/DEFAULT_PROSE}}{{#PROSE}}{{TEXT}}
{{/PROSE}}
