#!/bin/bash
# T580-systemd-units: the shipped units (systemd/*.in, installed under lib/systemd/system) are
# valid for `systemd-analyze verify` against their installed programs, and sandboxed: `systemd-
# analyze security` rates each service's exposure "OK" or better (at most 2.0 of 10); the scores
# are printed. Installed with DESTDIR into a throwaway root that gets the host's system units.
. "$(dirname "$0")/../lib/test-lib.sh"
t_setup
t_require_cmd systemd-analyze
R=$T/root
DESTDIR=$R cmake --install "$VMT_BUILD_DIR" > "$T/install.log" 2>&1 || t_fail "cmake --install: $(tail -3 "$T/install.log")"
units=$(find "$R" -path '*/lib/systemd/system/vmt-*' -type f | sort)
[ "$(echo "$units" | wc -l)" -eq 4 ] || t_fail "expected 4 units, found: $units"
mkdir -p "$R/usr/lib/systemd"
cp -r /lib/systemd/system "$R/usr/lib/systemd/"   # sysinit.target and friends, for verify
for u in $units; do
  systemd-analyze verify --root="$R" "$u" > "$T/verify.out" 2>&1 || t_fail "$(basename "$u"): $(cat "$T/verify.out")"
  [ -s "$T/verify.out" ] && t_fail "$(basename "$u"): verify warns: $(cat "$T/verify.out")"
  grep -q '^ExecStart=' "$u" || continue
  exec_path=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$u")
  [ -x "$R$exec_path" ] || t_fail "$(basename "$u") runs $exec_path, which the install did not put there"
  score=$(systemd-analyze security --offline=true --root="$R" "$u" 2>/dev/null |
    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
  [ -n "$score" ] || t_fail "$(basename "$u"): no security score"
  t_log "$(basename "$u"): exposure $score"
  python3 -c "import sys; sys.exit(0 if float('$score') <= 2.0 else 1)" || t_fail "$(basename "$u") exposure $score > 2.0"
  grep -q '^User=vmt$' "$u" || t_fail "$(basename "$u") does not run as the vmt user"
done
t_log ok
