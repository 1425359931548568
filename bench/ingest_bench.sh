#!/bin/bash
# ingest_bench.sh: how long vmt-ingest takes to file a 10 KB encrypted and signed report, next to
# `gpg --decrypt` of the same message with the same (warm) agent, and the ratio. Target: at most
# 1.5x the gpg time (issue 3). Prints the median of N runs of each.
#
#   bench/ingest_bench.sh [N]        (default N=21; needs a build in ./build or $VMT_BUILD_DIR)
#
# Each vmt-ingest run files a distinct message (its own Message-ID and ciphertext) as a new case:
# spool with fsync, decryption and verification through gpgme, the store transaction, the local
# tracker's reception steps, and the signed and encrypted acknowledgement queued in the outbox.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${VMT_BUILD_DIR:-$src/build}
n=${1:-21}
VMT=$build/mailer/vmt/vmt
INGEST=$build/filters/ingest/vmt-ingest
COMPOSE=$build/tests/compose_driver
for b in "$VMT" "$INGEST" "$COMPOSE"; do [ -x "$b" ] || { echo "build first: $b is missing" >&2; exit 1; }; done
work=$(mktemp -d /tmp/vmt-bench.XXXXXX)
trap 'gpgconf --homedir "$work/team/gnupg" --kill all 2>/dev/null; gpgconf --homedir "$work/team/demo/reporter/gnupg" --kill all 2>/dev/null; rm -rf "$work"' EXIT
root=()
[ "$(id -u)" -eq 0 ] && root=(--allow-root)

"$VMT" init "$work/team" --demo > /dev/null
cfg=$work/team/vmt.yaml
sed -i 's/^log: {sink: stderr, level: info}/log: {sink: stderr, level: warn}/' "$cfg"
rep=$work/team/demo/reporter/gnupg
rep_fpr=$(gpg --homedir "$rep" --with-colons --list-secret-keys | awk -F: '/^fpr:/ {print $10; exit}')
team_fpr=$(gpg --homedir "$work/team/gnupg" --with-colons --list-secret-keys | awk -F: '/^fpr:/ {print $10; exit}')
# A 10 KB report: prose and a base64 dump (incompressible, so the mail is 10 KB too).
{
  printf 'Hello,\n\nnova-api logs the Keystone token of the requesting user on a failed rebuild.\n\n'
  head -c 7200 /dev/urandom | base64
} | head -c 10240 > "$work/body.txt"
for i in $(seq 1 "$n"); do
  "$COMPOSE" "$rep" "$rep_fpr" jane@reporter.example security@example.org "[nova] report $i" "$work/body.txt" \
    --encrypt "$team_fpr" --message-id "bench-$i@reporter.example" > "$work/m$i.eml"
done
size=$(stat -c %s "$work/m1.eml")
# The ciphertext alone, for gpg.
awk '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/' "$work/m1.eml" > "$work/m1.asc"
gpg --homedir "$work/team/gnupg" --batch --decrypt "$work/m1.asc" > /dev/null 2>&1   # warm the agent

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { echo "scale=2; $1/1000000" | bc 2>/dev/null || awk "BEGIN {printf \"%.2f\", $1/1000000}"; }

gpg_times=$(for i in $(seq 1 "$n"); do
  s=$(date +%s%N); gpg --homedir "$work/team/gnupg" --batch --decrypt "$work/m1.asc" > /dev/null 2>&1; e=$(date +%s%N)
  echo $((e - s))
done | median)
ingest_times=$(for i in $(seq 1 "$n"); do
  s=$(date +%s%N); "$INGEST" "${root[@]}" --config "$cfg" < "$work/m$i.eml" 2>/dev/null; e=$(date +%s%N)
  echo $((e - s))
done | median)
cases=$("$VMT" --config "$cfg" list | tail -n +2 | wc -l)
[ "$cases" -eq "$n" ] || { echo "only $cases of $n reports filed" >&2; exit 1; }

printf 'message: %d bytes (10 KB body, PGP/MIME signed and encrypted), %d runs each, median\n' "$size" "$n"
printf 'gpg --decrypt:  %8s ms\n' "$(awk "BEGIN {printf \"%.1f\", $gpg_times/1e6}")"
printf 'vmt-ingest:     %8s ms  (filed as a new case: spool, decrypt+verify, store, tracker, signed+encrypted ack)\n' \
  "$(awk "BEGIN {printf \"%.1f\", $ingest_times/1e6}")"
printf 'ratio:          %8s x  (target <= 1.5)\n' "$(awk "BEGIN {printf \"%.2f\", $ingest_times/$gpg_times}")"
# Where one more delivery spends its time (the filter's debug log; no report text in it).
sed -i 's/^log: {sink: stderr, level: warn}/log: {sink: stderr, level: debug}/' "$cfg"
"$COMPOSE" "$rep" "$rep_fpr" jane@reporter.example security@example.org "[nova] report x" "$work/body.txt" \
  --encrypt "$team_fpr" --message-id "bench-x@reporter.example" > "$work/mx.eml"
echo "one delivery, phase by phase (ms since reception started; add ~10 ms of process start, config and spool):"
"$INGEST" "${root[@]}" --config "$cfg" < "$work/mx.eml" 2>&1 | sed -n 's/.*debug: message [0-9a-f]*: /  /p'
