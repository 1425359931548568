#!/usr/bin/env python3
"""smtp_peer.py: a scriptable SMTP server on 127.0.0.1 for the queue runner's fault tests.

Postfix is the real server of T520/T530; this peer misbehaves on purpose, per connection:

  --conn N=stall-data:SECS   wait SECS after DATA before answering 354 (a runner killed meanwhile
                             has sent no data: the transaction is discarded)
  --conn N=drop-data:BYTES   close the connection after BYTES of message data (mid-DATA)
  --conn N=stall-dot:SECS    keep the message on the final dot (as a real server commits it), then
                             wait SECS before answering 250 (the window the runner cannot close)
  --conn N=reply:CODE        answer CODE to the final dot (e.g. 451 or 554) and keep nothing

Like a real server, a message is kept only once its final dot has arrived: spool/N.eml (CRLF turned
back into LF, dots unstuffed) with spool/N.json (envelope). Options: --starttls CERT KEY (offer
STARTTLS), --auth USER:PASSWORD (require AUTH PLAIN, only over TLS when --starttls), --reject ADDR
(550 for that recipient). The port is written to --port-file; the session log to --log.
"""
import argparse
import base64
import json
import os
import socket
import ssl
import sys
import threading
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--spool", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--conn", action="append", default=[])
    ap.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--auth")
    ap.add_argument("--reject", action="append", default=[])
    args = ap.parse_args()

    behaviour = {}
    for spec in args.conn:
        n, what = spec.split("=", 1)
        kind, _, value = what.partition(":")
        behaviour[int(n)] = (kind, value)
    os.makedirs(args.spool, exist_ok=True)
    log_lock = threading.Lock()
    counters = {"conn": 0, "msg": 0}

    def log(conn_no, text):
        with log_lock, open(args.log, "a") as f:
            f.write("conn %d: %s\n" % (conn_no, text))

    tls_ctx = None
    if args.starttls:
        tls_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_ctx.load_cert_chain(args.starttls[0], args.starttls[1])

    def session(sock, conn_no):
        kind, value = behaviour.get(conn_no, ("ok", ""))
        rfile = sock.makefile("rb")
        tls = False
        authed = False
        mail_from, rcpts = None, []

        def send(line):
            sock.sendall((line + "\r\n").encode())

        send("220 peer.vmt-test.invalid ESMTP test peer")
        while True:
            raw = rfile.readline()
            if not raw:
                log(conn_no, "client closed the connection")
                return
            line = raw.decode("latin-1").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            shown = "AUTH ..." if verb == "AUTH" else line
            log(conn_no, "C: " + shown)
            if verb in ("EHLO", "HELO"):
                caps = ["peer.vmt-test.invalid", "SIZE 100000000"]
                if tls_ctx and not tls:
                    caps.append("STARTTLS")
                if args.auth and (tls or not tls_ctx):
                    caps.append("AUTH PLAIN")
                for c in caps[:-1]:
                    send("250-" + c)
                send("250 " + caps[-1])
            elif verb == "STARTTLS" and tls_ctx and not tls:
                send("220 2.0.0 ready for TLS")
                sock = tls_ctx.wrap_socket(sock, server_side=True)
                rfile = sock.makefile("rb")
                tls = True
                log(conn_no, "TLS established: " + str(sock.version()))
            elif verb == "AUTH" and args.auth:
                parts = line.split(" ")
                if len(parts) >= 3:
                    blob = parts[2]
                else:
                    send("334 ")
                    blob = rfile.readline().decode().strip()
                try:
                    _, user, password = base64.b64decode(blob).decode().split("\0")
                except Exception:
                    user, password = None, None
                if "%s:%s" % (user, password) == args.auth:
                    authed = True
                    log(conn_no, "AUTH accepted for " + user)
                    send("235 2.7.0 Authentication successful")
                else:
                    log(conn_no, "AUTH refused")
                    send("535 5.7.8 Authentication credentials invalid")
            elif verb == "MAIL":
                if args.auth and not authed:
                    send("530 5.7.0 Authentication required")
                    continue
                mail_from = line.split(":", 1)[1].strip().split(" ")[0].strip("<>")
                rcpts = []
                send("250 2.1.0 Ok")
            elif verb == "RCPT":
                addr = line.split(":", 1)[1].strip().strip("<>")
                if addr in args.reject:
                    send("550 5.1.1 <%s>: Recipient address rejected" % addr)
                else:
                    rcpts.append(addr)
                    send("250 2.1.5 Ok")
            elif verb == "DATA":
                if kind == "stall-data":
                    log(conn_no, "stalling before 354")
                    time.sleep(float(value))
                send("354 End data with <CR><LF>.<CR><LF>")
                data, got = [], 0
                while True:
                    chunk = rfile.readline()
                    if not chunk:
                        log(conn_no, "connection lost mid-DATA after %d bytes" % got)
                        return
                    got += len(chunk)
                    if kind == "drop-data" and got >= int(value):
                        log(conn_no, "dropping the connection mid-DATA after %d bytes" % got)
                        sock.close()
                        return
                    if chunk == b".\r\n":
                        break
                    if chunk.startswith(b"."):
                        chunk = chunk[1:]
                    data.append(chunk.replace(b"\r\n", b"\n"))
                if kind == "reply":
                    log(conn_no, "answering %s to the final dot" % value)
                    send("%s test refusal" % value)
                    continue
                with log_lock:
                    counters["msg"] += 1
                    n = counters["msg"]
                with open(os.path.join(args.spool, "%d.eml" % n), "wb") as f:
                    f.write(b"".join(data))
                with open(os.path.join(args.spool, "%d.json" % n), "w") as f:
                    json.dump({"from": mail_from, "rcpt": rcpts, "tls": tls, "auth": authed}, f)
                log(conn_no, "kept message %d" % n)
                if kind == "stall-dot":
                    log(conn_no, "stalling before 250")
                    time.sleep(float(value))
                send("250 2.0.0 Ok: queued as PEER%d" % n)
            elif verb == "RSET":
                mail_from, rcpts = None, []
                send("250 2.0.0 Ok")
            elif verb == "NOOP":
                send("250 2.0.0 Ok")
            elif verb == "QUIT":
                send("221 2.0.0 Bye")
                return
            else:
                send("502 5.5.2 Error: command not recognized")

    def serve(sock, conn_no):
        try:
            session(sock, conn_no)
        except (OSError, ssl.SSLError) as e:
            log(conn_no, "session ended: %s" % e)
        finally:
            try:
                sock.close()
            except OSError:
                pass

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.rename(tmp, args.port_file)
    while True:
        sock, _ = listener.accept()
        counters["conn"] += 1
        threading.Thread(target=serve, args=(sock, counters["conn"]), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
