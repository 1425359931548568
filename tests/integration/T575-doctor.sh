#!/bin/bash
# T575-doctor: `vmt doctor` on a deployment: healthy when wired (exit 0); each thing an admin can
# get wrong is found with the command that fixes it: a world-readable spool, vmt-ingest run as
# root by Postfix, a credential file others can read, a failed mail, a clock behind the ledger, a
# configuration that does not load (exit 2 for problems, 1 for warnings only).
. "$(dirname "$0")/../lib/test-lib.sh"
. "$VMT_SOURCE_DIR/tests/lib/ingest.sh"
t_setup
t_team "$T/team"
D=$T/team
cfg=$D/vmt.yaml
doctor() { set +e; t_as_vmt "$VMT" --config "$cfg" doctor --master-cf "$T/master.cf" "$@" > "$T/doctor.out" 2>&1; echo $? > "$T/rc"; set -e; }
rc() { cat "$T/rc"; }

# Not wired into any MTA: a warning (reports would reach nobody).
doctor
t_assert_eq "$(rc)" 1 "only a warning when nothing delivers to vmt-ingest"
t_assert_contains "$(cat "$T/doctor.out")" "no Postfix pipe entry ($T/master.cf) and no procmail recipe runs vmt-ingest"

# Wired as procmail/README.md says: healthy.
printf 'vmt unix - n n - - pipe\n  flags=DRhu user=%s argv=%s --config %s\n' "$T_VMT_USER" "$VMT_INGEST" "$cfg" > "$T/master.cf"
chmod 644 "$T/master.cf"
doctor --json
t_assert_eq "$(rc)" 0 "a fresh, wired demo is healthy: $(cat "$T/doctor.out")"
t_assert_eq "$(t_json "$T/doctor.out" 'j["healthy"]')" true

# Each mistake, with its fix.
sed -i "s/user=$T_VMT_USER/user=root/" "$T/master.cf"
doctor
t_assert_eq "$(rc)" 2 "vmt-ingest as root is a problem"
t_assert_contains "$(cat "$T/doctor.out")" "vmt-ingest runs as root"
sed -i "s/user=root/user=$T_VMT_USER/" "$T/master.cf"

t_as_vmt chmod 755 "$D/spool"
doctor
t_assert_eq "$(rc)" 2
t_assert_contains "$(cat "$T/doctor.out")" "the spool $D/spool is mode 755: others can read embargoed data"
t_assert_contains "$(cat "$T/doctor.out")" "fix: chmod 700 $D/spool"
t_as_vmt chmod 700 "$D/spool"

t_as_vmt sh -c "echo secret > '$D/token' && chmod 644 '$D/token'"
team_set "$D" tracker.token_file token
doctor
t_assert_contains "$(cat "$T/doctor.out")" "tracker.token_file $D/token is mode 644"
t_as_vmt chmod 600 "$D/token"

t_ingest "$cfg" < "$D/demo/report.eml" || t_fail "vmt-ingest"
store_q "$D" "update outbox set state='failed', last_error='550 no such user' where kind='ack'"
doctor
t_assert_eq "$(rc)" 2
t_assert_contains "$(cat "$T/doctor.out")" "is failed: 550 no such user"
t_assert_contains "$(cat "$T/doctor.out")" "vmt outbox retry 1"
store_q "$D" "update outbox set state='sent' where kind='ack'"

store_q "$D" "update events set at='2099-01-01T00:00:00Z' where id=(select max(id) from events)"
doctor
t_assert_contains "$(cat "$T/doctor.out")" "is behind the newest ledger event (2099-01-01T00:00:00Z)"
store_q "$D" "update events set at='2020-01-01T00:00:00Z' where at='2099-01-01T00:00:00Z'"
doctor
t_assert_eq "$(rc)" 0 "healthy again: $(cat "$T/doctor.out")"

# A configuration that does not load is reported as the first problem, not a crash.
t_as_vmt sh -c "printf 'team: [\n' > '$T/broken.yaml'"
set +e
t_as_vmt "$VMT" --config "$T/broken.yaml" doctor > "$T/doctor.out" 2>&1
rc=$?
set -e
t_assert_eq "$rc" 2 "a broken configuration"
t_assert_contains "$(cat "$T/doctor.out")" "problem  config: $T/broken.yaml"
t_log ok
