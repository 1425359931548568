#!/bin/bash
# T130-postfix-pipe: a private Postfix on loopback receives reports over SMTP and runs vmt-ingest
# through the pipe(8) transport documented in procmail/README.md (user= the unprivileged vmt user).
# A report is filed (status=sent); while the store is locked the delivery is deferred (exit 75),
# never bounced, and Postfix's retry files it once.
. "$(dirname "$0")/../lib/test-lib.sh"
. "$VMT_SOURCE_DIR/tests/lib/postfix.sh"
t_setup
t_postfix_require
t_require_cmd curl
t_require_cmd sqlite3
t_team "$T/team"
cfg=$T/team/vmt.yaml
sed -i 's/^store: {path: vmt.db}/store: {path: vmt.db, busy_timeout_ms: 300}/' "$cfg"
t_as_vmt "$VMT" --config "$cfg" list > /dev/null

t_postfix_start --domains "example.org" \
  --main "minimal_backoff_time = 2s" --main "maximal_backoff_time = 4s" --main "queue_run_delay = 2s" \
  --pipe "vmt unix - n n - - pipe flags=DRhu user=$T_VMT_USER argv=$VMT_INGEST --config $cfg"

# 1. A report filed through Postfix.
curl -s --url "smtp://127.0.0.1:$PF_PORT" --mail-from jane@reporter.example --mail-rcpt security@example.org \
  -T "$T/team/demo/report.eml" || t_fail "SMTP submission refused"
t_postfix_wait_log 'to=<security@example.org>.*relay=vmt.*status=sent' 1 60
t_assert_eq "$(t_as_vmt "$VMT" --config "$cfg" list --json | t_json - 'len(j)')" 1 "filed"
t_assert_eq "$(t_as_vmt "$VMT" --config "$cfg" show VMT-$(date +%Y)-001 --json | t_json - 'j["encrypted"]')" true

# 2. A second report while the store is locked: deferred, not bounced; filed on Postfix's retry.
sed -e 's/^Message-ID: <\([^@]*\)@/Message-ID: <second-\1@/I' -e 's/^Subject: .*/Subject: [nova] second report/' \
  "$T/team/demo/report.eml" > "$T/second.eml"
( t_as_vmt sqlite3 "$T/team/vmt.db" "BEGIN EXCLUSIVE; SELECT 1;" ".shell sleep 5" "COMMIT;" > /dev/null ) &
locker=$!
sleep 0.5
curl -s --url "smtp://127.0.0.1:$PF_PORT" --mail-from jane@reporter.example --mail-rcpt security@example.org \
  -T "$T/second.eml" || t_fail "SMTP submission refused"
t_postfix_wait_log 'to=<security@example.org>.*relay=vmt.*status=deferred' 1 30
wait $locker
t_postfix_wait_log 'to=<security@example.org>.*relay=vmt.*status=sent' 2 60
t_assert_eq "$(t_postfix_count_log 'status=bounced')" 0 "nothing bounced"
t_assert_eq "$(t_as_vmt "$VMT" --config "$cfg" list --json | t_json - 'len(j)')" 2 "both filed, once each"
t_log ok
