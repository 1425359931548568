Subject: [vmt] A message to {{TEAM_ADDRESS}} was quarantined ({{REASON}})
Auto-Submitted: auto-generated

vmt-ingest received a message it could not read and kept it in
quarantine instead of filing or bouncing it.

  Reason:      {{REASON}} ({{REASON_TEXT}})
  Received:    {{RECEIVED}}
  From:        {{FROM}}
  Size:        {{SIZE}} bytes
  SHA-256:     {{SHA256}}
  Encrypted to: {{ENCRYPTED_TO}}
  Spool file:  {{SPOOL}}

List quarantined mail with:   vmt quarantine list
Once fixed (e.g. the missing key imported), file it again with:
                              vmt quarantine retry {{MESSAGE}}
