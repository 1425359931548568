#!/bin/bash
# T405-advisory-new-affects: `vmt advisory new CASE` drafts OSSA-YYYY-NNN.yaml for a case of the store
# with the next free number of the year (the draft renders, and check lists its TODOs);
# `vmt affects PRODUCT VERSION` answers from the structured ranges and names the advisories whose
# version field is free text.
. "$(dirname "$0")/../lib/test-lib.sh"
t_setup

cd "$T"
cat > vmt.yaml <<'YAML'
team:
  address: security@example.org
  coordinators:
    - name: Carol Coordinator
      email: carol@example.org
advisories: advisories
store:
  path: vmt.db
tracker:
  kind: local
transport:
  kind: maildir
embargo:
  days: 90
disclosure:
  hour_utc: 15
limits:
  max_mime_depth: 32
log:
  level: warn
YAML
export VMT_CONFIG="$T/vmt.yaml" VMT_NOW=2026-05-20T10:00:00Z
mkdir advisories
if [ -d "$VMT_SHARED_DIR/corpus/ossa/yaml" ]; then
  cp "$VMT_SHARED_DIR"/corpus/ossa/yaml/OSSA-2026-01*.yaml "$VMT_SHARED_DIR"/corpus/ossa/yaml/OSSA-2025-00*.yaml \
     "$VMT_SHARED_DIR"/corpus/ossa/yaml/OSSA-2014-04*.yaml advisories/
else
  for n in 001 012; do
    printf 'date: 2026-05-11\nid: OSSA-2026-%s\ntitle: t\n' "$n" > "advisories/OSSA-2026-$n.yaml"
  done
fi

# An unknown case: exit 65, nothing written (this also creates the store).
t_expect_exit 65 "$VMT" advisory new VMT-2026-001 2> new.err
t_assert_contains "$(cat new.err)" "VMT-2026-001: no such case"
sqlite3 vmt.db "INSERT INTO cases(id,year,seq,title,project,tracker_url,reporter_name,cve,created_at,updated_at)
  VALUES('VMT-2026-001',2026,1,'Token leak in Nova''s API logs','nova','https://bugs.launchpad.net/nova/+bug/1234567',
         'Jane O''Doe','CVE-2026-12345','2026-05-01T10:00:00Z','2026-05-01T10:00:00Z')"
path=$("$VMT" advisory new VMT-2026-001)
t_assert_eq "$path" "$T/advisories/OSSA-2026-013.yaml" "draft path"
"$VMT" advisory render --format rst "$path" > draft.rst
t_assert_contains "$(head -2 draft.rst)" "OSSA-2026-013: Token leak in Nova's API logs"
t_assert_contains "$(cat draft.rst)" ":Date: May 20, 2026"
t_assert_contains "$(cat draft.rst)" "- Jane O'Doe (CVE-2026-12345)"
"$VMT" advisory render --format html "$path" > draft.html
t_assert_contains "$(cat draft.html)" "<title>OSSA-2026-013: Token leak in Nova&#39;s API logs</title>"
t_assert_contains "$(cat draft.html)" "<style>"   # a standalone page carries its style sheet
t_assert_not_contains "$(cat draft.html)" "{{"
"$VMT" advisory check "$path" > check.out 2> check.err
t_assert_contains "$(cat check.err)" "OSSA-2026-013.yaml:12:14: warning: affected-products[0].version: still says TODO"
t_assert_contains "$(cat check.err)" "OSSA-2026-013.yaml:7:14: warning: description: still says TODO"
t_assert_eq "$(sqlite3 vmt.db "SELECT advisory_id FROM cases")" OSSA-2026-013 "the case knows its advisory number"
# The next draft takes the next number.
t_assert_eq "$(t_json - 'j["id"]' < <("$VMT" advisory new --json VMT-2026-001))" OSSA-2026-014 "second draft"
VMT_NOW=2027-01-02T10:00:00Z "$VMT" advisory new VMT-2026-001 --dir "$T/other" > other.out
t_assert_eq "$(cat other.out)" "$T/other/OSSA-2027-001.yaml" "first of a new year in another folder"

# A security note takes the next OSSN number, across years.
printf 'id: OSSN-0096\ndate: 2026-04-01\ntitle: t\n' > advisories/OSSN-0096.yaml
note=$("$VMT" advisory new --note VMT-2026-001)
t_assert_eq "$note" "$T/advisories/OSSN-0097.yaml" "note draft path"
"$VMT" advisory render --format rst "$note" > note.txt
t_assert_eq "$(head -2 note.txt)" "Token leak in Nova's API logs
---" "note layout"
t_assert_contains "$(cat note.txt)" "This OSSN: https://security.openstack.org/ossn/OSSN-0097.html"
"$VMT" advisory check "$note" > /dev/null 2> note.err
t_assert_contains "$(cat note.err)" "OSSN-0097.yaml:7:10: warning: summary: still says TODO"

# affects: structured ranges decide; free text is named as undecided.
rm advisories/OSSA-2026-01[34].yaml
if [ -d "$VMT_SHARED_DIR/corpus/ossa/yaml" ]; then
  out=$("$VMT" affects ironic 29.0.5 || true)
  t_assert_contains "$out" "affected   OSSA-2026-012  Remote Code Execution in Ironic conductor"
  t_assert_contains "$out" "(range >=27.0.0 <29.0.6)"
  t_assert_not_contains "$out" "OSSA-2026-008"   # fixed in 29.0.5
  t_assert_contains "$out" "affected   OSSA-2025-001"
  t_assert_contains "$out" "warning: '>=27.0.0, <29.0.1': the comma splits one range in two"
  out=$("$VMT" affects Ironic 29.0.6 --dir advisories || true)
  t_assert_not_contains "$out" "OSSA-2026-012"
  out=$("$VMT" affects glance 2014.2.1 || true)
  t_assert_contains "$out" "undecided  OSSA-2014-041"
  t_assert_contains "$out" "version field: \"up to 2014.1.3 and 2014.2 version up to 2014.2.1\""
  j=$("$VMT" affects --json ironic 26.1.6 || true)
  # 26.1.6 is below OSSA-2026-012's fix, at OSSA-2026-010's; OSSA-2025-001's split range matches all.
  t_assert_eq "$(echo "$j" | t_json - 'sorted(h["id"] for h in j["affected"])')" '["OSSA-2025-001", "OSSA-2026-012"]' "affected ids"
fi
t_expect_exit 64 "$VMT" affects nova latest 2>/dev/null
t_log "ok: drafts take the next free number; affects decides on ranges and names free text"
