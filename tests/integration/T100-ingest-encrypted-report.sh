#!/bin/bash
# T100-ingest-encrypted-report: the main job end to end with real gpg: `vmt init --demo` makes the
# team and a reporter with their own keys; the reporter's PGP/MIME report (signed, encrypted to
# the team key) goes through the real vmt-ingest as the unprivileged vmt user; the case, the
# private bug in the local tracker and the acknowledgement are checked, and the acknowledgement is
# decrypted and verified by the reporter's own gpg.
. "$(dirname "$0")/../lib/test-lib.sh"
t_setup
t_team "$T/team"
# Reception on a fixed day (the report itself was written and signed now: the reader compares the
# signature's time with the Date header, not with the clock).
export VMT_NOW=2026-05-11T10:00:00Z
cfg=$T/team/vmt.yaml

t_ingest "$cfg" < "$T/team/demo/report.eml" || t_fail "vmt-ingest exit status $?"
t_as_vmt "$VMT" --config "$cfg" show VMT-2026-001 --json > "$T/case.json"
t_assert_eq "$(t_json "$T/case.json" 'j["project"]')" nova "routed by the [nova] subject tag"
t_assert_eq "$(t_json "$T/case.json" 'j["private"]')" true "private"
t_assert_eq "$(t_json "$T/case.json" 'j["ossa_status"]')" Incomplete "ossa status"
t_assert_eq "$(t_json "$T/case.json" 'j["embargo_end"]')" "$(date -I -d '2026-05-11 +90 days')" "embargo end = date -I -d90days"
t_assert_eq "$(t_json "$T/case.json" 'j["encrypted"]')" true "encrypted"
t_assert_eq "$(t_json "$T/case.json" 'j["signature"]["status"]')" valid "signature"
t_assert_eq "$(t_json "$T/case.json" 'j["signature"]["matches_from"]')" true "signature matches From"
t_assert_eq "$(t_json "$T/case.json" 'j["reporter"]["email"]')" jane@reporter.example "reporter"
rep_fpr=$(gpg --homedir "$T/team/demo/reporter/gnupg" --with-colons --list-secret-keys | awk -F: '/^fpr:/ {print $10; exit}')
t_assert_eq "$(t_json "$T/case.json" 'j["reporter"]["fingerprint"]')" "$rep_fpr" "reporter key = the signing key"
t_assert_eq "$(t_json "$T/case.json" 'j["messages"]')" 1 "one message"
t_assert_eq "$(t_json "$T/case.json" 'j["tracker_bug"]')" 1 "bug 1 in the local tracker"
t_assert_contains "$(t_json "$T/case.json" '[e["recipients"] for e in j["events"] if e["kind"]=="disclosed"]')" nova-coresec \
  "the ledger says the core security team was told"

# The private bug, read straight from the tracker's database.
bug() { sqlite3 "$T/team/tracker.db" "$1"; }
t_assert_eq "$(bug "select information_type from bugs where id=1")" "Private Security" "information type"
desc=$(bug "select description from bugs where id=1")
t_assert_contains "$desc" "This issue is being treated as a potential security risk under" "reminder first"
t_assert_contains "$desc" "embargo shall not extend past 2026-08-09 and will be made" "reminder end date"
t_assert_contains "$desc" "writes the Keystone token" "the decrypted report on the private bug"
t_assert_eq "$(bug "select status from tasks where bug=1 and project='ossa'")" Incomplete "ossa task"
t_assert_eq "$(bug "select group_concat(who, ' ') from (select who from subscriptions where bug=1 order by who)")" \
  "jane@reporter.example nova-coresec" "core security team and the reporter (seed, Patch development) subscribed"
t_assert_contains "$(bug "select content from comments where bug=1")" "an incomplete
security advisory task has been added" "reception comment"

# The acknowledgement: one mail in the outbox maildir, encrypted to the reporter, signed by the team.
ack=$(ls "$T/team/outbox/new/")
t_assert_eq "$(echo "$ack" | wc -l)" 1 "one acknowledgement"
mail=$T/team/outbox/new/$ack
t_assert_contains "$(cat "$mail")" "multipart/encrypted" "the acknowledgement is encrypted"
t_assert_not_contains "$(cat "$mail")" "Keystone" "no report text outside the ciphertext"
gpg --homedir "$T/team/demo/reporter/gnupg" --batch --status-fd 1 --decrypt < <(awk '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/' "$mail") \
  > "$T/ack.txt" 2> "$T/ack.status" || t_fail "the reporter cannot decrypt the acknowledgement: $(cat "$T/ack.status")"
t_assert_contains "$(cat "$T/ack.txt")" "VMT-2026-001" "the ack names the case"
t_assert_not_contains "$(cat "$T/ack.txt")" "Keystone" "the ack never quotes the report"
t_assert_contains "$(cat "$T/ack.txt")" "2026-08-09" "the ack gives the embargo end"

# Redelivery of the same message changes nothing.
t_ingest "$cfg" < "$T/team/demo/report.eml" || t_fail "redelivery exit status $?"
t_assert_eq "$(t_as_vmt "$VMT" --config "$cfg" list --json | t_json - 'len(j)')" 1 "still one case"
t_assert_eq "$(bug "select count(*) from bugs")" 1 "still one bug"
t_assert_eq "$(ls "$T/team/outbox/new" | wc -l)" 1 "still one acknowledgement"
t_log ok
