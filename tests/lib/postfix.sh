# postfix.sh: a private Postfix on 127.0.0.1 for the integration tests (source after test-lib.sh).
#
# The recipe is ../shared/docs/postfix-on-loopback.md: everything (main.cf, master.cf, queue, data,
# maillog) lives in one folder of the test's $T; Postfix listens on 127.0.0.1 only, on a free port,
# and relays nowhere (default_transport is error:). Mail for the test domains is delivered either
# into one maildir ($PF_MAILDIR, by virtual(8) as nobody) or, with --pipe, to a pipe(8) service
# (e.g. vmt-ingest) given as a master.cf line. Needs root (Postfix's master starts as root);
# t_postfix_require skips (77) otherwise.
#
#   t_postfix_require
#   t_postfix_start [--domains "example.org example.net"] [--pipe 'SERVICE unix - n n - - pipe
#                   flags=DRhu user=vmt argv=/path/vmt-ingest --config /path/vmt.yaml']
#                   [--main 'param = value']...
#     sets PF_DIR (configuration: postfix -c, sendmail -C), PF_PORT, PF_LOG (maillog),
#     PF_MAILDIR, PF_DOMAINS; the instance is stopped at exit
#   t_postfix_sendmail_wrapper PATH      a sendmail(1) that submits to this instance
#   t_postfix_wait_log REGEX [COUNT [SECONDS]]   wait for COUNT maillog lines matching REGEX
#   t_postfix_wait_idle [SECONDS]        wait for an empty queue
#   t_postfix_count_log REGEX            how many maillog lines match

t_postfix_require() {
  [ "$(id -u)" = 0 ] || t_skip "needs root: Postfix's master process starts as root (CI runs the tests as root)"
  command -v postfix >/dev/null 2>&1 || [ -x /usr/sbin/postfix ] ||
    t_skip "needs postfix (scripts/install-deps.sh installs it)"
  id postfix >/dev/null 2>&1 || t_skip "needs the postfix user (installed with the Debian package)"
  t_require_cmd python3
}

# A TCP port on 127.0.0.1 that nobody listens on right now.
t_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

t_postfix_start() {
  local domains="example.org example.net example.com" pipe="" extra=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --domains) domains=$2; shift 2 ;;
      --pipe) pipe=$2; shift 2 ;;
      --main) extra="$extra$2
"; shift 2 ;;
      *) t_fail "t_postfix_start: unknown option $1" ;;
    esac
  done
  # The configuration folder apart from the queue: `postfix check` wants every file below the
  # configuration folder owned by root, and the queue's are Postfix's.
  local root="$T/postfix"
  PF_DIR="$root/etc"
  PF_PORT=$(t_free_port)
  PF_LOG="$root/maillog"
  PF_MAILDIR="$root/vmail/maildir"
  PF_DOMAINS=$domains
  export PF_DIR PF_PORT PF_LOG PF_MAILDIR PF_DOMAINS
  mkdir -p "$PF_DIR" "$root/queue" "$root/data" "$root/vmail"
  chmod 755 "$root" "$PF_DIR" "$root/queue"
  chown postfix "$root/data"
  chown nobody "$root/vmail"
  local csv
  csv=$(printf '%s' "$domains" | tr ' ' ',')

  {
    cat <<MAIN
compatibility_level = 3.6
queue_directory = $root/queue
data_directory = $root/data
maillog_file = $PF_LOG
maillog_file_prefixes = /var, /dev/stdout, $root
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
myhostname = mx.vmt-test.invalid
mydomain = vmt-test.invalid
myorigin = \$myhostname
alias_maps =
alias_database =
local_recipient_maps =
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
# Nothing leaves loopback: anything not for the test domains bounces here.
default_transport = error:the vmt test Postfix relays nowhere
relay_transport = error:the vmt test Postfix relays nowhere
relayhost =
biff = no
append_dot_mydomain = no
delay_warning_time = 0
queue_run_delay = 2s
minimal_backoff_time = 2s
maximal_backoff_time = 4s
MAIN
    if [ -n "$pipe" ]; then
      local service=${pipe%% *}
      printf 'mydestination = %s\nlocal_transport = %s\n%s_destination_recipient_limit = 1\n' "$csv" "$service" "$service"
    else
      cat <<MAIN
mydestination =
virtual_mailbox_domains = $csv
virtual_mailbox_base = $root/vmail
virtual_mailbox_maps = static:maildir/
virtual_uid_maps = static:$(id -u nobody)
virtual_gid_maps = static:$(id -g nobody)
MAIN
    fi
    printf '%s' "$extra"
  } > "$PF_DIR/main.cf"

  # master.cf from the packaged prototype: the smtp listener renamed to the test port, no chroot
  # (the jail would need copies of /etc files in the temporary queue), the sample pipe services
  # (which name users that do not exist) left out.
  awk -v port="$PF_PORT" '
    /^#/ || /^[[:space:]]*$/ { next }
    /^[^[:space:]]/ {
      skip = ($8 == "pipe")
      if (skip) next
      if ($1 == "smtp" && $2 == "inet") $1 = port
      $5 = "n"
      print
      next
    }
    { if (!skip) print }
  ' /etc/postfix/master.cf.proto > "$PF_DIR/master.cf"
  [ -n "$pipe" ] && printf '%s\n' "$pipe" >> "$PF_DIR/master.cf"

  t_on_exit t_postfix_stop
  local out
  if ! out=$(postfix -c "$PF_DIR" start 2>&1); then
    printf '%s\n' "$out" >&2
    t_postfix_dump
    t_fail "postfix did not start (see above)"
  fi
  local i
  for i in $(seq 1 100); do
    if python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$PF_PORT" 2>/dev/null; then
      t_log "postfix listening on 127.0.0.1:$PF_PORT (config $PF_DIR)"
      return 0
    fi
    sleep 0.2
  done
  t_postfix_dump
  t_fail "postfix did not listen on 127.0.0.1:$PF_PORT within 20 s"
}

t_postfix_stop() {
  [ -n "${PF_DIR:-}" ] && [ -f "$PF_DIR/main.cf" ] || return 0
  postfix -c "$PF_DIR" stop >/dev/null 2>&1
  local pidfile
  pidfile="$(postconf -c "$PF_DIR" -h queue_directory 2>/dev/null)/pid/master.pid"
  local i pid
  for i in $(seq 1 50); do
    pid=$(tr -d ' ' < "$pidfile" 2>/dev/null || true)
    { [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; } && return 0
    sleep 0.2
  done
  postfix -c "$PF_DIR" abort >/dev/null 2>&1 || true
}

t_postfix_dump() {
  [ -f "${PF_LOG:-/nonexistent}" ] && { echo "--- $PF_LOG" >&2; tail -n 60 "$PF_LOG" >&2; }
  return 0
}

t_postfix_count_log() {
  grep -cE "$1" "$PF_LOG" 2>/dev/null || true
}

t_postfix_wait_log() {
  local re=$1 want=${2:-1} secs=${3:-30} i n
  for i in $(seq 1 $((secs * 5))); do
    n=$(t_postfix_count_log "$re")
    [ "${n:-0}" -ge "$want" ] && return 0
    sleep 0.2
  done
  t_postfix_dump
  t_fail "maillog: expected $want line(s) matching '$re' within $secs s, found ${n:-0}"
}

t_postfix_wait_idle() {
  local secs=${1:-30} i
  for i in $(seq 1 $((secs * 5))); do
    postqueue -c "$PF_DIR" -p 2>/dev/null | grep -q 'Mail queue is empty' && return 0
    sleep 0.2
  done
  postqueue -c "$PF_DIR" -p >&2 || true
  t_postfix_dump
  t_fail "the Postfix queue did not empty within $secs s"
}

# A sendmail(1) for this instance: Postfix's own binary told where its configuration is.
t_postfix_sendmail_wrapper() {
  cat > "$1" <<WRAP
#!/bin/sh
# sendmail for the private test Postfix in $PF_DIR
exec /usr/sbin/sendmail -C "$PF_DIR" "\$@"
WRAP
  chmod 755 "$1"
}
