#!/bin/bash
# T800-embargoed-case-walk: one embargoed case walked end to end as a new user would, with the
# INSTALLED programs (cmake --install into a prefix) and libfaketime for every date, so that the
# clock of vmt, of gpg and of the mails is the one of the walk (no test clock). Dates are in
# December 2026 and January 2027: the year-end holidays (Dec 24 - Jan 1) are in the way.
#
# It checks what issue 11 found wrong: an advisory dated before its disclosure, seed subjects
# hidden, mail loops, an embargo that ends a day late, replies nobody sees, a window that no
# longer fits at notification, changes of plan after notification, decorated titles, an unknown
# --as in the ledger. Every mail it queued is then read as its recipient would, with their key.
. "$(dirname "$0")/../lib/test-lib.sh"
t_setup
t_require_cmd python3
t_require_cmd faketime
t_require_cmd sqlite3
. "$VMT_SOURCE_DIR/tests/lib/ingest.sh"

# Install as a user would; the build tree is not used from here on (the prefix is under $T, which
# the vmt user can reach).
P=$T/usr
cmake --install "$VMT_BUILD_DIR" --prefix "$P" > "$T/install.log" 2>&1 || t_fail "cmake --install: $(tail -3 "$T/install.log")"
chmod -R a+rX "$P"
mkdir -p "$T/w"
t_give_to_vmt_user "$T/w"
D=$T/w/team
cfg=$D/vmt.yaml
t_as_vmt "$P/bin/vmt" init "$D" --demo > "$T/init.out" || t_fail "vmt init --demo"
t_assert_contains "$(cat "$cfg")" "$P/share/vmt/config/vmt.yaml.example" "init names the installed example"
t_assert_not_contains "$(cat "$cfg")" "$VMT_BUILD_DIR" "init names the build tree"
t_assert_not_contains "$(cat "$cfg")" "$VMT_SOURCE_DIR/" "init names the source tree"
pgrep -f "gpg-agent.*$D" > /dev/null && t_fail "vmt init --demo left a gpg-agent running"

# A coordinator at the team address would get vmt's own mail back as reports: refused.
t_expect_exit 64 t_as_vmt "$P/bin/vmt" init "$T/w/loop" --team-address security@example.org \
  --coordinator-email Security@Example.org
[ -e "$T/w/loop/vmt.yaml" ] && t_fail "a team folder was written for a coordinator at the team address"

# at 'YYYY-MM-DD hh:mm:ss' CMD...: run CMD as the vmt user with the clock starting at that UTC time.
at() { local when=$1; shift; t_as_vmt env TZ=UTC faketime -f "@$when" "$@"; }
vmt_at() { local when=$1; shift; at "$when" "$P/bin/vmt" --config "$cfg" "$@"; }
ingest_at() { at "$1" "$P/bin/vmt-ingest" --config "$cfg"; }
mails() { store_q "$D" "select count(*) from outbox${1:+ where $1}"; }
C=VMT-2026-001

# --- Reception, Mon 2026-12-14 ------------------------------------------------------------------
ingest_at "2026-12-14 10:00:00" < "$D/demo/report.eml" || t_fail "vmt-ingest (the report)"
t_assert_eq "$(store_q "$D" "select embargo_end from cases where id='$C'")" 2027-03-14 "90 days"
t_assert_contains "$(tracker_q "$D" "select description from bugs where id=1")" "embargo shall not extend past 2027-03-14"
t_assert_eq "$(tracker_q "$D" "select group_concat(who, ' ') from (select who from subscriptions order by who)")" \
  "jane@reporter.example nova-coresec" "the core security team and the reporter on the private bug"
ack_mid=$(store_q "$D" "select message_id from outbox where kind='ack'")

# Only coordinators act: an unknown --as is refused before anything is recorded.
set +e
vmt_at "2026-12-14 10:05:00" --as mallory@example.net confirm $C > /dev/null 2> "$T/err"; rc=$?
set -e
t_assert_eq "$rc" 64 "--as someone who is not a coordinator"
t_assert_contains "$(cat "$T/err")" "is not a coordinator"
t_assert_eq "$(store_q "$D" "select count(*) from events where actor like '%mallory%'")" 0 "nothing recorded for mallory"

# The reporter answers the acknowledgement (encrypted): on the bug, the coordinators told, listed
# by vmt check until someone answers.
rep=$D/demo/reporter/gnupg
rep_fpr=$(t_as_vmt gpg --homedir "$rep" --with-colons --list-secret-keys | awk -F: '/^fpr:/ {print $10; exit}')
team_fpr=$(t_as_vmt gpg --homedir "$D/gnupg" --with-colons --list-secret-keys security@example.org | awk -F: '/^fpr:/ {print $10; exit}')
coord_fpr=$(t_as_vmt gpg --homedir "$D/gnupg" --with-colons --list-secret-keys alice@example.org | awk -F: '/^fpr:/ {print $10; exit}')
printf 'One more detail: INFO level only.\n' > "$T/more.txt"
chmod 644 "$T/more.txt"
cp -a "$rep" "$T/reporter-home"; chown -R root: "$T/reporter-home"   # root's gpg, on a copy
"$VMT_BUILD_DIR/tests/compose_driver" "$T/reporter-home" "$rep_fpr" jane@reporter.example security@example.org \
  "Re: [$C] Your report" "$T/more.txt" --encrypt "$team_fpr" --in-reply-to "$ack_mid" \
  --message-id more-1@reporter.example > "$T/more.eml" || t_fail "compose the reporter's reply"
ingest_at "2026-12-14 11:00:05" < "$T/more.eml" || t_fail "vmt-ingest (the reply)"
t_assert_eq "$(store_q "$D" "select count(*) from cases")" 1 "the reply is no new case"
t_assert_contains "$(tracker_q "$D" "select group_concat(content) from comments")" "INFO level only" "the reply is on the bug"
t_assert_eq "$(mails "kind='follow-up-notice'")" 1 "the coordinators are told"
msg=$(store_q "$D" "select id from messages where message_id like '%more-1@reporter.example%'")
vmt_at "2026-12-14 11:10:00" check > "$T/check.out" 2>&1 || true
t_assert_contains "$(cat "$T/check.out")" "follow-up $msg from jane@reporter.example" "vmt check lists it"
vmt_at "2026-12-14 11:15:00" reply $C "$msg" --text "Thank you, noted." > /dev/null || t_fail "vmt reply"
vmt_at "2026-12-14 11:20:00" check > "$T/check.out" 2>&1 || true
t_assert_not_contains "$(cat "$T/check.out")" "follow-up $msg" "answered: no longer listed"

# --- A mail loop cannot start ------------------------------------------------------------------
{ printf 'From: someone@example.net\nTo: security@example.org\nSubject: hi\nMessage-ID: <garbage-1@example.net>\n'
  printf 'MIME-Version: 1.0\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b"\n\n--b\n'
  printf 'Content-Type: application/pgp-encrypted\n\nVersion: 1\n\n--b\nContent-Type: application/octet-stream\n\n'
  printf -- '-----BEGIN PGP MESSAGE-----\n\nhQEMA1111111111111AQf/\n=abcd\n-----END PGP MESSAGE-----\n--b--\n'; } |
  ingest_at "2026-12-14 12:00:00" || t_fail "vmt-ingest (unreadable)"
t_assert_eq "$(mails "kind='quarantine-notice'")" 1 "quarantined, coordinators told"
at "2026-12-14 12:01:00" "$P/bin/vmt-send" --config "$cfg" --once 2> /dev/null || t_fail "vmt-send"
before=$(mails)
for kind in quarantine-notice ack follow-up-notice; do
  f=$(grep -l "^Message-ID: <$(store_q "$D" "select message_id from outbox where kind='$kind' limit 1")>" "$D"/sent/new/* | head -1)
  [ -n "$f" ] || t_fail "no $kind delivered"
  grep -q "^Auto-Submitted: auto-" "$f" || t_fail "$kind without Auto-Submitted"
  ingest_at "2026-12-14 12:02:00" < "$f" || t_fail "vmt-ingest (our $kind fed back)"
done
t_assert_eq "$(store_q "$D" "select count(*) from cases")" 1 "our own mail fed back opens no case"
t_assert_eq "$(mails)" "$before" "and sends nothing"
# What the coordinators can do with it: retry fails while the key is still missing (exit 65).
q=$(store_q "$D" "select id from quarantine limit 1")
t_expect_exit 65 vmt_at "2026-12-14 12:03:00" quarantine retry "$q"
# A spam that did open a case is dismissed without making anything public.
printf 'From: spam@example.net\nTo: security@example.org\nSubject: [nova] cheap watches\nMessage-ID: <spam-1@example.net>\n\nbuy\n' |
  ingest_at "2026-12-14 12:05:00" || t_fail "vmt-ingest (spam)"
vmt_at "2026-12-14 12:10:00" dismiss VMT-2026-002 --reason spam > /dev/null || t_fail "vmt dismiss"
t_assert_eq "$(tracker_q "$D" "select information_type from bugs where id=2")" "Private Security" "dismissed: still private"

# --- Triage, patch, description, review, CVE (Dec 14-15) ---------------------------------------
vmt_at "2026-12-14 14:00:00" confirm $C > /dev/null || t_fail confirm
vmt_at "2026-12-14 14:01:00" classify $C A > /dev/null || t_fail classify
printf -- '--- a/nova/api.py\n+++ b/nova/api.py\n@@ -1 +1 @@\n-LOG.info(req.headers)\n+LOG.info(redact(req.headers))\n' > "$T/fix.patch"
chmod 644 "$T/fix.patch"
vmt_at "2026-12-14 14:02:00" patch add $C "$T/fix.patch" --branch master > /dev/null || t_fail "patch add"
vmt_at "2026-12-14 14:03:00" patch approve $C 1 --by "Core Reviewer <core@example.org>" > /dev/null || t_fail "patch approve"
cat > "$T/desc.txt" <<'DESC'
Title: Keystone token written to nova-api log on failed rebuild
Reporter: Jane Reporter (Example Security Lab)
Products: Nova
Affects: >=30.0.0 <30.0.3

Description:
Jane Reporter (Example Security Lab) reported a vulnerability in the nova-api rebuild action.
By rebuilding a server with an invalid image reference an authenticated user may cause the
request's Keystone token to be logged, resulting in its disclosure to anyone who reads the logs.
DESC
chmod 644 "$T/desc.txt"
vmt_at "2026-12-14 14:05:00" describe $C --file "$T/desc.txt" > /dev/null || t_fail describe
vmt_at "2026-12-14 14:06:00" review $C > "$T/review.out" || t_fail "review: $(cat "$T/review.out")"
t_assert_contains "$(cat "$T/review.out")" "ptl@nova.example"
vmt_at "2026-12-15 09:00:00" review $C --approved-by reporter > /dev/null || t_fail "review --approved-by reporter"
vmt_at "2026-12-15 09:01:00" review $C --approved-by ptl > /dev/null || t_fail "review --approved-by ptl"
vmt_at "2026-12-15 09:02:00" cve-request $C > "$T/form.txt" || t_fail cve-request
t_assert_contains "$(cat "$T/form.txt")" "Request a CVE ID" "MITRE's request type, as the seed names it"
python3 - "$T/form.txt" <<'PY' || t_fail "the suggested description has hard line breaks"
import re, sys
form = open(sys.argv[1]).read()
m = re.search(r"== Suggested description[^\n]*\n(.*?)\n==", form, re.S)
assert m and "\n" not in m.group(1).strip(), m and m.group(1)
PY
t_expect_exit 65 vmt_at "2026-12-15 09:03:00" cve-assign $C CVE-2026-123
vmt_at "2026-12-15 09:04:00" cve-assign $C CVE-2026-99999 > /dev/null || t_fail cve-assign

# Small things a user meets: the bug can be read, an unknown verb is named, JSON errors are JSON.
t_assert_contains "$(vmt_at "2026-12-15 09:05:00" bug show $C)" "(CVE-2026-99999)" "vmt bug show"
set +e
vmt_at "2026-12-15 09:05:00" frobnicate > /dev/null 2> "$T/err"; rc=$?
vmt_at "2026-12-15 09:05:00" show VMT-1999-999 --json > "$T/err.json" 2> /dev/null
set -e
t_assert_eq "$rc" 64 "an unknown verb is a usage error"
t_assert_contains "$(cat "$T/err")" "unknown verb 'frobnicate'"
t_assert_contains "$(t_json "$T/err.json" 'j["error"]["what"]')" "no such case"

# --- Schedule Tue Dec 15, notify Fri Dec 18: the stored date no longer fits -------------------
vmt_at "2026-12-15 10:00:00" schedule $C --json > "$T/s1.json" || t_fail schedule
t_assert_eq "$(t_json "$T/s1.json" 'j["disclosure"]["at"]')" 2026-12-22T15:00:00Z "5th business day from Tue Dec 15"
set +e
vmt_at "2026-12-18 10:00:00" notify $C > /dev/null 2> "$T/err"; rc=$?
set -e
[ "$rc" -ne 0 ] || t_fail "notify on Fri Dec 18 accepted Tue Dec 22 (the 2nd business day)"
t_assert_contains "$(cat "$T/err")" "2026-12-22"
t_assert_contains "$(cat "$T/err")" "business day"
t_assert_eq "$(mails "kind in ('pre-ossa','vs')")" 0 "nothing sent"
vmt_at "2026-12-18 10:05:00" schedule $C --json > "$T/s2.json" || t_fail "schedule again"
t_assert_eq "$(t_json "$T/s2.json" 'j["disclosure"]["at"]')" 2026-12-23T15:00:00Z "3rd business day from Fri Dec 18"
vmt_at "2026-12-18 10:10:00" notify $C --json > "$T/notify.json" 2>&1 || t_fail "notify: $(cat "$T/notify.json")"
t_assert_eq "$(t_json "$T/notify.json" 'len(j["mails"])')" 3 "two stakeholders and linux-distros"

# --- Changes of plan after notification (Mon Dec 21) -------------------------------------------
t_expect_exit 64 vmt_at "2026-12-21 09:00:00" schedule $C --date 2027-01-05   # no reason
vmt_at "2026-12-21 09:05:00" schedule $C --date 2027-01-05 --force \
  --reason "the fix needs an oslo.utils release; linux-distros agreed to wait past the holidays" > "$T/move.out" ||
  t_fail "schedule --date after notify: $(cat "$T/move.out")"
t_assert_eq "$(store_q "$D" "select disclosure_at from cases where id='$C'")" 2027-01-05T15:00:00Z
told="distros@vs.openwall.example jane@reporter.example psirt@cloud-two.example security@distro-one.example"
t_assert_eq "$(store_q "$D" "select group_concat(r, ' ') from (select json_extract(recipients, '\$[0]') r from outbox
  where kind in ('update','vs-update') order by r)")" "$told" "everyone told (and the reporter) gets the new date"
vmt_at "2026-12-21 09:10:00" cve-assign $C CVE-2026-99998 --replace --reason "CVE-2026-99999 was mistyped" > /dev/null ||
  t_fail "cve-assign --replace"
t_assert_eq "$(mails "kind in ('update','vs-update')")" 8 "and the corrected CVE"
sed 's/Only deployments/Only deployments/; $a Deployments that log at DEBUG level are affected too.' "$T/desc.txt" > "$T/desc2.txt"
chmod 644 "$T/desc2.txt"
vmt_at "2026-12-21 09:15:00" describe $C --file "$T/desc2.txt" > /dev/null || t_fail "describe after notify"
t_assert_eq "$(mails "kind in ('update','vs-update')")" 12 "and the revised description"
t_assert_contains "$(store_q "$D" "select group_concat(summary, ' | ') from events where case_id='$C'")" "2027-01-05" \
  "the ledger records the change of date"
t_assert_eq "$(tracker_q "$D" "select cve from cves where bug=1")" CVE-2026-99998 "the tracker links the new CVE only"
t_assert_eq "$(tracker_q "$D" "select title from bugs where id=1")" \
  "Keystone token written to nova-api log on failed rebuild (CVE-2026-99998)" "retitled once, with the new CVE"

# --- Advisory, staged disclosure and publication (Tue Dec 22) ----------------------------------
adv=$(vmt_at "2026-12-22 09:00:00" advisory new $C --dir "$D/advisories") || t_fail "advisory new"
t_as_vmt sed -i -e 's|https://review.opendev.org/c/openstack/nova/+/TODO|https://review.opendev.org/c/openstack/nova/+/900001|' \
  -e 's|TODO the public bug URL|https://bugs.launchpad.net/nova/+bug/2100001|' -e '/^notes:/,$d' "$adv"
t_assert_contains "$(cat "$adv")" "CVE-2026-99998" "the advisory draft has the corrected CVE"
vmt_at "2026-12-22 09:05:00" disclose $C --at 2027-01-05T15:00:00Z > /dev/null || t_fail "disclose --at"
vmt_at "2026-12-22 09:06:00" publish $C --advisory "$adv" --at 2027-01-05T15:00:00Z > /dev/null || t_fail "publish --at"
t_assert_contains "$(vmt_at "2026-12-22 09:07:00" show $C)" "OSSA-2026-001" "vmt show names the advisory"
t_assert_contains "$(vmt_at "2026-12-22 09:07:00" show $C)" "embargo ends"

vmt_at "2027-01-05 14:59:00" check > /dev/null 2>&1 || true
t_assert_eq "$(tracker_q "$D" "select information_type from bugs where id=1")" "Private Security" "private at 14:59"
t_assert_eq "$(mails "kind='announce'")" 0 "no announcement before the hour"
vmt_at "2027-01-05 15:02:00" check > "$T/hour.out" 2>&1 || true
t_assert_eq "$(tracker_q "$D" "select information_type from bugs where id=1")" "Public Security" "public at the hour"
title=$(tracker_q "$D" "select title from bugs where id=1")
t_assert_eq "$title" "[OSSA-2026-001] Keystone token written to nova-api log on failed rebuild" "retitled once"
t_assert_contains "$(cat "$adv")" "date: 2027-01-05" "the YAML is dated on the day it was released"
# The ledger, as vmt log prints it: every party told, with the key each mail was encrypted to.
vmt_at "2027-01-05 15:10:00" log $C > "$T/log.out" || t_fail "vmt log"
t_assert_contains "$(cat "$T/log.out")" "told: distros@vs.openwall.example"
t_assert_contains "$(cat "$T/log.out")" "encrypted to:"
t_assert_eq "$(vmt_at "2027-01-05 15:10:00" log $C --json | t_json - 'len(j) > 20')" true "vmt log --json"
show=$(vmt_at "2027-01-05 15:10:00" show $C)
t_assert_not_contains "$show" "embargo ends" "after disclosure, show no longer promises an embargo end"

# --- The embargo ends as the reminder promises (a second case, with the reporter's terms) -------
sed -e 's/^Message-ID: <[^>]*>/Message-ID: <second@reporter.example>/' "$D/demo/report.eml" > "$T/second.eml"
ingest_at "2026-12-14 16:00:00" < "$T/second.eml" || t_fail "vmt-ingest (second report)"
C3=VMT-2026-003
vmt_at "2026-12-14 16:05:00" terms $C3 --deadline 2027-02-02 --text "public on Feb 2 at the latest" > /dev/null ||
  t_fail "vmt terms"
bug3=$(store_q "$D" "select tracker_bug from cases where id='$C3'")
t_assert_contains "$(tracker_q "$D" "select description from bugs where id=$bug3")" "embargo shall not extend past 2027-02-02" \
  "the reporter's date is on the private bug"
vmt_at "2027-02-02 14:59:00" check > /dev/null 2>&1 || true
t_assert_eq "$(tracker_q "$D" "select information_type from bugs where id=$bug3")" "Private Security" "private before the hour"
vmt_at "2027-02-02 15:00:30" check > /dev/null 2>&1 || true
t_assert_eq "$(tracker_q "$D" "select information_type from bugs where id=$bug3")" "Public Security" \
  "made public on the promised date, from the disclosure hour (not a day late)"
t_assert_eq "$(tracker_q "$D" "select information_type from bugs where id=2")" "Private Security" "the dismissed spam stays private"

# --- Every mail, as its recipient reads it --------------------------------------------------------
at "2027-01-05 15:20:00" "$P/bin/vmt-send" --config "$cfg" --once 2> /dev/null || true
# Each recipient's own keyring (copies: root's gpg must not touch the vmt user's homes).
declare -A home
for who in reporter ptl stakeholder-1 stakeholder-2 linux-distros; do
  cp -a "$D/demo/$who/gnupg" "$T/home-$who"; chown -R root: "$T/home-$who"
done
cp -a "$D/gnupg" "$T/home-alice"; chown -R root: "$T/home-alice"
home[jane@reporter.example]=$T/home-reporter home[ptl@nova.example]=$T/home-ptl
home[security@distro-one.example]=$T/home-stakeholder-1 home[psirt@cloud-two.example]=$T/home-stakeholder-2
home[distros@vs.openwall.example]=$T/home-linux-distros home[alice@example.org]=$T/home-alice
home[announce@lists.example.org]=$T/home-stakeholder-1 home[spam@example.net]=$T/home-stakeholder-1
store_q "$D" "select kind, json_extract(recipients, '\$[0]'), '$D/outbox/' || path, state from outbox order by id" > "$T/all.txt"
n=0
while IFS='|' read -r kind rcpt path state; do
  [ "$state" = sent ] || t_fail "$kind to $rcpt is $state, not sent"
  h=${home[$rcpt]:-}
  [ -n "$h" ] || t_fail "$kind went to $rcpt, who is not part of the walk"
  python3 "$VMT_SOURCE_DIR/tests/lib/mailcheck.py" "$h" "$path" > "$T/m.json" 2> "$T/m.err" ||
    t_fail "$rcpt cannot read the $kind mail: $(cat "$T/m.err")"
  subject=$(t_json "$T/m.json" 'j["subject"]')
  auto=$(t_json "$T/m.json" 'j["auto_submitted"]')
  case $kind in
    ack) t_assert_eq "$auto" auto-replied "$kind: Auto-Submitted" ;;
    quarantine-notice|follow-up-notice|reminder) t_assert_eq "$auto" auto-generated "$kind: Auto-Submitted" ;;
    *) t_assert_eq "$auto" null "$kind: a person sent it" ;;
  esac
  case $kind in
    pre-ossa|vs|update|vs-update|announce)
      t_assert_eq "$(t_json "$T/m.json" 'j["outer_subject"]')" "$subject" "$kind: the seed's subject is visible" ;;
  esac
  case $kind in
    pre-ossa) t_assert_eq "$subject" "[pre-OSSA] Vulnerability in OpenStack Nova (CVE-2026-99999)" ;;
    vs) t_assert_eq "$subject" "[vs] Vulnerability in OpenStack Nova (CVE-2026-99999)" ;;
    update) t_assert_contains "$subject" "[pre-OSSA] Update: Vulnerability in OpenStack Nova (CVE-2026-9999" ;;
    vs-update) t_assert_contains "$subject" "[vs] Update: Vulnerability in OpenStack Nova (CVE-2026-9999" ;;
    announce)
      t_assert_eq "$subject" "[OSSA-2026-001] Nova: Keystone token written to nova-api log on failed rebuild (CVE-2026-99998)"
      t_assert_contains "$(t_json "$T/m.json" 'j["date"]')" "Tue, 05 Jan 2027 15:0" "the announcement is dated when released"
      signed=$(t_json "$T/m.json" 'j["signed_at"]')
      [ "$signed" -ge "$(date -u -d 2027-01-05T15:00:00Z +%s)" ] && [ "$signed" -lt "$(date -u -d 2027-01-05T15:30:00Z +%s)" ] ||
        t_fail "the announcement was signed at $(date -u -d "@$signed"), not at its release"
      t_assert_contains "$(t_json "$T/m.json" 'j["body"]')" ":Date: January 05, 2027" "the rST is dated when released"
      t_assert_eq "$(t_json "$T/m.json" 'j["body_encoding"]')" 7bit "plain ASCII rST is not quoted-printable" ;;
  esac
  [ "$kind" = quarantine-notice ] &&
    t_assert_contains "$(t_json "$T/m.json" 'j["body"]')" "Encrypted to: " "the notice names the key the mail was encrypted to"
  case $kind in
    pre-ossa|vs|update|vs-update|review|reply) t_assert_eq "$(t_json "$T/m.json" 'j["encrypted"]')" true "$kind: encrypted" ;;
  esac
  n=$((n + 1))
done < "$T/all.txt"
[ "$n" -ge 15 ] || t_fail "only $n mails were read (the walk sends more)"
grep -q "update" "$T/all.txt" || t_fail "no update mail was read"
t_log "ok: $n mails read as their recipients would"
