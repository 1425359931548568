#!/bin/bash
# run.sh: run the libFuzzer targets of a fuzz build for a bounded time each (see fuzz/README.md).
#
# Usage: fuzz/run.sh FUZZ_BUILD_DIR [SECONDS_PER_TARGET] [TARGET...]
#   FUZZ_BUILD_DIR  a build folder configured with -DVMT_BUILD_FUZZ=ON (clang) where `fuzz` is built
#   SECONDS         default $VMT_FUZZ_SECONDS, else 20
#   TARGET          default: every fuzz_* target
#
# Seed corpora are gathered at run time into FUZZ_BUILD_DIR/fuzz-work/<target>/seeds (never into
# the source tree): the test inputs in fuzz/seeds, the shipped templates, the hostile mail corpus
# and the advisory corpus of ../shared when present, and mails made here with gpg (encrypted and
# signed to the fuzz team key, so that the decrypted paths are reached). What each target finds is
# kept in fuzz-work/<target>/corpus (grows from run to run); crashes go to fuzz-work/<target>/artifacts.
# First every input under tests/fuzz-regressions/<target>/ is replayed (each past crash, now fixed).
#
# Exit status: 0 no crash, 1 a target crashed or a regression input fails (the artifact path is
# printed), 77 no fuzz build (the CTest entry then reports a skip).
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-}
seconds=${2:-${VMT_FUZZ_SECONDS:-20}}
shift 2 2>/dev/null || shift $#
shared=${VMT_SHARED_DIR:-$src/../shared}

if [ -z "$build" ] || [ ! -x "$build/fuzz/fuzz_mime" ]; then
  echo "fuzz/run.sh: SKIP: no fuzz build at '${build}' (CC=clang CXX=clang++ cmake -S . -B build-fuzz -DVMT_BUILD_FUZZ=ON" \
       "-DVMT_BUILD_TESTS=OFF -DVMT_BUILD_BENCH=OFF && cmake --build build-fuzz --target fuzz)" >&2
  exit 77
fi
build=$(cd "$build" && pwd)
work=$build/fuzz-work
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_mime fuzz_headers fuzz_reception fuzz_advisory fuzz_versions fuzz_tmpl)
mkdir -p "$work"

# The fuzz team's GnuPG home: the team key (decrypts) and a reporter key (signs), made once.
home=$work/gnupg
export VMT_FUZZ_GNUPG_HOME=$home
genkey() {
  gpg --homedir "$home" --batch --passphrase '' --quick-gen-key "$1" ed25519 sign 5y >/dev/null 2>&1
  local fpr
  fpr=$(gpg --homedir "$home" --with-colons --list-keys "$2" | awk -F: '/^fpr:/ {print $10; exit}')
  gpg --homedir "$home" --batch --passphrase '' --quick-add-key "$fpr" cv25519 encr 5y >/dev/null 2>&1
}
if [ ! -f "$home/pubring.kbx" ] || ! gpg --homedir "$home" --list-secret-keys security@example.org >/dev/null 2>&1; then
  mkdir -p "$home" && chmod 700 "$home"
  printf 'allow-loopback-pinentry\n' > "$home/gpg-agent.conf"
  printf 'pinentry-mode loopback\n' > "$home/gpg.conf"
  genkey "Fuzz VMT <security@example.org>" "<security@example.org>"
  genkey "Jane Reporter <jane@reporter.example>" "<jane@reporter.example>"
fi
trap 'gpgconf --homedir "$home" --kill all >/dev/null 2>&1' EXIT

G() { gpg --homedir "$home" --batch --yes --trust-model always "$@" 2>/dev/null; }

# Mails encrypted and signed to the fuzz team, one per shape the reader handles.
make_mail_seeds() {
  local d=$1 report body
  report=$(printf 'Hello,\nnova-api logs the X-Auth-Token at INFO level.\nRegards,\nJane\n')
  hdr() { printf 'From: Jane Reporter <jane@reporter.example>\nTo: security@example.org\nSubject: %s\nDate: Mon, 11 May 2026 09:00:00 +0000\nMessage-ID: <%s@reporter.example>\nMIME-Version: 1.0\n' "$1" "$2"; }
  local inner
  inner=$(printf 'Content-Type: text/plain; charset=utf-8; protected-headers="v1"\nSubject: [nova] token in logs\nFrom: Jane Reporter <jane@reporter.example>\n\n%s\n' "$report")
  { hdr "..." pgpmime
    printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="E"\n\n--E\n'
    printf 'Content-Type: application/pgp-encrypted\n\nVersion: 1\n\n--E\nContent-Type: application/octet-stream\n\n'
    printf '%s' "$inner" | G -a -s -e -u jane@reporter.example -r security@example.org
    printf '\n--E--\n'; } > "$d/gen-pgpmime.eml"
  { hdr "[nova] inline" inline; printf 'Content-Type: text/plain\n\n'
    printf '%s' "$report" | G -a -s -e -u jane@reporter.example -r security@example.org; } > "$d/gen-inline.eml"
  { hdr "[nova] clearsigned" clear; printf 'Content-Type: text/plain\n\n'
    printf '%s' "$report" | G --clearsign -u jane@reporter.example; } > "$d/gen-clearsigned.eml"
  body=$(printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n' "$report" | sed 's/$/\r/; s/\r\r$/\r/')
  { hdr "[nova] signed" signed
    printf 'Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha512; boundary="S"\r\n\r\n--S\r\n'
    printf '%s' "$body"; printf '\r\n--S\r\nContent-Type: application/pgp-signature\r\n\r\n'
    printf '%s' "$body" | G -a --detach-sign -u jane@reporter.example
    printf '\r\n--S--\r\n'; } > "$d/gen-signed.eml"
  { hdr "[nova] mixed" mixed; printf 'Content-Type: multipart/mixed; boundary="M"\n\n--M\nContent-Type: text/plain\n\nplain text beside\n--M\n'
    printf 'Content-Type: text/plain\n\n'; printf '%s' "$report" | G -a -e -r security@example.org; printf '\n--M--\n'; } > "$d/gen-mixed.eml"
  { hdr "Re: [VMT-2026-001] Your report" followup; printf 'In-Reply-To: <VMT-2026-001.ack.0@example.org>\nContent-Type: text/plain\n\n'
    printf 'more detail\n' | G -a -s -e -u jane@reporter.example -r security@example.org; } > "$d/gen-followup.eml"
}

# copy_seeds DEST FILE...: files up to 256 kB, named by content so that reruns do not duplicate.
copy_seeds() {
  local dest=$1 f
  shift
  for f in "$@"; do
    [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 262144 ] || continue
    cp "$f" "$dest/$(sha1sum < "$f" | cut -c1-16)"
  done
}

seeds_for() {
  local t=$1 d=$work/$1/seeds
  rm -rf "$d" && mkdir -p "$d"
  case $t in
    fuzz_mime|fuzz_reception)
      make_mail_seeds "$d"
      [ -d "$shared/corpus/mail" ] && find "$shared/corpus/mail" -type f ! -name '*.md' ! -name 'MANIFEST*' \
        ! -path '*/assets/*' ! -name '*.asc' ! -name '*.gpg' ! -name '*.pgp' ! -name '*.p12' ! -name '*.keys' \
        -print0 | while IFS= read -r -d '' f; do copy_seeds "$d" "$f"; done ;;
    fuzz_headers) copy_seeds "$d" "$src"/fuzz/seeds/headers/* ;;
    fuzz_advisory)
      [ -d "$shared/corpus/ossa/yaml" ] && copy_seeds "$d" "$shared"/corpus/ossa/yaml/*.yaml
      copy_seeds "$d" "$src"/templates/advisory/*.yaml.tpl ;;
    fuzz_versions) copy_seeds "$d" "$src"/fuzz/seeds/versions/* ;;
    fuzz_tmpl)
      copy_seeds "$d" "$src"/fuzz/seeds/tmpl/*
      for f in "$src"/templates/reception/*.tpl "$src"/templates/workflow/*.tpl; do
        { printf T; cat "$f"; } > "$d/T-$(basename "$f")"
      done ;;
  esac
}

status=0
for t in "${targets[@]}"; do
  bin=$build/fuzz/$t
  [ -x "$bin" ] || { echo "fuzz/run.sh: $t is not built" >&2; status=1; continue; }
  mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
  # Past crashes, each replayed once.
  reg=$src/tests/fuzz-regressions/$t
  if [ -d "$reg" ] && [ -n "$(ls -A "$reg" 2>/dev/null)" ]; then
    if ! "$bin" -runs=1 "$reg"/* > "$work/$t/regressions.log" 2>&1; then
      echo "fuzz/run.sh: $t: a regression input fails again (see $work/$t/regressions.log)" >&2
      status=1
      continue
    fi
  fi
  seeds_for "$t"
  opts=(-max_total_time="$seconds" -timeout=25 -rss_limit_mb=2560 -print_final_stats=1
        -artifact_prefix="$work/$t/artifacts/")
  case $t in
    fuzz_mime|fuzz_reception|fuzz_headers) opts+=(-dict="$src/fuzz/mime.dict") ;;
  esac
  case $t in
    fuzz_mime|fuzz_reception) opts+=(-max_len=262144) ;;
    *) opts+=(-max_len=65536) ;;
  esac
  log=$work/$t/last-run.log
  echo "fuzz/run.sh: $t for ${seconds}s ($(ls "$work/$t/seeds" | wc -l) seeds, $(ls "$work/$t/corpus" | wc -l) in corpus)" >&2
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$bin" "${opts[@]}" "$work/$t/corpus" "$work/$t/seeds" > "$log" 2>&1
  rc=$?
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
  cov=$(grep -aEo 'cov: [0-9]+' "$log" | tail -1)
  if [ $rc -ne 0 ]; then
    echo "fuzz/run.sh: $t: CRASH (exit $rc) after ${runs:-?} runs; input in $work/$t/artifacts/, log $log" >&2
    grep -aE '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|.*invariant broken)' "$log" | head -5 >&2
    status=1
  else
    echo "fuzz/run.sh: $t: ok, ${runs:-?} runs in ${seconds}s, ${cov:-cov: ?}, corpus $(ls "$work/$t/corpus" | wc -l)" >&2
  fi
done
exit $status
