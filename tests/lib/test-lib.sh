# test-lib.sh: shared harness for the integration tests (tests/integration/T###-topic.sh).
#
# Each test sources this file, calls t_setup, and then drives the real binaries from the build
# folder with real gpg (keys generated in a throwaway GNUPGHOME), procmail and Postfix.
# Exit status: 0 pass, 77 skip (with the reason on stderr), anything else fail.
set -eu

: "${VMT_SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${VMT_BUILD_DIR:=$VMT_SOURCE_DIR/build}"
export VMT_SOURCE_DIR VMT_BUILD_DIR
VMT_SHARED_DIR="${VMT_SHARED_DIR:-$VMT_SOURCE_DIR/../shared}"
T_NAME=$(basename "$0" .sh)

# Programs under test: the test variants (build/tests/bin: the same code plus the test build's
# clock, VMT_NOW, and fault hooks; tests/support/test_build.cpp). VMT_PROD_* are the programs as
# installed, for the tests that show what production does (T090, the end-to-end walks).
VMT="$VMT_BUILD_DIR/tests/bin/vmt"
VMT_INGEST="$VMT_BUILD_DIR/tests/bin/vmt-ingest"
VMT_SEND="$VMT_BUILD_DIR/tests/bin/vmt-send"
VMT_PROD="$VMT_BUILD_DIR/mailer/vmt/vmt"
VMT_PROD_INGEST="$VMT_BUILD_DIR/filters/ingest/vmt-ingest"
VMT_PROD_SEND="$VMT_BUILD_DIR/mailer/send/vmt-send"
# The shipped procmail recipe (a staged copy when the source tree is not reachable: see below).
T_PROCMAILRC="$VMT_SOURCE_DIR/procmail/vmt.procmailrc"

t_log() { printf '%s: %s\n' "$T_NAME" "$*" >&2; }
t_fail() { printf '%s: FAIL: %s\n' "$T_NAME" "$*" >&2; exit 1; }
t_skip() { printf '%s: SKIP: %s\n' "$T_NAME" "$*" >&2; exit 77; }

# A fresh temporary folder T, removed at exit (kept when T_KEEP=1), with gpg agents stopped.
t_setup() {
  T=$(mktemp -d "${TMPDIR:-/tmp}/vmt-$T_NAME.XXXXXX")
  chmod 755 "$T"
  export T
  trap t_cleanup EXIT
  [ -x "$VMT" ] || t_fail "$VMT is not built (run cmake --build build first)"
}

T_CLEANUPS=""
t_on_exit() { T_CLEANUPS="$1; $T_CLEANUPS"; }

t_cleanup() {
  local rc=$?
  set +e
  eval "$T_CLEANUPS"
  for h in "$T"/*/gnupg "$T"/gnupg* "$T"/*/*/gnupg "$T"/*/*/*/gnupg; do
    [ -d "$h" ] && gpgconf --homedir "$h" --kill all >/dev/null 2>&1
  done
  if [ "${T_KEEP:-0}" = 1 ] || { [ $rc -ne 0 ] && [ $rc -ne 77 ] && [ "${T_KEEP_ON_FAIL:-0}" = 1 ]; }; then
    t_log "kept $T"
  else
    rm -rf "$T"
  fi
  exit $rc
}

# Tests that read ../shared/ say so and skip when it is absent (a user's clone has no ../shared).
t_require_shared() {
  [ -d "$VMT_SHARED_DIR/${1:-}" ] || t_skip "needs $VMT_SHARED_DIR/${1:-} (present in CI, absent in a user's clone)"
}

t_require_cmd() {
  command -v "$1" >/dev/null 2>&1 || t_skip "needs $1 (scripts/install-deps.sh installs it)"
}

# A new GnuPG home in $1 (0700) suited to unattended use.
t_gnupg_home() {
  mkdir -p "$1"
  chmod 700 "$1"
  printf 'allow-loopback-pinentry\n' > "$1/gpg-agent.conf"
  printf 'pinentry-mode loopback\n' > "$1/gpg.conf"
}

# t_genkey HOME "Name" email -> prints the fingerprint. No passphrase; ed25519 + cv25519.
t_genkey() {
  local home=$1 name=$2 email=$3
  [ -d "$home" ] || t_gnupg_home "$home"
  gpg --homedir "$home" --batch --passphrase '' --quick-gen-key "$name <$email>" ed25519 sign 1y >/dev/null 2>&1 ||
    t_fail "gpg could not make a key for $email"
  local fpr
  fpr=$(gpg --homedir "$home" --with-colons --list-keys "<$email>" | awk -F: '/^fpr:/ {print $10; exit}')
  gpg --homedir "$home" --batch --passphrase '' --quick-add-key "$fpr" cv25519 encr 1y >/dev/null 2>&1 ||
    t_fail "gpg could not add an encryption subkey for $email"
  echo "$fpr"
}

# t_export_key FROM_HOME TO_HOME FPR [secret]: copy a public (or secret) key between homes.
t_export_key() {
  local from=$1 to=$2 fpr=$3 secret=${4:-}
  [ -d "$to" ] || t_gnupg_home "$to"
  if [ "$secret" = secret ]; then
    gpg --homedir "$from" --batch --pinentry-mode loopback --passphrase '' --export-secret-keys "$fpr" |
      gpg --homedir "$to" --batch --import >/dev/null 2>&1
  else
    gpg --homedir "$from" --export "$fpr" | gpg --homedir "$to" --batch --import >/dev/null 2>&1
  fi
}

# Assertions.
t_assert_eq() { [ "$1" = "$2" ] || t_fail "${3:-values differ}: expected '$2', got '$1'"; }
t_assert_contains() {
  case "$1" in *"$2"*) ;; *) t_fail "${3:-missing text}: '$2' not found in: $(printf '%s' "$1" | head -c 2000)";; esac
}
t_assert_not_contains() {
  case "$1" in *"$2"*) t_fail "${3:-unexpected text}: '$2' found";; *) ;; esac
}
t_assert_file() { [ -e "$1" ] || t_fail "${2:-missing file}: $1"; }

# t_json FILE_OR_- PYTHON_EXPR: evaluate an expression over the JSON document `j`.
t_json() {
  local src=$1 expr=$2
  if [ "$src" = - ]; then
    python3 -c "import json,sys; j=json.load(sys.stdin); r=($expr); print(json.dumps(r) if not isinstance(r,str) else r)"
  else
    python3 -c "import json,sys; j=json.load(open(sys.argv[1])); r=($expr); print(json.dumps(r) if not isinstance(r,str) else r)" "$src"
  fi
}

# t_expect_exit CODE CMD...: run CMD and check its exit status.
t_expect_exit() {
  local want=$1
  shift
  set +e
  "$@"
  local got=$?
  set -e
  [ "$got" = "$want" ] || t_fail "expected exit $want from: $* (got $got)"
}

# Run a command as the unprivileged user the programs are meant to run as. As root this is the
# system user vmt-test (created on first use; vmt-ingest refuses root, like Postfix's pipe(8));
# otherwise the current user. The folders the command uses must be reachable by that user:
# t_give_to_vmt_user chowns them.
T_VMT_USER=vmt-test
T_VMT_STAGED=""
# When the source or build folder is not reachable by the unprivileged user (a clone under /root,
# 0700), copy everything the tests run as that user into $T, which is: the programs (test variants
# and production ones) and the shipped procmail recipe. The programs need nothing else: their
# templates are compiled in.
t_vmt_reachable() {
  [ -n "$T_VMT_STAGED" ] && return 0
  T_VMT_STAGED=1
  chmod 755 "$T"
  local p
  for p in "$VMT" "$VMT_INGEST" "$VMT_SEND" "$VMT_PROD" "$VMT_PROD_INGEST" "$VMT_PROD_SEND" "$T_PROCMAILRC"; do
    runuser -u "$T_VMT_USER" -- test -r "$p" 2>/dev/null || break
    p=""
  done
  [ -z "$p" ] && return 0
  mkdir -p "$T/stage/bin" "$T/stage/prod" "$T/stage/procmail"
  cp "$VMT" "$VMT_INGEST" "$VMT_SEND" "$T/stage/bin/"
  cp "$VMT_PROD" "$VMT_PROD_INGEST" "$VMT_PROD_SEND" "$T/stage/prod/"
  cp "$T_PROCMAILRC" "$T/stage/procmail/"
  chmod -R a+rX "$T/stage"
  VMT=$T/stage/bin/vmt VMT_INGEST=$T/stage/bin/vmt-ingest VMT_SEND=$T/stage/bin/vmt-send
  VMT_PROD=$T/stage/prod/vmt VMT_PROD_INGEST=$T/stage/prod/vmt-ingest VMT_PROD_SEND=$T/stage/prod/vmt-send
  T_PROCMAILRC=$T/stage/procmail/vmt.procmailrc
  t_log "the build folder is not reachable by $T_VMT_USER: running copies from $T/stage"
}
t_as_vmt() {
  if [ "$(id -u)" -eq 0 ]; then
    id "$T_VMT_USER" >/dev/null 2>&1 ||
      useradd --system --no-create-home --shell /usr/sbin/nologin "$T_VMT_USER" ||
      t_fail "cannot create the test user $T_VMT_USER"
    t_vmt_reachable
    runuser -u "$T_VMT_USER" -- env HOME="$T" PATH="$PATH" ${VMT_NOW:+VMT_NOW="$VMT_NOW"} \
      ${VMT_TEST_HOOKS:+VMT_TEST_HOOKS="$VMT_TEST_HOOKS"} ${VMT_TEST_CRASH_AFTER:+VMT_TEST_CRASH_AFTER="$VMT_TEST_CRASH_AFTER"} "$@"
  else
    "$@"
  fi
}
t_give_to_vmt_user() {
  if [ "$(id -u)" -eq 0 ]; then
    id "$T_VMT_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$T_VMT_USER"
    t_vmt_reachable
    chown -R "$T_VMT_USER": "$@"
  fi
}

# t_team DIR: a demo team folder made by the real `vmt init --demo`, owned by the vmt user, with
# the build's templates. Prints nothing; the config is DIR/vmt.yaml, the report DIR/demo/report.eml.
t_team() {
  local dir=$1
  mkdir -p "$(dirname "$dir")"
  t_give_to_vmt_user "$(dirname "$dir")"
  t_as_vmt "$VMT" init "$dir" --demo >/dev/null || t_fail "vmt init $dir --demo failed"
}

# t_ingest CONFIG < message: run the real filter as the vmt user; prints nothing, returns its status.
t_ingest() {
  t_as_vmt "$VMT_INGEST" --config "$1"
}
