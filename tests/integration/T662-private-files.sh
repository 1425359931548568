#!/bin/bash
# T662-private-files: what vmt creates is private whatever the umask (0000 here): the team folder,
# store, spool, outbox, GnuPG home, tracker database, their files and the sent maildir are
# 0700/0600 (checked with stat). The programs are not dumpable and have no core limit while they
# hold report text (vmt-ingest stopped by a test hook after the store commit, vmt-send in its loop,
# vmt blocked reading a FIFO: /proc/PID/limits and the owner of /proc/PID, which the kernel makes
# root for a non-dumpable process). Credentials files others can read, or that another user owns,
# are refused with the chmod/chown that fixes them. vmt-ingest refuses root.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$VMT_SOURCE_DIR/tests/lib/ingest.sh"
t_setup
t_require_cmd sqlite3
export VMT_NOW=2026-05-11T10:00:00Z
D=$T/team
umask 000
t_team "$D"
team_set "$D" log.sink file
team_set "$D" log.file "$D/vmt.log"
# Deliveries under umask 0000 too (the MTA's umask is not ours to trust).
rc=$(ingest_status "$D" < "$D/demo/report.eml")
t_assert_eq "$rc" 0 "a report is filed"
t_as_vmt "$VMT_SEND" --config "$D/vmt.yaml" --once 2>/dev/null || t_fail "vmt-send"
umask 022

bad=""
while IFS= read -r line; do
  mode=${line%% *}
  path=${line#* }
  case $path in
    "$D"/demo/*) continue ;;  # the demo's other people's keys, not vmt's files
  esac
  if [ -d "$path" ]; then want=700; else want=600; fi
  [ "$mode" = "$want" ] || bad="$bad
  $mode $path (want $want)"
done < <(find "$D" \( -type f -o -type d \) ! -name 'S.gpg-agent*' -exec stat -c '%a %n' {} +)
[ -z "$bad" ] || t_fail "not private:$bad"
for p in "$D" "$D/vmt.db" "$D/tracker.db" "$D/spool" "$D/outbox" "$D/outbox/cur" "$D/gnupg" "$D/sent/new" "$D/vmt.log"; do
  t_assert_file "$p" "expected to exist"
done
t_assert_eq "$(ls "$D"/spool/*.eml | wc -l)" 1 "the spooled report is there (and was checked above)"
t_log "every file 0600 and folder 0700 under umask 0000 ($(find "$D" ! -path "$D/demo/*" | wc -l) checked)"

# --- not dumpable, no core limit, while the report is in memory -----------------------------------
proc_check() {  # proc_check PID NAME
  local pid=$1 name=$2
  grep -Eq '^Max core file size +0 +0 ' "/proc/$pid/limits" || t_fail "$name: core limit is not 0: $(grep core "/proc/$pid/limits")"
  [ "$(id -u)" -ne 0 ] ||
    t_assert_eq "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" "$(id -u "$T_VMT_USER")" "$name: runs as the vmt user"
  # Not dumpable: another process of the same user may not read its environment or memory
  # (ptrace access is refused), while it may for an ordinary process (the control below).
  t_as_vmt cat "/proc/$pid/environ" > /dev/null 2>&1 && t_fail "$name: another process of its user reads /proc/PID/environ"
  t_as_vmt sh -c 'head -c1 /proc/$1/mem' sh "$pid" > /dev/null 2>&1 && t_fail "$name: its memory is readable"
  t_log "$name: core limit 0, not dumpable"
}
# The process NAME of this test (other tests may run programs as the same user at the same time):
# the one whose command line names this test's folder.
pid_of() {
  local p
  for p in $(pgrep -x "$1" -u "$(id -u "$T_VMT_USER" 2>/dev/null || id -u)" || true); do
    tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -qF "$T" && { echo "$p"; return 0; }
  done
  return 0
}
# The control: the same check on an ordinary process of the vmt user succeeds.
t_as_vmt sleep 5.0$$ &
ctl=$!
sleep 0.3
ctl_pid=$(pgrep -f "^sleep 5.0$$\$" -u "$(id -u "$T_VMT_USER" 2>/dev/null || id -u)" | head -1)
t_as_vmt cat "/proc/$ctl_pid/environ" > /dev/null 2>&1 || t_fail "control: /proc/PID/environ of an ordinary process is not readable"
kill "$ctl_pid" 2>/dev/null; wait "$ctl" 2>/dev/null || true
make_report "$D" stop > "$T/stop.eml"
(ingest_status "$D" VMT_TEST_HOOKS=1 VMT_TEST_STOP_AFTER=store < "$T/stop.eml" > "$T/stop.rc") &
sub=$!
pid=""
for _ in $(seq 200); do
  pid=$(pid_of vmt-ingest)
  [ -n "$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = T ] && break
  sleep 0.1
done
[ -n "$pid" ] || t_fail "vmt-ingest did not stop at the hook"
proc_check "$pid" vmt-ingest
# runuser stops itself when its child stops: wake both until the delivery is over.
parent=$(ps -o ppid= -p "$pid" | tr -d ' ')
while kill -0 "$sub" 2>/dev/null; do kill -CONT "$pid" "$parent" 2>/dev/null; sleep 0.2; done
wait "$sub"
t_assert_eq "$(cat "$T/stop.rc")" 0 "vmt-ingest carries on after the check"

t_as_vmt "$VMT_SEND" --config "$D/vmt.yaml" --interval 60 2>/dev/null &
sub=$!
for _ in $(seq 100); do pid=$(pid_of vmt-send); [ -n "$pid" ] && break; sleep 0.1; done
[ -n "$pid" ] || t_fail "vmt-send did not start"
sleep 0.5
proc_check "$pid" vmt-send
kill -TERM "$pid"; wait "$sub" || true

mkfifo "$T/fifo" && t_give_to_vmt_user "$T/fifo"
t_as_vmt "$VMT" inspect --gnupg-home "$D/gnupg" "$T/fifo" > /dev/null 2>&1 &
sub=$!
for _ in $(seq 100); do pid=$(pid_of vmt); [ -n "$pid" ] && break; sleep 0.1; done
[ -n "$pid" ] || t_fail "vmt did not start"
sleep 0.3
proc_check "$pid" vmt
cat "$D/demo/report.eml" > "$T/fifo" 2>/dev/null || true  # vmt may stop reading early
wait "$sub" || true

# --- credentials files ----------------------------------------------------------------------------
make_report "$D" creds | ingest_status "$D" > /dev/null  # an acknowledgement waiting to be sent
team_set "$D" transport.kind smtp
team_set "$D" transport.smtp_url "smtp://127.0.0.1:9"
team_set "$D" transport.smtp_user vmt
team_set "$D" transport.smtp_password_file smtp.pw
printf 'not-the-password-%s\n' "$RANDOM" > "$D/smtp.pw"
t_give_to_vmt_user "$D/smtp.pw"
chmod 644 "$D/smtp.pw"
set +e
t_as_vmt "$VMT_SEND" --config "$D/vmt.yaml" --once > "$T/send.out" 2>&1
rc=$?
set -e
t_assert_eq "$rc" 77 "vmt-send refuses an SMTP password file others can read"
# The log goes to the log file sink of vmt.yaml.
t_assert_contains "$(cat "$T/send.out" "$D/vmt.log")" "chmod 600 $D/smtp.pw" "the fix is named"
t_assert_not_contains "$(cat "$T/send.out" "$D/vmt.log")" "not-the-password" "the password is not shown"
if [ "$(id -u)" -eq 0 ]; then
  chown root: "$D/smtp.pw"; chmod 600 "$D/smtp.pw"
  set +e
  t_as_vmt "$VMT_SEND" --config "$D/vmt.yaml" --once > "$T/send.out" 2>&1
  rc=$?
  set -e
  [ "$rc" != 0 ] || t_fail "a password file owned by another user is accepted"
  t_assert_contains "$(tail -3 "$D/vmt.log")" "chown" "another user's password file: the fix is named"

  # --- vmt-ingest refuses root -------------------------------------------------------------------
  set +e
  "$VMT_INGEST" --config "$D/vmt.yaml" < "$D/demo/report.eml" > "$T/root.out" 2>&1
  rc=$?
  set -e
  t_assert_eq "$rc" 75 "vmt-ingest as root defers (never bounces)"
  t_assert_contains "$(cat "$T/root.out")" "refusing to run as root" "vmt-ingest as root"
fi
t_log pass
