"""fake_common: what the protocol-faithful fake servers (Launchpad, StoryBoard, CVE Services) share.

Each fake listens on 127.0.0.1 on a free port, writes the port to --port-file once it is ready,
and records every request it answers in order (GET /_log returns them as JSON), so that a test can
assert the exact sequence of requests a whole case lifecycle makes. POST /_control injects faults:

  {"fail": [{"method": "POST", "path": "/devel/bugs", "status": 503, "times": 1}],
   "delay": [{"method": "GET", "path": "...", "seconds": 3, "times": 1}]}

Paths match by suffix. The fakes are written from the documented APIs (docs/trackers.md); they are
test code, never shipped.
"""

import argparse
import json
import sys
import threading
import time
import urllib.parse
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Reply(Exception):
    """Raised by a handler to answer at once: status, body, headers."""

    def __init__(self, status, body=b"", headers=None, content_type="text/plain"):
        super().__init__(status)
        self.status = status
        self.body = body if isinstance(body, bytes) else str(body).encode()
        self.headers = dict(headers or {})
        if self.body and "Content-Type" not in self.headers:
            self.headers["Content-Type"] = content_type


def json_reply(status, obj, headers=None):
    return Reply(status, json.dumps(obj), headers, "application/json")


class FakeState:
    """The log and the injected faults, shared by all handler threads."""

    def __init__(self):
        self.lock = threading.RLock()
        self.log = []
        self.faults = {"fail": [], "delay": []}

    def take_fault(self, kind, method, path):
        with self.lock:
            for f in self.faults.get(kind, []):
                if f.get("times", 1) <= 0:
                    continue
                if f.get("method", method) != method or not path.endswith(f.get("path", path)):
                    continue
                f["times"] = f.get("times", 1) - 1
                return f
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None  # FakeState, set by serve()
    app = None  # the fake: an object with handle(handler, method, path, query, body)

    def log_message(self, fmt, *args):  # quiet: the test reads /_log instead
        pass

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def _answer(self, r):
        self.send_response(r.status)
        for k, v in r.headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(r.body)))
        self.end_headers()
        try:
            if self.command != "HEAD":
                self.wfile.write(r.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to answer

    def _dispatch(self):
        method = self.command
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path
        query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        body = self._body()
        if path == "/_log":
            with self.state.lock:
                return self._answer(json_reply(200, self.state.log))
        if path == "/_control":
            with self.state.lock:
                ctl = json.loads(body or b"{}")
                for k in ("fail", "delay"):
                    self.state.faults[k].extend(ctl.get(k, []))
                self.app.control(ctl)
            return self._answer(Reply(204))
        entry = {"method": method, "path": path, "query": {k: v if len(v) > 1 else v[0] for k, v in query.items()}}
        ctype = self.headers.get("Content-Type", "")
        entry["content_type"] = ctype
        entry["form"] = form_fields(ctype, body)
        if ctype.startswith("application/json"):
            try:
                entry["json"] = json.loads(body or b"null")
            except ValueError:
                entry["json"] = "<invalid JSON>"
        for h in ("If-Match", "Authorization"):
            if self.headers.get(h):
                entry[h.lower()] = self.headers.get(h)
        delay = self.state.take_fault("delay", method, path)
        if delay:
            time.sleep(delay.get("seconds", 1))
        fail = self.state.take_fault("fail", method, path)
        try:
            if fail:
                entry["injected"] = fail.get("status", 503)
                raise Reply(fail.get("status", 503), fail.get("body", "injected failure"))
            with self.state.lock:
                self.app.handle(self, method, path, query, body, entry)
            raise Reply(500, "handler did not answer")
        except Reply as r:
            entry["status"] = r.status
            with self.state.lock:
                self.state.log.append(entry)
            self._answer(r)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _dispatch


def form_fields(ctype, body):
    """The fields of a form body (url-encoded or multipart), values as the raw strings sent."""
    if ctype.startswith("application/x-www-form-urlencoded"):
        return {k: v[0] for k, v in urllib.parse.parse_qs(body.decode(), keep_blank_values=True).items()}
    if ctype.startswith("multipart/form-data"):
        msg = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body)
        out = {}
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            filename = part.get_param("filename", header="content-disposition")
            data = part.get_payload(decode=True) or b""
            out[name] = {"filename": filename, "size": len(data), "data": data.decode("utf-8", "replace")} if filename \
                else data.decode("utf-8", "replace")
        return out
    return {}


def serve(app, argv=None):
    """Parse --port-file, start the server on a free loopback port, write the port, serve forever."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    app.add_arguments(ap)
    args = ap.parse_args(argv)
    app.configure(args)
    Handler.state = FakeState()
    Handler.app = app
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    app.base = "http://127.0.0.1:%d" % srv.server_address[1]
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(args.port_file + ".tmp", args.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit("fake_common is a library for the fake servers")
