#!/bin/bash
# T641-ingest-faults: what goes wrong around the real vmt-ingest (run as the unprivileged vmt user)
# is a clearly logged temporary failure (exit 75: the MTA keeps the message and retries) or a clean
# quarantine, and never a loss: the message is either still the MTA's (75 before spooling) or in
# the spool, and the next delivery completes it, once.
#   - the store on a full disk (a 2 MB tmpfs; needs root to mount it, else skipped with a message)
#   - the spool on a full disk, and a read-only spool
#   - the local tracker locked by another process past its timeout; Launchpad at a closed port;
#     a Launchpad token others can read
#   - the store locked by another process past busy_timeout
#   - garbage input; a report encrypted to a key the team lacks (quarantined, coordinators told,
#     `vmt quarantine list` shows it, `vmt quarantine retry` files it once the key is imported)
#   - five copies of one report delivered at once: one case
. "$(dirname "$0")/../lib/test-lib.sh"
. "$VMT_SOURCE_DIR/tests/lib/ingest.sh"
t_setup
t_require_cmd sqlite3
t_require_cmd python3
export VMT_NOW=2026-05-11T10:00:00Z
t_team "$T/pristine"
team_set "$T/pristine" team.notify "[coord@example.org]"
D=$T/team

fresh() { pristine_copy "$T/pristine" "$D"; : > "$T/ingest.log"; }
log_has() { grep -q -- "$1" "$T/ingest.log" || t_fail "$2: the log does not say '$1': $(cat "$T/ingest.log")"; }
cases() { store_q "$D" 'select count(*) from cases'; }

# hold_lock DB SECONDS: a process (the vmt user) holding the write lock of an SQLite database.
hold_lock() {
  t_as_vmt python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
c.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
c.execute("ROLLBACK")' "$1" "$2" > "$T/lock.out" &
  LOCK_PID=$!
  for _ in $(seq 100); do grep -q locked "$T/lock.out" 2>/dev/null && return 0; sleep 0.1; done
  t_fail "could not lock $1"
}

# --- the full disk ------------------------------------------------------------------------------
if [ "$(id -u)" -eq 0 ] && mkdir -p "$T/full" && mount -t tmpfs -o size=2m,mode=0700 tmpfs "$T/full" 2>/dev/null; then
  t_on_exit "umount -l '$T/full'"
  chown "$T_VMT_USER": "$T/full"
  fill() { dd if=/dev/zero of="$T/full/filler" bs=16k >/dev/null 2>&1 || true; sync; }
  # (a) The store on the full disk: spooled, not filed, exit 75; filed once there is room.
  fresh
  team_set "$D" store.path "$T/full/vmt.db"
  make_report "$D" one > "$T/one.eml"
  make_report "$D" two > "$T/two.eml"
  t_assert_eq "$(ingest_status "$D" < "$T/one.eml")" 0 "a first report fills the store's schema"
  fill
  t_assert_eq "$(ingest_status "$D" < "$T/two.eml")" 75 "store on a full disk"
  log_has "deferred, will be retried" "full store"
  t_assert_eq "$(ls "$D/spool"/*.eml | wc -l)" 2 "full store: the second report is spooled"
  rm -f "$T/full/filler"
  t_assert_eq "$(ingest_status "$D" < "$T/two.eml")" 0 "full store: redelivery once there is room"
  t_assert_eq "$(t_as_vmt sqlite3 "$T/full/vmt.db" 'select count(*) from cases')" 2 "full store: two cases"
  t_assert_eq "$(ingest_status "$D" < "$T/two.eml")" 0 "full store: third delivery"
  t_assert_eq "$(t_as_vmt sqlite3 "$T/full/vmt.db" 'select count(*) from cases')" 2 "full store: still two cases"
  rm -f "$T"/full/vmt.db*
  # (b) The spool on the full disk: nothing spooled, exit 75; filed once there is room.
  fresh
  team_set "$D" spool "$T/full/spool"
  t_as_vmt mkdir -m 700 "$T/full/spool"
  fill
  t_assert_eq "$(ingest_status "$D" < "$D/demo/report.eml")" 75 "spool on a full disk"
  log_has "check free space" "full spool"
  t_assert_eq "$(find "$T/full/spool" -name '*.eml' -o -name '.incoming*' | wc -l)" 0 "full spool: no half file left"
  rm -f "$T/full/filler"
  t_assert_eq "$(ingest_status "$D" < "$D/demo/report.eml")" 0 "full spool: redelivery"
  assert_one_reception "$D" "full spool"
  t_log "full disk: store and spool each deferred (75), then filed once"
else
  t_log "SKIP part: the full-disk cases need root to mount a small tmpfs (running as uid $(id -u))"
fi

# --- a read-only spool ---------------------------------------------------------------------------
fresh
chmod 500 "$D/spool"
t_assert_eq "$(ingest_status "$D" < "$D/demo/report.eml")" 75 "read-only spool"
log_has "spool folder is writable" "read-only spool"
chmod 700 "$D/spool"
t_assert_eq "$(ingest_status "$D" < "$D/demo/report.eml")" 0 "read-only spool: redelivery"
assert_one_reception "$D" "read-only spool"

# --- the local tracker locked past its timeout --------------------------------------------------
fresh
team_set "$D" tracker.timeout_s 1
t_assert_eq "$(ingest_status "$D" < <(make_report "$D" warmup))" 0 "the tracker database exists"
rm -f "$D"/outbox/new/*; store_q "$D" "delete from outbox"  # forget the warm-up's acknowledgement
hold_lock "$D/tracker.db" 8
t_assert_eq "$(ingest_status "$D" < "$D/demo/report.eml")" 75 "tracker locked"
log_has "tracker.db: exec: database is locked" "tracker locked"
t_assert_eq "$(store_q "$D" "select state from messages order by id desc limit 1")" filed "tracker locked: filed in the store"
wait "$LOCK_PID"
t_assert_eq "$(ingest_status "$D" < "$D/demo/report.eml")" 0 "tracker back: redelivery"
t_assert_eq "$(cases)" 2 "tracker back: two cases (warm-up and report)"
t_assert_eq "$(tracker_q "$D" 'select count(*) from bugs')" 2 "tracker back: two bugs"
t_assert_eq "$(store_q "$D" "select count(*) from outbox where kind='ack'")" 1 "tracker back: one acknowledgement"

# --- Launchpad at a closed port, and a token others can read --------------------------------------
fresh
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
team_set "$D" tracker.kind launchpad
team_set "$D" tracker.api_root "http://127.0.0.1:$port/devel/"
team_set "$D" tracker.web_root "https://bugs.launchpad.test"
team_set "$D" tracker.token_file launchpad.token
team_set "$D" tracker.retries 0
team_set "$D" tracker.timeout_s 2
printf '[1]\nconsumer_key = vmt\nconsumer_secret = \naccess_token = tok\naccess_secret = sec\n' > "$D/launchpad.token"
t_give_to_vmt_user "$D/launchpad.token"
chmod 600 "$D/launchpad.token"
t_assert_eq "$(ingest_status "$D" < "$D/demo/report.eml")" 75 "Launchpad unreachable"
log_has "deferred, will be retried" "Launchpad unreachable"
t_assert_eq "$(store_q "$D" "select state from messages")" filed "Launchpad unreachable: filed in the store, bug pending"
chmod 644 "$D/launchpad.token"
: > "$T/ingest.log"
t_assert_eq "$(ingest_status "$D" < "$D/demo/report.eml")" 75 "Launchpad token readable by others"
log_has "chmod 600 $D/launchpad.token" "token readable by others"
t_assert_not_contains "$(cat "$T/ingest.log")" "access_secret" "the token is not logged"

# --- the store locked past busy_timeout -----------------------------------------------------------
fresh
team_set "$D" store.busy_timeout_ms 300
t_assert_eq "$(ingest_status "$D" < <(make_report "$D" warmup))" 0 "the store exists"
hold_lock "$D/vmt.db" 6
t_assert_eq "$(ingest_status "$D" < "$D/demo/report.eml")" 75 "store locked"
log_has "another vmt process holds the store" "store locked"
t_assert_eq "$(ls "$D/spool"/*.eml | wc -l)" 2 "store locked: the report is spooled"
wait "$LOCK_PID"
t_assert_eq "$(ingest_status "$D" < "$D/demo/report.eml")" 0 "store free: redelivery"
t_assert_eq "$(cases)" 2 "store free: two cases"

# --- garbage -----------------------------------------------------------------------------------------
fresh
head -c 20000 /dev/urandom > "$T/garbage"
t_assert_eq "$(ingest_status "$D" < "$T/garbage")" 0 "garbage is quarantined, not deferred"
t_assert_eq "$(store_q "$D" "select reason from quarantine")" garbage "garbage: reason"
t_assert_eq "$(ls "$D/spool"/*.eml | wc -l)" 1 "garbage: kept in the spool"
t_assert_eq "$(store_q "$D" "select count(*) from outbox where kind='quarantine-notice'")" 1 "garbage: coordinators told"
t_assert_eq "$(cases)" 0 "garbage: no case"

# --- a report encrypted to a key the team lacks ------------------------------------------------------
fresh
other=$(t_genkey "$T/other/gnupg" "Old Team Key" security@example.org)
printf 'Content-Type: text/plain\n\nreport for the old key\n' |
  gpg --homedir "$T/other/gnupg" --batch --trust-model always -a -e -r "$other" > "$T/old.asc"
{ printf 'From: Jane Reporter <jane@reporter.example>\nTo: security@example.org\nSubject: [nova] old key\n'
  printf 'Message-ID: <old-key@reporter.example>\nMIME-Version: 1.0\n'
  printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b"\n\n'
  printf -- '--b\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--b\nContent-Type: application/octet-stream\n\n'
  cat "$T/old.asc"; printf '\n--b--\n'; } > "$T/old.eml"
t_assert_eq "$(ingest_status "$D" < "$T/old.eml")" 0 "wrong key: quarantined"
t_as_vmt "$VMT" --config "$D/vmt.yaml" quarantine list --json > "$T/q.json"
t_assert_eq "$(t_json "$T/q.json" 'len(j)')" 1 "wrong key: listed"
t_assert_eq "$(t_json "$T/q.json" 'j[0]["reason"]')" no-key "wrong key: reason"
t_assert_eq "$(t_json "$T/q.json" 'j[0]["from"]')" jane@reporter.example "wrong key: sender shown"
t_assert_eq "$(store_q "$D" "select recipients from outbox where kind='quarantine-notice'")" '["coord@example.org"]' \
  "wrong key: the coordinators are told"
notice=$(ls "$D/outbox/new")
t_assert_not_contains "$(cat "$D/outbox/new/$notice")" "report for the old key" "the notice holds no report text"
gpg --homedir "$T/other/gnupg" --batch --pinentry-mode loopback --passphrase '' --export-secret-keys "$other" > "$T/old.key"
t_give_to_vmt_user "$T/old.key"
t_as_vmt gpg --homedir "$D/gnupg" --batch --import "$T/old.key" >/dev/null 2>&1 || t_fail "import the old key"
id=$(t_json "$T/q.json" 'j[0]["id"]')
t_as_vmt "$VMT" --config "$D/vmt.yaml" quarantine retry "$id" > "$T/retry.out" || t_fail "quarantine retry"
t_assert_contains "$(cat "$T/retry.out")" "new-case VMT-2026-001" "retry files it"
t_assert_eq "$(t_as_vmt "$VMT" --config "$D/vmt.yaml" quarantine list --json | t_json - 'len(j)')" 0 "retry: out of quarantine"
t_assert_eq "$(ingest_status "$D" < "$T/old.eml")" 0 "wrong key: a redelivery after the retry"
t_assert_eq "$(cases)" 1 "wrong key: one case"

# --- five copies at once ------------------------------------------------------------------------------
fresh
for i in 1 2 3 4 5; do (ingest_status "$D" < "$D/demo/report.eml" > "$T/par.$i") & done
wait
codes=$(cat "$T"/par.* | sort | uniq -c | tr -s ' ' | tr '\n' ';')
for i in 1 2 3 4 5; do
  case $(cat "$T/par.$i") in 0|75) ;; *) t_fail "parallel copy $i: exit $(cat "$T/par.$i")";; esac
done
t_assert_eq "$(ingest_status "$D" < "$D/demo/report.eml")" 0 "after the parallel copies"
assert_one_reception "$D" "five copies at once (exits: $codes)"
t_log "five copies at once: exit codes $codes, one case"
t_log pass
