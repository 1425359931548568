# ingest.sh: helpers for the reception fault, load and confidentiality tests (T64x-T66x), sourced
# after test-lib.sh. They read the store and the local tracker as the vmt user (a root sqlite3
# would leave root-owned -wal/-shm files the filter could not open).

# store_q TEAM SQL / tracker_q TEAM SQL: one query, rows on stdout.
store_q() { t_as_vmt sqlite3 -batch "$1/vmt.db" "$2"; }
tracker_q() { t_as_vmt sqlite3 -batch "$1/tracker.db" "$2"; }

# ingest_status TEAM [env...] < message: run the filter with optional extra environment (test hooks);
# prints its exit status instead of failing.
ingest_status() {
  local team=$1
  shift
  set +e
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$T_VMT_USER" -- env HOME="$T" PATH="$PATH" ${VMT_NOW:+VMT_NOW="$VMT_NOW"} \
      "$@" "$VMT_INGEST" --config "$team/vmt.yaml" 2>>"$T/ingest.log"
  else
    env "$@" "$VMT_INGEST" --config "$team/vmt.yaml" 2>>"$T/ingest.log"
  fi
  local rc=$?
  set -e
  echo "$rc"
}

# assert_one_reception TEAM WHAT: exactly one case, one message done, one bug with one ossa task,
# two subscriptions (the project's core security team, and the reporter the local tracker knows)
# and one reception comment, one acknowledgement (row and file), and the ledger
# telling each thing once.
assert_one_reception() {
  local team=$1 what=$2
  t_assert_eq "$(store_q "$team" 'select count(*) from cases')" 1 "$what: cases"
  t_assert_eq "$(store_q "$team" "select count(*) from messages")" 1 "$what: message rows"
  t_assert_eq "$(store_q "$team" "select state from messages")" done "$what: message state"
  t_assert_eq "$(tracker_q "$team" 'select count(*) from bugs')" 1 "$what: bugs"
  t_assert_eq "$(tracker_q "$team" "select count(*) from tasks where project='ossa'")" 1 "$what: ossa tasks"
  t_assert_eq "$(tracker_q "$team" 'select count(*) from subscriptions')" 2 "$what: subscriptions"
  t_assert_eq "$(tracker_q "$team" 'select count(*) from comments')" 1 "$what: reception comments"
  t_assert_eq "$(store_q "$team" "select count(*) from outbox where kind='ack'")" 1 "$what: ack rows"
  t_assert_eq "$(ls "$team/outbox/new" | wc -l)" 1 "$what: ack files"
  t_assert_eq "$(store_q "$team" "select tracker_bug from cases")" 1 "$what: the case names bug 1"
  local k
  for k in received tracker status mail-queued; do
    t_assert_eq "$(store_q "$team" "select count(*) from events where kind='$k'")" 1 "$what: ledger '$k' events"
  done
  t_assert_eq "$(store_q "$team" "select count(*) from events where kind='disclosed'")" 2 "$what: 'disclosed' events"
}

# team_set TEAM KEY VALUE: set a top-level or "section.key" scalar in the team's vmt.yaml (the
# flow-style sections `vmt init` writes: store: {path: vmt.db}).
team_set() {
  python3 - "$1/vmt.yaml" "$2" "$3" <<'PY'
import re, sys
path, key, value = sys.argv[1:]
text = open(path).read()
if "." in key:
    sec, k = key.split(".", 1)
    m = re.search(r"^%s: \{(.*)\}$" % re.escape(sec), text, re.M)
    if m:
        items = [i.strip() for i in m.group(1).split(",") if i.strip() and not i.strip().startswith(k + ":")]
        items.append(f"{k}: {value}")
        text = text[:m.start()] + f"{sec}: {{{', '.join(items)}}}" + text[m.end():]
    else:
        m = re.search(r"^%s:\n" % re.escape(sec), text, re.M)
        if m:
            text = text[:m.end()] + f"  {k}: {value}\n" + text[m.end():]
        else:
            text += f"{sec}: {{{k}: {value}}}\n"
else:
    text = re.sub(r"^%s:.*$" % re.escape(key), "", text, flags=re.M) + f"{key}: {value}\n"
open(path, "w").write(text)
PY
}

# pristine_copy SRC DST: a copy of a team folder (gpg agents stopped, sockets left behind) so that
# each fault case starts from the same keys without generating new ones.
pristine_copy() {
  gpgconf --homedir "$1/gnupg" --kill all >/dev/null 2>&1 || true
  rm -rf "$2"
  cp -a "$1" "$2"
  find "$2" -name 'S.*' -type s -delete
}

# make_report TEAM TAG [BODY_FILE] > mail: a PGP/MIME report from the demo reporter, signed by her
# key and encrypted to the team key with her own gpg (as her mail client would), distinct per TAG.
# REPORT_FROM overrides the From header (the signature then still names jane@reporter.example).
make_report() {
  local team=$1 tag=$2 body=${3:-} home=$1/demo/reporter/gnupg b
  b="=_r_${tag}_$$"
  local inner
  inner=$(printf 'Content-Type: text/plain; charset=utf-8\n\n'
          if [ -n "$body" ]; then cat "$body"; else
            printf 'Report %s: nova-api logs the token of the requesting user.\n' "$tag"; fi)
  printf 'Date: %s\nFrom: %s\nTo: security@example.org\n' "$(date -R)" "${REPORT_FROM:-\"Jane Reporter\" <jane@reporter.example>}"
  printf 'Subject: [nova] report %s\nMessage-ID: <report-%s@reporter.example>\nMIME-Version: 1.0\n' "$tag" "$tag"
  printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="%s"\n\n' "$b"
  printf -- '--%s\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--%s\n' "$b" "$b"
  printf 'Content-Type: application/octet-stream; name=encrypted.asc\n\n'
  printf '%s\n' "$inner" | gpg --homedir "$home" --batch --trust-model always --armor --sign --encrypt \
    -u jane@reporter.example -r security@example.org 2>/dev/null || return 1
  printf '\n--%s--\n' "$b"
}
