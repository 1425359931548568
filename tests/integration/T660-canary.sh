#!/bin/bash
# T660-canary: decrypted report text stays in the store. A report carries a unique canary string
# in its text, its (protected) Subject and an attachment's name and content, all inside the
# ciphertext. It goes through the real vmt-ingest (new case, duplicate, a follow-up, a temporary
# failure with the tracker locked, through the real procmail recipe too, a SIGSEGV after the store
# commit) and the acknowledgement goes out through vmt-send. Then the canary must appear in no log
# line (stderr, the log file sink, and the syslog sink when the host has no syslogd: a listener on
# /dev/log stands in), no error message, nothing procmail says, no file of the team
# folder other than the store (vmt.db*) and the private bug (tracker.db*), not in plaintext in the
# spool, in no acknowledgement (decrypted with the team key), in no file the vmt user left in /tmp
# or its TMPDIR, and in no core file (none may be written).
. "$(dirname "$0")/../lib/test-lib.sh"
. "$VMT_SOURCE_DIR/tests/lib/ingest.sh"
t_setup
t_require_cmd sqlite3
export VMT_NOW=2026-05-11T10:00:00Z
D=$T/team
t_team "$D"
team_set "$D" log.sink file
team_set "$D" log.file "$D/vmt.log"
canary="CANARY-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
t_log "canary $canary"
start_marker=$T/start
touch "$start_marker"
mkdir -p "$T/tmp" "$T/cwd" && t_give_to_vmt_user "$T/tmp" "$T/cwd"

# The report: text, protected Subject and an attachment, all inside the signed+encrypted payload.
b="=_inner_$$"
{ printf 'Content-Type: multipart/mixed; boundary="%s"; protected-headers="v1"\n' "$b"
  printf 'Subject: [nova] %s in the subject\nFrom: "Jane Reporter" <jane@reporter.example>\n\n' "$canary"
  printf -- '--%s\nContent-Type: text/plain; charset=utf-8\n\nThe flaw: %s lets anyone read tokens.\n' "$b" "$canary"
  printf -- '--%s\nContent-Type: text/plain; name="poc-%s.txt"\nContent-Disposition: attachment; filename="poc-%s.txt"\n\n' "$b" "$canary" "$canary"
  printf 'curl http://victim/%s\n--%s--\n' "$canary" "$b"; } > "$T/inner.txt"
home=$D/demo/reporter/gnupg
{ printf 'Date: %s\nFrom: "Jane Reporter" <jane@reporter.example>\nTo: security@example.org\nSubject: ...\n' "$(date -R)"
  printf 'Message-ID: <canary-1@reporter.example>\nMIME-Version: 1.0\n'
  printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="E"\n\n--E\n'
  printf 'Content-Type: application/pgp-encrypted\n\nVersion: 1\n\n--E\nContent-Type: application/octet-stream\n\n'
  gpg --homedir "$home" --batch --trust-model always -a -s -e -u jane@reporter.example -r security@example.org < "$T/inner.txt" 2>/dev/null
  printf '\n--E--\n'; } > "$T/report.eml"
grep -q "$canary" "$T/report.eml" && t_fail "the canary is outside the ciphertext: the test is wrong"

run_ingest() {  # run_ingest [env...] < mail: as the vmt user, stderr kept, in cwd $T/cwd with TMPDIR $T/tmp
  set +e
  (cd "$T/cwd" && ulimit -c unlimited 2>/dev/null
   if [ "$(id -u)" -eq 0 ]; then
     runuser -u "$T_VMT_USER" -- env HOME="$T" PATH="$PATH" VMT_NOW="$VMT_NOW" TMPDIR="$T/tmp" \
       "$@" "$VMT_INGEST" --config "$D/vmt.yaml"
   else
     env TMPDIR="$T/tmp" "$@" "$VMT_INGEST" --config "$D/vmt.yaml"
   fi) 2>> "$T/stderr.log"
  echo $? >> "$T/codes"
  set -e
}

run_ingest < "$T/report.eml"                                   # a new case
run_ingest < "$T/report.eml"                                   # a duplicate
t_assert_eq "$(store_q "$D" 'select count(*) from cases')" 1 "one case"
t_assert_contains "$(store_q "$D" 'select body from messages')" "$canary" "the store holds the report (else this test proves nothing)"
t_assert_contains "$(tracker_q "$D" 'select description from bugs')" "$canary" "the private bug holds the report"

# A follow-up from the reporter (posted on the private bug), first while the tracker is locked
# (a temporary failure: exit 75, logged), through procmail, then again once it is free.
{ printf 'Date: %s\nFrom: "Jane Reporter" <jane@reporter.example>\nTo: security@example.org\nSubject: Re: [VMT-2026-001] ...\n' "$(date -R)"
  printf 'Message-ID: <canary-2@reporter.example>\nIn-Reply-To: <canary-1@reporter.example>\nContent-Type: text/plain\n\n'
  printf 'More about %s.\n' "$canary" | gpg --homedir "$home" --batch --trust-model always -a -s -e -u jane@reporter.example \
    -r security@example.org 2>/dev/null; } > "$T/followup.eml"
t_as_vmt python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
c.execute("BEGIN EXCLUSIVE"); print("locked", flush=True); time.sleep(8)' "$D/tracker.db" > "$T/lock.out" &
lock=$!
for _ in $(seq 100); do grep -q locked "$T/lock.out" 2>/dev/null && break; sleep 0.1; done
team_set "$D" tracker.timeout_s 1
set +e
if command -v procmail >/dev/null; then
  (cd "$T/cwd" && t_as_vmt procmail -m VMT_INGEST="$VMT_INGEST" VMT_CONFIG="$D/vmt.yaml" VMT_NOW="$VMT_NOW" \
     "$T_PROCMAILRC" < "$T/followup.eml" > "$T/procmail.out" 2>&1)
  echo $? > "$T/procmail.code"
else
  run_ingest < "$T/followup.eml"
  tail -1 "$T/codes" > "$T/procmail.code"
fi
set -e
t_assert_eq "$(cat "$T/procmail.code")" 75 "the follow-up is deferred while the tracker is locked"
wait "$lock"
run_ingest < "$T/followup.eml"
t_assert_eq "$(tail -1 "$T/codes")" 0 "the follow-up is filed once the tracker is free"
t_assert_eq "$(tracker_q "$D" "select count(*) from comments where content like '%$canary%'")" 1 "the follow-up is on the private bug"

# A crash with SIGSEGV after the store commit: no core file may be written.
printf 'Content-Type: text/plain\n\nthird %s\n' "$canary" | gpg --homedir "$home" --batch --trust-model always -a -e \
  -r security@example.org 2>/dev/null > "$T/third.asc"
{ printf 'From: "Jane Reporter" <jane@reporter.example>\nTo: security@example.org\nSubject: ...\nMessage-ID: <canary-3@reporter.example>\n'
  printf 'Content-Type: text/plain\n\n'; cat "$T/third.asc"; } > "$T/third.eml"
run_ingest VMT_TEST_HOOKS=1 VMT_TEST_CRASH_AFTER=store VMT_TEST_CRASH_SIGNAL=SEGV < "$T/third.eml"
t_assert_eq "$(tail -1 "$T/codes")" 139 "killed by SIGSEGV (128+11) after the store commit"
run_ingest < "$T/third.eml"
t_assert_eq "$(tail -1 "$T/codes")" 0 "the crashed report is completed on redelivery"

# The acknowledgements and the coordinators' follow-up notice go out (maildir transport) through
# the real queue runner; the canary must be in none of them but encrypted.
t_as_vmt "$VMT_SEND" --config "$D/vmt.yaml" --once 2>> "$T/stderr.log" || t_fail "vmt-send"
t_assert_eq "$(store_q "$D" "select count(*) from outbox where kind='ack' and state='sent'")" 2 \
  "two acknowledgements sent (the report and the crashed one)"
t_assert_eq "$(store_q "$D" "select count(*) from outbox where kind='follow-up-notice' and state='sent'")" 1 \
  "the coordinators are told of the follow-up"
t_assert_eq "$(ls "$D/sent/new" | wc -l)" 3 "three mails delivered"

# The syslog sink: when the host has no /dev/log (containers), a listener stands in for syslogd
# while one more report and its redelivery go through with log.sink syslog.
syslog_checked=no
if [ ! -e /dev/log ] && [ "$(id -u)" -eq 0 ]; then
  python3 -c '
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log"); os.chmod("/dev/log", 0o666)
print("ready", flush=True)
with open(sys.argv[1], "ab") as out:
    while True:
        out.write(s.recv(65536) + b"\n"); out.flush()' "$T/syslog.txt" > "$T/syslog.ready" &
  syslogd=$!
  t_on_exit "kill $syslogd 2>/dev/null; rm -f /dev/log"
  for _ in $(seq 50); do grep -q ready "$T/syslog.ready" 2>/dev/null && break; sleep 0.1; done
  team_set "$D" log.sink syslog
  sed "s/canary-1@/canary-4@/" "$T/report.eml" > "$T/fourth.eml"
  run_ingest < "$T/fourth.eml"
  run_ingest < "$T/fourth.eml"
  team_set "$D" log.sink file
  kill "$syslogd" 2>/dev/null; rm -f /dev/log
  grep -q "vmt-ingest" "$T/syslog.txt" || t_fail "the syslog sink wrote nothing (the test would prove nothing)"
  syslog_checked=yes
fi

# --- where the canary must not be ----------------------------------------------------------------------
leaks=""
check_file() { grep -qaF "$canary" "$1" 2>/dev/null && leaks="$leaks $1"; true; }
for f in "$T/stderr.log" "$D/vmt.log" "$T/procmail.out" "$T/syslog.txt"; do [ -e "$f" ] && check_file "$f"; done
[ -s "$D/vmt.log" ] || t_fail "the log file sink wrote nothing (the test would prove nothing)"
# Every file of the team folder except the store and the tracker database.
while IFS= read -r -d '' f; do check_file "$f"; done < <(find "$D" -type f ! -name 'vmt.db*' ! -name 'tracker.db*' -print0)
# The outbound mail, decrypted with the team key (every mail is encrypted to the team too).
for f in "$D"/outbox/cur/* "$D"/sent/new/*; do
  [ -f "$f" ] || continue
  grep -q 'multipart/encrypted' "$f" || continue
  awk '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/' "$f" |
    t_as_vmt gpg --homedir "$D/gnupg" --batch --decrypt > "$T/dec.txt" 2>/dev/null || t_fail "cannot decrypt $f"
  grep -q "VMT-2026-00" "$T/dec.txt" || t_fail "decrypted $f does not look like an acknowledgement"
  grep -qF "$canary" "$T/dec.txt" && leaks="$leaks $f(decrypted)"
done
# Temporary files: the vmt user's TMPDIR, /tmp, /var/tmp and the working folder (core files).
while IFS= read -r -d '' f; do check_file "$f"; done < <(find "$T/tmp" "$T/cwd" -type f -print0)
while IFS= read -r -d '' f; do check_file "$f"; done < <(find /tmp /var/tmp -xdev -type f -newer "$start_marker" \
  -user "$(id -u "$T_VMT_USER" 2>/dev/null || id -u)" ! -path "$T/*" -print0 2>/dev/null)
[ -z "$leaks" ] || t_fail "the canary leaked into:$leaks"
t_assert_eq "$(find "$T/cwd" -name 'core*' | wc -l)" 0 "no core file"
t_assert_eq "$(ls -A "$T/tmp" | wc -l)" 0 "no temporary file left behind"

# The core-file check can fail: the same shell settings make an ordinary crashing process dump core.
if [ "$(cat /proc/sys/kernel/core_pattern)" = core ]; then
  (cd "$T/cwd" && ulimit -c unlimited && t_as_vmt bash -c 'ulimit -c unlimited; kill -SEGV $$') >/dev/null 2>&1 || true
  if [ "$(find "$T/cwd" -name 'core*' | wc -l)" -ge 1 ]; then
    t_log "control: an ordinary crashing process did write a core file here; vmt-ingest did not"
  else
    t_log "control: no core file even for an ordinary process (core dumps disabled on this host)"
  fi
else
  t_log "core_pattern is '$(cat /proc/sys/kernel/core_pattern)': the core-file check relies on T662's /proc checks"
fi
t_log "exit codes: $(tr '\n' ' ' < "$T/codes"); syslog sink checked: $syslog_checked"
t_log pass
