# fake-lib.sh: start the fake servers of tests/fakes/ from an integration test (after t_setup).
#
# t_start_fake NAME [ARGS...]: start tests/fakes/fake_NAME.py on a free loopback port, stopped at
# exit; sets FAKE_URL (http://127.0.0.1:PORT). t_fake_log: the requests it answered, as JSON.

t_start_fake() {
  local name=$1
  shift
  local port_file="$T/fake-$name.port"
  python3 "$VMT_SOURCE_DIR/tests/fakes/fake_$name.py" --port-file "$port_file" "$@" >"$T/fake-$name.log" 2>&1 &
  local pid=$!
  t_on_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
  local i
  for i in $(seq 1 100); do
    [ -s "$port_file" ] && break
    sleep 0.1
  done
  [ -s "$port_file" ] || t_fail "the fake $name server did not start: $(cat "$T/fake-$name.log")"
  FAKE_URL="http://127.0.0.1:$(cat "$port_file")"
}

# t_fake_log URL: the fake's request log (JSON list).
t_fake_log() { curl -sf "$1/_log"; }

# t_fake_control URL JSON: inject faults or hand edits.
t_fake_control() { curl -sf -X POST -H 'Content-Type: application/json' --data "$2" "$1/_control" >/dev/null; }

# t_fake_trail URL [FROM]: the requests from index FROM on, one "METHOD /path [ws.op]" a line.
t_fake_trail() {
  t_fake_log "$1" | python3 -c '
import json, sys
log = json.load(sys.stdin)
for e in log[int(sys.argv[1]):]:
    print(" ".join(x for x in (e["method"], e["path"], e.get("op") or "") if x))' "${2:-0}"
}

t_fake_count() { t_fake_log "$1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
