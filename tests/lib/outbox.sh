# outbox.sh: helpers for the outbound queue's integration tests (source after test-lib.sh).
#
#   t_team DIR TRANSPORT_YAML    a team folder with vmt.yaml (the transport section given verbatim)
#   t_mail FILE MSGID [TO_HEADER] [BODY_FILE]   a plain RFC 5322 message
#   t_enqueue DIR FROM TO... [-- FILE] -> vmt-test-enqueue --config DIR/vmt.yaml ...
#   t_state DIR MSGID            the outbox state of a mail (vmt outbox show --json)
#   t_peer_start ARGS...         tests/lib/smtp_peer.py on loopback: PEER_PORT PEER_SPOOL PEER_LOG
#   t_wait_for FILE REGEX [SECS] wait until a line of FILE matches

VMT_TEST_ENQUEUE="$VMT_BUILD_DIR/tests/vmt-test-enqueue"

t_team() {
  local dir=$1 transport=$2
  mkdir -p "$dir"
  chmod 700 "$dir"
  cat > "$dir/vmt.yaml" <<YAML
team:
  address: security@example.org
  coordinators:
    - {name: Coordinator, email: coord@example.org}
store:
  path: vmt.db
tracker:
embargo:
disclosure:
limits:
log:
  level: info
$transport
YAML
}

t_mail() {
  local file=$1 id=$2 to=${3:-"Stakeholder <a@example.org>"} body=${4:-}
  {
    printf 'From: OpenStack VMT <security@example.org>\nTo: %s\nSubject: [vmt-test] %s\n' "$to" "$id"
    printf 'Message-ID: <%s>\nDate: Mon, 11 May 2026 10:00:00 +0000\nMIME-Version: 1.0\n' "$id"
    printf 'Content-Type: text/plain; charset=us-ascii\n\n'
    if [ -n "$body" ]; then cat "$body"; else printf 'Test mail %s.\n.\n..a line that starts with dots\nEnd.\n' "$id"; fi
  } > "$file"
}

# t_enqueue DIR FILE FROM TO [TO...] [--at TIME]
t_enqueue() {
  local dir=$1 file=$2 from=$3
  shift 3
  local args=() at=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --at) at=$2; shift 2 ;;
      *) args+=(--to "$1"); shift ;;
    esac
  done
  [ -n "$at" ] && args+=(--at "$at")
  "$VMT_TEST_ENQUEUE" --config "$dir/vmt.yaml" --from "$from" "${args[@]}" "$file" >/dev/null ||
    t_fail "could not queue $file"
}

t_state() {
  "$VMT" --config "$1/vmt.yaml" outbox show --json "$2" | t_json - 'j["state"]'
}

t_wait_for() {
  local file=$1 re=$2 secs=${3:-20} i
  for i in $(seq 1 $((secs * 10))); do
    grep -qE "$re" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  t_fail "no line matching '$re' in $file within $secs s"
}

t_peer_start() {
  local n=${PEER_N:-0}
  PEER_N=$((n + 1))
  local d="$T/peer$PEER_N"
  mkdir -p "$d"
  PEER_SPOOL="$d/spool"
  PEER_LOG="$d/log"
  : > "$PEER_LOG"
  python3 "$VMT_SOURCE_DIR/tests/lib/smtp_peer.py" --port-file "$d/port" --spool "$PEER_SPOOL" --log "$PEER_LOG" "$@" \
    2>"$d/stderr" &
  local pid=$!
  t_on_exit "kill $pid 2>/dev/null"
  local i
  for i in $(seq 1 100); do
    [ -s "$d/port" ] && break
    sleep 0.1
  done
  [ -s "$d/port" ] || { cat "$d/stderr" >&2; t_fail "the SMTP test peer did not start"; }
  PEER_PORT=$(cat "$d/port")
  PEER_PID=$pid
  export PEER_PORT PEER_SPOOL PEER_LOG PEER_PID
}
