#!/bin/bash
# ingest_load.sh: reception throughput under load, next to its floor. N distinct reports (signed by
# the demo reporter, encrypted to the team key) are delivered through the real procmail recipe as
# the vmt user, C at a time; the floor is `gpg --decrypt` (which also verifies the signature) of
# the same messages' ciphertexts with the same home and the same concurrency, i.e. the work no
# filter can skip. Deliveries deferred (75) under load are delivered again, as an MTA would.
#
# Usage: bench/ingest_load.sh [N] [C...]     (default: 200 reports, C = 1 4 200)
#   VMT_BUILD_DIR (default ./build) must hold vmt, vmt-ingest. Root runs the programs as the
#   unprivileged user vmt-test (created if missing), like the tests.
# Prints one line per concurrency: the time and reports/s for gpg and for vmt-ingest, their ratio,
# and how many deliveries were deferred in the first round.
set -eu
N=${1:-200}
shift || true
CONC=("$@")
[ ${#CONC[@]} -gt 0 ] || CONC=(1 4 200)
here=$(cd "$(dirname "$0")/.." && pwd)
export VMT_SOURCE_DIR=$here VMT_BUILD_DIR=${VMT_BUILD_DIR:-$here/build}
. "$here/tests/lib/test-lib.sh"
. "$here/tests/lib/ingest.sh"
T_NAME=ingest_load
t_setup
command -v procmail >/dev/null || { echo "ingest_load: needs procmail" >&2; exit 1; }

t_team "$T/pristine"
mkdir -p "$T/mail" "$T/cipher"
for i in $(seq -w 1 "$N"); do
  make_report "$T/pristine" "bench$i" > "$T/mail/$i.eml"
  awk '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/' "$T/mail/$i.eml" > "$T/cipher/$i.asc"
done
t_give_to_vmt_user "$T/mail" "$T/cipher"

deliver() {  # deliver TEAM FILE -> "FILE STATUS"
  local rc
  set +e
  t_as_vmt procmail -m VMT_INGEST="$VMT_INGEST" VMT_CONFIG="$1/vmt.yaml" "$T_PROCMAILRC" \
    < "$2" 2>/dev/null
  rc=$?
  set -e
  echo "$2 $rc"
}
decrypt() {  # decrypt TEAM FILE
  t_as_vmt gpg --homedir "$1/gnupg" --batch --quiet --decrypt "$2" > /dev/null 2>&1 || echo "gpg failed on $2" >&2
}
export -f deliver decrypt t_as_vmt
export T VMT_INGEST VMT_SOURCE_DIR T_VMT_USER T_PROCMAILRC
now() { date +%s.%N; }
rate() { awk -v a="$1" -v b="$2" -v n="$N" 'BEGIN {printf "%6.2f s %6.1f/s", b-a, n/(b-a)}'; }

printf 'ingest_load: %d reports (PGP/MIME, signed + encrypted), %s cores, %s\n' "$N" "$(nproc)" "$(gpg --version | head -1)"
printf '%-12s %-22s %-22s %-8s %s\n' concurrency "gpg --decrypt" "vmt-ingest (procmail)" ratio "deferred (75) in round 1"
for c in "${CONC[@]}"; do
  team=$T/team-$c
  pristine_copy "$T/pristine" "$team"
  # Warm both gpg-agents' caches alike: one decryption before timing.
  decrypt "$team" "$T/cipher/$(ls "$T/cipher" | head -1)"
  g0=$(now)
  ls "$T"/cipher/*.asc | xargs -P "$c" -I{} bash -c "decrypt '$team' {}"
  g1=$(now)
  i0=$(now)
  ls "$T"/mail/*.eml | xargs -P "$c" -I{} bash -c "deliver '$team' {}" > "$T/round1-$c"
  i1=$(now)
  deferred=$(awk '$2 == 75' "$T/round1-$c" | wc -l)
  cp "$T/round1-$c" "$T/last"
  while [ "$(awk '$2 == 75' "$T/last" | wc -l)" -gt 0 ]; do
    awk '$2 == 75 {print $1}' "$T/last" | xargs -P 4 -I{} bash -c "deliver '$team' {}" > "$T/next"
    cp "$T/next" "$T/last"
  done
  i2=$(now)
  filed=$(store_q "$team" 'select count(*) from cases')
  [ "$filed" = "$N" ] || echo "ingest_load: only $filed of $N filed at concurrency $c" >&2
  ratio=$(awk -v g="$(awk -v a="$g0" -v b="$g1" 'BEGIN {print b-a}')" -v i="$(awk -v a="$i0" -v b="$i1" 'BEGIN {print b-a}')" \
    'BEGIN {printf "%.1fx", i/g}')
  extra=""
  [ "$deferred" -eq 0 ] || extra=" (all filed after $(awk -v a="$i0" -v b="$i2" 'BEGIN {printf "%.1f", b-a}') s)"
  printf '%-12s %-22s %-22s %-8s %s%s\n' "$c" "$(rate "$g0" "$g1")" "$(rate "$i0" "$i1")" "$ratio" "$deferred" "$extra"
  gpgconf --homedir "$team/gnupg" --kill all >/dev/null 2>&1 || true
done
