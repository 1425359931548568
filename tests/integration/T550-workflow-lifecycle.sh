#!/bin/bash
# T550-workflow-lifecycle: one embargoed report from reception to Fix Released with the real
# binaries and real gpg: confirm, classify, patches, impact description, review, CVE request and
# assignment, schedule, the [pre-OSSA] and [vs] notifications (each recipient decrypts and verifies
# with their own gpg; notmuch, i.e. GMime, agrees), a subscription on request, the advisory draft,
# the disclosure and the announcement staged for the hour (nothing leaves before it; `vmt check`
# releases both then), and the release. The ledger must say who was told what, when, with which key.
. "$(dirname "$0")/../lib/test-lib.sh"
t_setup
t_require_cmd python3
t_team "$T/team"
D=$T/team
cfg=$D/vmt.yaml
vmt() { t_as_vmt "$VMT" --config "$cfg" "$@"; }
check_mail() { python3 "$VMT_SOURCE_DIR/tests/lib/mailcheck.py" "$@"; }
# (gpg as the vmt user: root's gpg would leave root-owned files in the team's home.)
team_fpr=$(t_as_vmt gpg --homedir "$D/gnupg" --with-colons --list-secret-keys security@example.org | awk -F: '/^fpr:/ {print $10; exit}')
# The coordinator signs what a verb sends with their own key (vmt init --demo made one).
coord_fpr=$(t_as_vmt gpg --homedir "$D/gnupg" --with-colons --list-secret-keys alice@example.org | awk -F: '/^fpr:/ {print $10; exit}')
[ -n "$coord_fpr" ] && [ "$coord_fpr" != "$team_fpr" ] || t_fail "the demo coordinator has no key of their own"

# Reception on Monday 2026-05-11.
export VMT_NOW=2026-05-11T10:00:00Z
t_ingest "$cfg" < "$D/demo/report.eml" || t_fail "vmt-ingest"
C=VMT-2026-001

# Illegal transitions are refused with the state and what is allowed next.
out=$(vmt review $C 2>&1) && t_fail "review before a description must fail"
t_assert_contains "$out" "Incomplete" "the refusal names the state"
t_assert_contains "$out" "review" "the refusal names the verb asked for"
t_assert_not_contains "$out" "describe" "not another verb's name"
vmt confirm $C > /dev/null || t_fail confirm
t_expect_exit 69 vmt confirm $C 2> "$T/err"
t_assert_contains "$(cat "$T/err")" "Confirmed" "confirming twice is refused, naming the state"
t_assert_contains "$(vmt classify $C A)" "class A (OSSA)" "classify"

# Patches: two branches, pre-approved by a core reviewer.
printf -- '--- a/nova/api/openstack/compute/servers.py\n+++ b/nova/api/openstack/compute/servers.py\n@@ -1 +1 @@\n-LOG.info(req.headers)\n+LOG.info(redact(req.headers))\n' > "$T/master.patch"
cp "$T/master.patch" "$T/flamingo.patch"; echo "# backport" >> "$T/flamingo.patch"
chmod 644 "$T"/*.patch
vmt patch add $C "$T/master.patch" --branch master > /dev/null || t_fail "patch add master"
vmt patch add $C "$T/flamingo.patch" --branch 2025.2/flamingo > /dev/null || t_fail "patch add flamingo"
t_expect_exit 65 vmt patch add $C "$T/master.patch" --branch 2019.1/stein 2> "$T/err"
t_assert_contains "$(cat "$T/err")" "not a supported branch of nova" "unknown branch refused"
vmt patch approve $C 1 --by "Core Reviewer <core@example.org>" > /dev/null || t_fail "approve 1"
vmt patch approve $C 2 --by "Core Reviewer <core@example.org>" > /dev/null || t_fail "approve 2"

# The impact description, from the template, edited, saved, then reviewed.
vmt describe $C --print --credit "Jane Reporter (Example Security Lab)" > "$T/draft.txt"
t_assert_contains "$(cat "$T/draft.txt")" "Reporter: Jane Reporter (Example Security Lab)"
t_assert_contains "$(cat "$T/draft.txt")" "reported a vulnerability in [project feature name]"
cat > "$T/desc.txt" <<'DESC'
Title: Keystone token written to nova-api log on failed rebuild
Reporter: Jane Reporter (Example Security Lab)
Products: Nova
Affects: >=30.0.0 <30.0.3, >=31.0.0 <31.1.1

Description:
Jane Reporter (Example Security Lab) reported a vulnerability in the nova-api rebuild action.
By rebuilding a server with an invalid image reference an authenticated user may cause the
request's Keystone token to be logged, resulting in its disclosure to anyone who reads the logs.
Only deployments logging at INFO level are affected.
DESC
chmod 644 "$T/desc.txt"
cp "$T/draft.txt" "$T/placeholder.txt"; chmod 644 "$T/placeholder.txt"
t_expect_exit 65 vmt describe $C --file "$T/placeholder.txt" 2> "$T/err"
t_assert_contains "$(cat "$T/err")" "placeholder" "a draft with placeholders is refused"
vmt describe $C --file "$T/desc.txt" > /dev/null || t_fail describe
# Review: the draft goes, signed and encrypted, to the reporter and the project's PTL; each reads it
# with their own key; their answers are recorded.
vmt review $C > "$T/review.out" || t_fail "review: $(cat "$T/review.out")"
t_assert_contains "$(cat "$T/review.out")" "jane@reporter.example"
t_assert_contains "$(cat "$T/review.out")" "ptl@nova.example"
vmt outbox list --json > "$T/outbox.json"
for who in reporter:jane@reporter.example ptl:ptl@nova.example; do
  path=$(t_json "$T/outbox.json" "[m['path'] for m in j if m['kind']=='review' and '${who#*:}' in m['recipients']][0]")
  check_mail "$D/demo/${who%%:*}/gnupg" "$path" > "$T/review.json" || t_fail "${who%%:*} cannot read the review request"
  t_assert_eq "$(t_json "$T/review.json" 'j["encrypted"]')" true "review request encrypted"
  t_assert_eq "$(t_json "$T/review.json" 'j["signed_by"]')" "$coord_fpr" "signed by the coordinator"
  t_assert_contains "$(t_json "$T/review.json" 'j["body"]')" "By rebuilding a server" "the draft is in it"
done
vmt review $C --approved-by reporter --note "fine by me" > /dev/null || t_fail "review --approved-by reporter"
vmt review $C --approved-by ptl > /dev/null || t_fail "review --approved-by ptl"
t_assert_eq "$(vmt show $C --json | t_json - 'j["ossa_status"]')" "Triaged" "Triaged once reviewed"

# CVE request: the form fields, and the CNA container draft (valid CVE JSON 5 when ../shared is here).
vmt cve-request $C > "$T/form.txt" || t_fail cve-request
t_assert_contains "$(cat "$T/form.txt")" "Vendor of the product(s)
OpenStack"
t_assert_contains "$(cat "$T/form.txt")" "By rebuilding a server" "suggested description without its first sentence"
t_assert_not_contains "$(sed -n '/Suggested description/,/==/p' "$T/form.txt")" "reported a vulnerability" "first sentence dropped"
t_assert_contains "$(cat "$T/form.txt")" "BEGIN PGP PUBLIC KEY BLOCK" "the coordinator's key for an embargoed report"
t_assert_contains "$(cat "$T/form.txt")" "This report is currently under embargo and no disclosure date has been scheduled at this time."
t_assert_eq "$(vmt show $C --json | t_json - 'j["ossa_status"]')" "In Progress" "In Progress after the CVE request"
if [ -d "$VMT_SHARED_DIR/corpus/schemas" ]; then
  python3 - "$VMT_SHARED_DIR/corpus/schemas/CVE_Record_Format_bundled.json" "$D/cve/$C.json" <<'PY' || t_fail "the CVE JSON 5 draft does not validate"
import json, sys, jsonschema
s = json.load(open(sys.argv[1]))
for k in ("oneOf", "required", "properties", "additionalProperties"): s.pop(k, None)
s["$ref"] = "#/definitions/cnaPublishedContainer"
d = json.load(open(sys.argv[2]))["cnaContainer"]
d.setdefault("providerMetadata", {"orgId": "00000000-0000-4000-8000-000000000000"})
errors = list(jsonschema.Draft7Validator(s).iter_errors(d))
for e in errors: print(e.message)
sys.exit(1 if errors else 0)
PY
fi
t_expect_exit 65 vmt cve-assign $C CVE-26-1 2> "$T/err"
vmt cve-assign $C CVE-2026-12345 > /dev/null || t_fail cve-assign
t_assert_eq "$(sqlite3 "$D/tracker.db" "select title from bugs where id=1")" \
  "Keystone token written to nova-api log on failed rebuild (CVE-2026-12345)" "retitled \$TITLE (\$CVE)"
t_assert_eq "$(sqlite3 "$D/tracker.db" "select cve from cves where bug=1")" CVE-2026-12345 "CVE linked"

# Notification before a disclosure date is refused; then scheduled: Monday -> Thursday 15:00 UTC.
t_expect_exit 69 vmt notify $C 2> "$T/err"
t_assert_contains "$(cat "$T/err")" "no disclosure date"
vmt schedule $C --json > "$T/sched.json" || t_fail schedule
t_assert_eq "$(t_json "$T/sched.json" 'j["disclosure"]["at"]')" 2026-05-14T15:00:00Z "3rd business day, a Thursday"
t_expect_exit 65 vmt schedule $C --date 2026-05-15 2> "$T/err"   # a Friday
vmt notify $C --json > "$T/notify.json" || t_fail "notify: $(cat "$T/notify.json")"
t_assert_eq "$(t_json "$T/notify.json" 'len(j["mails"])')" 3 "two stakeholders and linux-distros"

# Each recipient decrypts and verifies with their own key; the patches are attached under their names.
vmt outbox list --json > "$T/outbox.json"
for who in stakeholder-1 stakeholder-2 linux-distros; do
  addr=$(gpg --homedir "$D/demo/$who/gnupg" --with-colons --list-secret-keys | awk -F: '/^uid:/ {print $10; exit}' | sed 's/.*<\(.*\)>.*/\1/')
  path=$(t_json "$T/outbox.json" "[m['path'] for m in j if '$addr' in m['recipients']][0]")
  check_mail "$D/demo/$who/gnupg" "$path" > "$T/$who.json" || t_fail "$who cannot read its notification"
  t_assert_eq "$(t_json "$T/$who.json" 'j["encrypted"]')" true "$who: encrypted"
  t_assert_eq "$(t_json "$T/$who.json" 'j["signed_by"]')" "$coord_fpr" "$who: signed by the coordinator"
  t_assert_eq "$(t_json "$T/$who.json" 'j["outer_subject"]')" "$(t_json "$T/$who.json" 'j["subject"]')" \
    "$who: the seed's subject is the outer one (lists filter on it)"
  t_assert_eq "$(t_json "$T/$who.json" 'j["auto_submitted"]')" null "$who: a person sent it (no Auto-Submitted)"
  t_assert_contains "$(t_json "$T/$who.json" 'sorted(a["filename"] for a in j["attachments"])')" \
    '["cve-2026-12345-master.patch", "cve-2026-12345-stable-flamingo.patch"]' "$who: patch names"
  t_assert_contains "$(t_json "$T/$who.json" 'j["body"]')" "2026-05-14, 1500UTC" "$who: disclosure date"
  t_assert_contains "$(t_json "$T/$who.json" 'j["body"]')" "By rebuilding a server" "$who: the description"
done
t_assert_eq "$(t_json "$T/stakeholder-1.json" 'j["subject"]')" "[pre-OSSA] Vulnerability in OpenStack Nova (CVE-2026-12345)"
t_assert_eq "$(t_json "$T/linux-distros.json" 'j["subject"]')" "[vs] Vulnerability in OpenStack Nova (CVE-2026-12345)"
# A stakeholder cannot read the linux-distros mail.
path=$(t_json "$T/outbox.json" "[m['path'] for m in j if m['kind']=='vs'][0]")
check_mail "$D/demo/stakeholder-1/gnupg" "$path" > /dev/null 2>&1 && t_fail "the [vs] mail is readable by a stakeholder"

# notmuch (GMime) agrees on the [vs] mail, decrypted with the list's key.
if command -v notmuch > /dev/null; then
  mkdir -p "$T/nm/cur" "$T/nm/new" "$T/nm/tmp"
  cp "$path" "$T/nm/new/vs.eml"
  printf '[database]\npath=%s\n[user]\nname=T\nprimary_email=t@example.org\n[new]\ntags=new\n[crypto]\ngpg_path=gpg\n' "$T/nm" > "$T/nm.cfg"
  NOTMUCH_CONFIG=$T/nm.cfg GNUPGHOME=$D/demo/linux-distros/gnupg notmuch new > /dev/null
  mid=$(sed -n 's/^Message-ID: <\(.*\)>.*/\1/Ip' "$path" | head -1)
  NOTMUCH_CONFIG=$T/nm.cfg GNUPGHOME=$D/demo/linux-distros/gnupg notmuch show --format=json --decrypt=true id:"$mid" > "$T/nm.json"
  python3 - "$T/nm.json" "$coord_fpr" <<'PY' || t_fail "notmuch does not agree"
import json, sys
doc = json.load(open(sys.argv[1]))
def walk(x):
    if isinstance(x, dict):
        yield x
        for v in x.values(): yield from walk(v)
    elif isinstance(x, list):
        for v in x: yield from walk(v)
nodes = list(walk(doc))
enc = [n for n in nodes if "encstatus" in n]
sig = [s for n in nodes if "sigstatus" in n for s in n["sigstatus"]]
assert enc and enc[0]["encstatus"][0]["status"] == "good", enc
assert sig and sig[0]["status"] == "good" and sig[0]["fingerprint"] == sys.argv[2], sig
texts = [n.get("content") for n in nodes if n.get("content-type") == "text/plain" and isinstance(n.get("content"), str)]
assert any("By rebuilding a server" in t for t in texts), texts
PY
fi

# The ledger: who was told, with which key.
vmt show $C --json > "$T/case.json"
told=$(t_json "$T/case.json" '[(e["recipients"], e["keys"]) for e in j["events"] if e["kind"]=="disclosed" and e["message_id"]]')
t_assert_contains "$told" "distros@vs.openwall.example" "the ledger names linux-distros"
distros_fpr=$(gpg --homedir "$D/demo/linux-distros/gnupg" --with-colons --list-secret-keys | awk -F: '/^fpr:/ {print $10; exit}')
t_assert_contains "$told" "$distros_fpr" "the ledger names the key it was encrypted to"
t_assert_contains "$(vmt show $C)" "encrypted to:" "vmt show prints the timeline with keys"

# A stakeholder replies to the notification, encrypted to the key that signed it: the filter
# decrypts it (every secret key of the team's home) and attaches it to the case.
s1=$D/demo/stakeholder-1/gnupg
s1_fpr=$(gpg --homedir "$s1" --with-colons --list-secret-keys | awk -F: '/^fpr:/ {print $10; exit}')
pre_mid=$(t_json "$T/outbox.json" "[m['message_id'] for m in j if 'security@distro-one.example' in m['recipients']][0]")
printf 'Please subscribe our Launchpad user distro-one-psirt.\n' > "$T/reply.txt"
"$VMT_BUILD_DIR/tests/compose_driver" "$s1" "$s1_fpr" security@distro-one.example security@example.org \
  "Re: [pre-OSSA] Vulnerability in OpenStack Nova (CVE-2026-12345)" "$T/reply.txt" --encrypt "$team_fpr" \
  --in-reply-to "$pre_mid" --message-id reply-1@distro-one.example > "$T/reply.eml" || t_fail "compose the reply"
t_ingest "$cfg" < "$T/reply.eml" || t_fail "the reply was not filed"
t_assert_eq "$(vmt show $C --json | t_json - 'j["messages"]')" 2 "the reply is attached to the case"
t_assert_contains "$(vmt show $C --text)" "distro-one-psirt" "and shown to the coordinator"
t_assert_eq "$(vmt list --json | t_json - 'len(j)')" 1 "no new case for a reply"

# A stakeholder who replied is subscribed on request.
vmt subscribe $C late@cloud-three.example --tracker-name late-psirt > /dev/null || t_fail subscribe
t_assert_contains "$(sqlite3 "$D/tracker.db" "select group_concat(who) from subscriptions")" late-psirt

# The advisory, the disclosure and the announcement staged for the hour.
vmt advisory new $C --dir "$D/advisories" > "$T/adv.path" || t_fail "advisory new"
adv=$(cat "$T/adv.path")
t_assert_eq "$(basename "$adv")" OSSA-2026-001.yaml
t_assert_contains "$(cat "$adv")" "By rebuilding a server with an invalid image reference" "the draft holds the description"
t_assert_contains "$(cat "$adv")" "version: '>=30.0.0 <30.0.3, >=31.0.0 <31.1.1'" "and the affected versions"
sed -i -e 's|https://review.opendev.org/c/openstack/nova/+/TODO|https://review.opendev.org/c/openstack/nova/+/900001|' \
  -e 's|TODO the public bug URL|https://bugs.launchpad.net/nova/+bug/2100001|' \
  -e '/^notes:/,$d' "$adv"
t_expect_exit 69 vmt disclose $C 2> "$T/err"
t_assert_contains "$(cat "$T/err")" "scheduled for 2026-05-14T15:00:00Z" "no disclosure before the hour"
vmt disclose $C --at 2026-05-14T15:00:00Z > "$T/disclose.out" || t_fail "disclose --at: $(cat "$T/disclose.out")"
t_assert_contains "$(cat "$T/disclose.out")" "Notify CVE about a publication" "the publication form"
t_expect_exit 69 vmt publish $C --advisory "$adv" 2> "$T/err"   # not before the hour
vmt publish $C --advisory "$adv" --at 2026-05-14T15:00:00Z > /dev/null || t_fail "publish --at"

export VMT_NOW=2026-05-14T14:59:00Z
vmt check > "$T/check1.out" || true
t_assert_eq "$(sqlite3 "$D/tracker.db" "select information_type from bugs where id=1")" "Private Security" "still private at 14:59"
t_assert_eq "$(vmt outbox list --json | t_json - '[m["state"] for m in j if m["kind"]=="announce"]')" '[]' \
  "the announcement is not even composed before the hour"

export VMT_NOW=2026-05-14T15:00:30Z
vmt check > "$T/check2.out" || true
t_assert_eq "$(sqlite3 "$D/tracker.db" "select information_type from bugs where id=1")" "Public Security" "public at the hour"
t_assert_eq "$(sqlite3 "$D/tracker.db" "select title from bugs where id=1")" \
  "[OSSA-2026-001] Keystone token written to nova-api log on failed rebuild" "retitled [OSSA-NUM] TITLE"
t_assert_not_contains "$(sqlite3 "$D/tracker.db" "select description from bugs where id=1")" "This issue is being treated as a potential security risk" "reminder removed"
t_assert_eq "$(vmt outbox list --json | t_json - '[m["state"] for m in j if m["kind"]=="announce"]')" '["sent"]' "announcement released"
ann=$(ls "$D/sent/new/"* | while read -r f; do grep -l '^Subject: \[OSSA-2026-001\]' "$f"; done | head -1)
[ -n "$ann" ] || t_fail "no announcement delivered"
check_mail "$D/demo/stakeholder-1/gnupg" "$ann" > "$T/ann.json" || t_fail "the announcement does not verify"
t_assert_eq "$(t_json "$T/ann.json" 'j["encrypted"]')" false "the announcement is signed, not encrypted"
t_assert_eq "$(t_json "$T/ann.json" 'j["signed_by"]')" "$coord_fpr" "signed by the coordinator"
t_assert_eq "$(t_json "$T/ann.json" 'j["date"]')" "Thu, 14 May 2026 15:00:30 +0000" "dated when released"
t_assert_eq "$(t_json "$T/ann.json" 'j["body_encoding"]')" "7bit" "plain ASCII rST is not quoted-printable"
t_assert_eq "$(t_json "$T/ann.json" 'j["subject"]')" "[OSSA-2026-001] Nova: Keystone token written to nova-api log on failed rebuild (CVE-2026-12345)"
t_assert_contains "$(t_json "$T/ann.json" 'j["body"]')" "OSSA-2026-001: Keystone token written to nova-api log on failed rebuild" "the rST body"
t_assert_eq "$(vmt show $C --json | t_json - 'j["ossa_status"]')" "Fix Committed" "Fix Committed after disclosure"

# All patches merged: Fix Released.
t_expect_exit 69 vmt release $C 2> "$T/err"
vmt patch merged $C 1 > /dev/null && vmt patch merged $C 2 > /dev/null
vmt release $C > /dev/null || t_fail release
t_assert_eq "$(vmt show $C --json | t_json - 'j["ossa_status"]')" "Fix Released" "Fix Released"
t_log ok
