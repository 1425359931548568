#!/usr/bin/env python3
"""fake_launchpad: a protocol-faithful fake of Launchpad's `devel` web service and OAuth pages.

Written from the documented behaviour (docs/trackers.md, sources there): OAuth 1.0 PLAINTEXT
header checks and 401s; token access levels (a token without READ/WRITE_PRIVATE gets 404 for
private bugs); named operations as form posts whose values are JSON-decoded first (a title sent as
123 is refused); references as absolute URLs on the same host; factories answer 201 + Location and
the object is read with GET; PATCH answers 209 and checks If-Match (412 when stale);
transitionToStatus is gone from devel (405); addTask takes no status (the task starts New);
Triaged/Won't Fix need bug supervisor rights (401); linkCVE refuses a CVE the CVE table lacks (400)
while a comment naming it creates and links a placeholder; open teams cannot be subscribed to
private bugs (400); collections page with ws.start/ws.size.

Usage: fake_launchpad.py --port-file F [--level WRITE_PRIVATE] [--no-supervisor]
API root: http://127.0.0.1:PORT/devel/   OAuth pages: http://127.0.0.1:PORT/+request-token ...
Known token: consumer "vmt", token "tok", secret "sec" (level from --level).
"""

import json
import re
import sys
import urllib.parse

from fake_common import Reply, json_reply, serve

STATUSES = ["New", "Incomplete", "Opinion", "Invalid", "Won't Fix", "Expired", "Confirmed", "Triaged",
            "In Progress", "Deferred", "Fix Committed", "Fix Released", "Does Not Exist", "Unknown"]
SUPERVISOR_ONLY = {"Won't Fix", "Triaged", "Deferred", "Expired", "Does Not Exist"}
INFO_TYPES = ["Public", "Public Security", "Private Security", "Private", "Proprietary", "Embargoed"]
TAG_RE = re.compile(r"^[a-z0-9][a-z0-9+.\-]*$")


def decode_value(v):
    """lazr.restful: JSON-decode a form value, falling back to the raw string."""
    try:
        return json.loads(v)
    except ValueError:
        return v


class Launchpad:
    def __init__(self):
        self.base = ""
        self.bugs = {}
        self.next_bug = 2000000
        self.next_att = 9000
        self.people = {"vmt-bot": {"team": False}, "alice": {"team": False},
                       "nova-coresec": {"team": True, "policy": "Restricted"},
                       "swift-coresec": {"team": True, "policy": "Moderated"},
                       "open-team": {"team": True, "policy": "Open"}}
        self.projects = {"nova", "swift", "ossa"}
        self.cves = {"2026-0001", "2026-0002"}  # imported CVEs
        self.request_tokens = {}
        self.tokens = {}
        self.stale_next_patch = 0

    def add_arguments(self, ap):
        ap.add_argument("--level", default="WRITE_PRIVATE")
        ap.add_argument("--no-supervisor", action="store_true")

    def configure(self, args):
        self.tokens["tok"] = {"secret": "sec", "consumer": "vmt", "level": args.level, "person": "vmt-bot"}
        self.supervisor = not args.no_supervisor

    def control(self, ctl):
        self.stale_next_patch += ctl.get("stale_next_patch", 0)
        for bug_id, fields in ctl.get("edit", {}).items():  # a coordinator edits the bug by hand
            bug = self.bugs[int(bug_id)]
            bug.update(fields)
            bug["write"] += 1
        for bug_id, who in ctl.get("subscribe", {}).items():
            self.bugs[int(bug_id)]["subscribers"].append(who)

    # -- helpers -----------------------------------------------------------------------------------
    def api(self, path=""):
        return self.base + "/devel/" + path

    def deref(self, name, url, kind):
        """A reference parameter: an absolute URL on this host, to an object of `kind`."""
        if not isinstance(url, str):
            raise Reply(400, "%s: got '%s', expected string: %r" % (name, type(url).__name__, url))
        u = urllib.parse.urlsplit(url)
        if u.scheme + "://" + u.netloc != self.base or u.query or u.fragment or not u.path.startswith("/devel/"):
            raise Reply(400, '%s: No such object "%s".' % (name, url))
        rest = u.path[len("/devel/"):]
        if kind == "project" and rest in self.projects:
            return rest
        if kind == "person" and rest.startswith("~") and rest[1:] in self.people:
            return rest[1:]
        if kind == "cve":
            m = re.fullmatch(r"bugs/cve/(\d{4}-\d{4,})", rest)
            if m and m.group(1) in self.cves:
                return m.group(1)
        raise Reply(400, '%s: No such object "%s".' % (name, url))

    def text_param(self, form, name, required=True, limit=50000):
        if name not in form:
            if required:
                raise Reply(400, "%s: Required input is missing." % name)
            return None
        v = decode_value(form[name])
        if not isinstance(v, str):
            raise Reply(400, "%s: got '%s', expected str: %r" % (name, type(v).__name__, v))
        if not v or len(v) > limit:
            raise Reply(400, "%s: Value is too %s" % (name, "short" if not v else "long"))
        return v

    def enum_param(self, form, name, values):
        v = decode_value(form.get(name, ""))
        if v not in values:
            raise Reply(400, 'Invalid value "%s". Acceptable values are: %s' % (v, ", ".join(values)))
        return v

    def auth(self, handler, entry):
        """The caller's token, or None for an anonymous request; 401 for a bad signature."""
        h = handler.headers.get("Authorization", "")
        if not h:
            entry["auth"] = "anonymous"
            return None
        if not h.startswith("OAuth "):
            raise Reply(401, "Authorization header is not OAuth")
        params = {}
        for part in re.findall(r'(\w+)="([^"]*)"', h):
            params[part[0]] = urllib.parse.unquote(part[1])
        if params.get("oauth_signature_method") != "PLAINTEXT":
            raise Reply(401, "Invalid signature method")
        tok = self.tokens.get(params.get("oauth_token"))
        if not tok or params.get("oauth_consumer_key") != tok["consumer"]:
            raise Reply(401, "Unknown access token (%s)." % params.get("oauth_token"))
        if params.get("oauth_signature") != "&" + tok["secret"]:
            raise Reply(401, "Invalid signature.")
        if not params.get("oauth_nonce") or not params.get("oauth_timestamp"):
            raise Reply(401, "Missing nonce or timestamp")
        entry["auth"] = "oauth"
        return tok

    def visible(self, tok, bug):
        if bug["information_type"] in ("Public", "Public Security"):
            return True
        return tok is not None and tok["level"] in ("READ_PRIVATE", "WRITE_PRIVATE")

    def get_bug(self, tok, bug_id):
        bug = self.bugs.get(int(bug_id)) if str(bug_id).isdigit() else None
        if bug is None or not self.visible(tok, bug):
            raise Reply(404, "Object: <lp.bugs.model.bug.Bug>, name: '%s'" % bug_id)
        return bug

    def can_write(self, tok, bug=None):
        if tok is None or tok["level"] not in ("WRITE_PUBLIC", "WRITE_PRIVATE"):
            raise Reply(401, "(<Bug at 0x...>, 'launchpad.Edit')")
        if bug is not None and not self.visible(tok, bug):
            raise Reply(404, "Object: bug %d" % bug["id"])

    def etag(self, obj):
        return '"%d-%d"' % (obj.get("read", 1), obj["write"])

    def bug_entry(self, bug):
        i = bug["id"]
        return {"self_link": self.api("bugs/%d" % i), "web_link": "https://bugs.launchpad.test/bugs/%d" % i,
                "resource_type_link": self.api("#bug"), "id": i, "title": bug["title"],
                "description": bug["description"], "information_type": bug["information_type"],
                "private": bug["information_type"] not in ("Public", "Public Security"),
                "security_related": "Security" in bug["information_type"], "tags": bug["tags"],
                "http_etag": self.etag(bug), "owner_link": self.api("~vmt-bot"),
                "bug_tasks_collection_link": self.api("bugs/%d/bug_tasks" % i),
                "subscriptions_collection_link": self.api("bugs/%d/subscriptions" % i),
                "cves_collection_link": self.api("bugs/%d/cves" % i),
                "messages_collection_link": self.api("bugs/%d/messages" % i),
                "attachments_collection_link": self.api("bugs/%d/attachments" % i)}

    def task_entry(self, bug, task):
        link = self.api("%s/+bug/%d" % (task["target"], bug["id"]))
        return {"self_link": link, "web_link": "https://bugs.launchpad.test/%s/+bug/%d" % (task["target"], bug["id"]),
                "bug_link": self.api("bugs/%d" % bug["id"]), "target_link": self.api(task["target"]),
                "bug_target_name": task["target"], "status": task["status"], "importance": "Undecided",
                "http_etag": '"1-%d"' % task["write"]}

    def collection(self, query, entries):
        start = int(query.get("ws.start", ["0"])[0])
        size = min(int(query.get("ws.size", ["2"])[0]), 300)  # a small page size exercises paging
        out = {"start": start, "total_size": len(entries), "entries": entries[start:start + size]}
        if start + size < len(entries):
            q = {k: v[0] for k, v in query.items()}
            q.update({"ws.start": start + size, "ws.size": size})
            out["next_collection_link"] = self.current + "?" + urllib.parse.urlencode(q)
        return json_reply(200, out)

    def add_message(self, bug, content, owner="vmt-bot"):
        bug["messages"].append({"content": content, "owner": owner})
        for cve in re.findall(r"CVE-(\d{4}-\d{4,})", content):
            self.cves.add(cve)  # CveSet.inText: a placeholder row, then linked
            if cve not in bug["cves"]:
                bug["cves"].append(cve)
        return len(bug["messages"]) - 1

    # -- dispatch ----------------------------------------------------------------------------------
    def handle(self, h, method, path, query, body, entry):
        self.current = self.base + path
        if path in ("/+request-token", "/+access-token", "/+authorize-token"):
            return self.oauth_pages(h, method, path, query, entry)
        if not path.startswith("/devel/"):
            raise Reply(404, "not found")
        tok = self.auth(h, entry)
        rest = path[len("/devel/"):]
        form = entry["form"]
        op = form.get("ws.op") if method == "POST" else (query.get("ws.op", [None])[0])
        entry["op"] = op
        if op == "transitionToStatus":
            raise Reply(405, "Method Not Allowed: transitionToStatus is not available in version devel")
        if rest == "bugs" and method == "POST":
            if op != "createBug":
                raise Reply(400, "No such operation: %s" % op)
            return self.create_bug(tok, form)
        m = re.fullmatch(r"bugs/(\d+)(?:/(\w+))?", rest)
        if m:
            bug = self.get_bug(tok, m.group(1))
            sub = m.group(2)
            if sub is None and method == "GET":
                raise json_reply(200, self.bug_entry(bug))
            if sub is None and method == "PATCH":
                return self.patch_bug(tok, h, bug, entry)
            if sub is None and method == "POST":
                return self.bug_op(tok, bug, op, form)
            if method == "GET" and sub == "bug_tasks":
                raise self.collection(query, [self.task_entry(bug, t) for t in bug["tasks"]])
            if method == "GET" and sub == "subscriptions":
                raise self.collection(query, [{"person_link": self.api("~" + p), "bug_link": self.api("bugs/%d" % bug["id"]),
                                               "self_link": self.api("bugs/%d/+subscription/%s" % (bug["id"], p))}
                                              for p in bug["subscribers"]])
            if method == "GET" and sub == "cves":
                raise self.collection(query, [{"display_name": "CVE-" + c, "sequence": c,
                                               "self_link": self.api("bugs/cve/" + c)} for c in bug["cves"]])
            if method == "GET" and sub == "messages":
                raise self.collection(query, [{"content": msg["content"], "owner_link": self.api("~" + msg["owner"])}
                                              for msg in bug["messages"]])
            if method == "GET" and sub == "attachments":
                raise self.collection(query, [{"title": a["title"], "type": a["type"],
                                               "self_link": self.api("bugs/%d/+attachment/%d" % (bug["id"], a["id"]))}
                                              for a in bug["attachments"]])
            raise Reply(405, "Method Not Allowed")
        m = re.fullmatch(r"(\w[\w-]*)/\+bug/(\d+)", rest)
        if m:
            return self.task(tok, h, method, m.group(1), self.get_bug(tok, m.group(2)), entry)
        m = re.fullmatch(r"~([\w-]+)", rest)
        if m and method == "GET":
            if m.group(1) not in self.people:
                raise Reply(404, "No such person")
            raise json_reply(200, {"name": m.group(1), "self_link": self.api("~" + m.group(1))})
        if rest in self.projects and method == "GET" and op == "searchTasks":
            return self.search(tok, rest, query)
        raise Reply(404, "not found: " + rest)

    def oauth_pages(self, h, method, path, query, entry):
        form = entry["form"]
        if path == "/+request-token":
            if method != "POST" or not form.get("oauth_consumer_key"):
                raise Reply(401, "Unknown consumer")
            if form.get("oauth_signature_method") != "PLAINTEXT" or form.get("oauth_signature") != "&":
                raise Reply(400, "Only PLAINTEXT signatures are supported")
            n = len(self.request_tokens) + 1
            self.request_tokens["rt%d" % n] = {"secret": "rs%d" % n, "consumer": form["oauth_consumer_key"],
                                               "level": None, "used": False}
            raise Reply(200, "oauth_token=rt%d&oauth_token_secret=rs%d" % (n, n),
                        content_type="application/x-www-form-urlencoded")
        if path == "/+authorize-token":  # the human step; tests grant with test_grant=LEVEL
            rt = self.request_tokens.get(query.get("oauth_token", [""])[0])
            if not rt:
                raise Reply(404, "no such request token")
            rt["level"] = query.get("test_grant", ["WRITE_PRIVATE"])[0]
            raise Reply(200, "<html>Almost finished</html>", content_type="text/html")
        if method != "POST":
            raise Reply(405, "Method Not Allowed")
        rt = self.request_tokens.get(form.get("oauth_token"))
        if not rt or form.get("oauth_signature") != "&" + rt["secret"] or form.get("oauth_signature_method") != "PLAINTEXT":
            raise Reply(401, "Invalid signature.")
        if rt["level"] is None or rt["used"]:
            raise Reply(401, "Request token has not yet been reviewed. Try again later.")
        rt["used"] = True
        n = len(self.tokens) + 1
        self.tokens["at%d" % n] = {"secret": "as%d" % n, "consumer": rt["consumer"], "level": rt["level"],
                                   "person": "vmt-bot"}
        raise Reply(200, "oauth_token=at%d&oauth_token_secret=as%d&lp.context=None" % (n, n),
                    content_type="application/x-www-form-urlencoded")

    def create_bug(self, tok, form):
        self.can_write(tok)
        if "target" not in form:
            raise Reply(400, "target: Required input is missing.")
        target = self.deref("target", decode_value(form["target"]), "project")
        title = self.text_param(form, "title", limit=200)
        description = self.text_param(form, "description")
        info = self.enum_param(form, "information_type", INFO_TYPES) if "information_type" in form else "Public"
        tags = decode_value(form["tags"]) if "tags" in form else []
        if isinstance(tags, str):
            tags = [tags]
        for t in tags:
            if not TAG_RE.match(t):
                raise Reply(400, "tags: Invalid tag name: %r" % t)
        self.next_bug += 1
        i = self.next_bug
        self.bugs[i] = {"id": i, "title": title, "description": description, "information_type": info,
                        "tags": tags, "write": 1, "tasks": [{"target": target, "status": "New", "write": 1}],
                        "subscribers": [tok["person"]], "cves": [], "messages": [], "attachments": []}
        self.add_message(self.bugs[i], description, tok["person"])
        raise Reply(201, b"", {"Location": self.api("bugs/%d" % i)})

    def patch_bug(self, tok, h, bug, entry):
        self.can_write(tok, bug)
        if not h.headers.get("Content-Type", "").startswith("application/json"):
            raise Reply(415, "PATCH wants application/json")
        changes = entry.get("json")
        if not isinstance(changes, dict):
            raise Reply(400, "Expected a JSON hash")
        if_match = h.headers.get("If-Match")
        if self.stale_next_patch:  # someone else wrote between our GET and this PATCH
            self.stale_next_patch -= 1
            bug["write"] += 1
        if if_match and if_match.strip('"').split("-")[-1] != str(bug["write"]):
            raise Reply(412, "Precondition Failed")
        for k, v in changes.items():
            if k in ("title", "description"):
                if not isinstance(v, str) or not v or len(v) > (200 if k == "title" else 50000):
                    raise Reply(400, "%s: invalid value" % k)
                bug[k] = v
            elif k == "tags":
                if not isinstance(v, list) or not all(isinstance(t, str) and TAG_RE.match(t) for t in v):
                    raise Reply(400, "tags: Invalid tag list")
                bug["tags"] = v
            elif k == "information_type":
                raise Reply(400, "information_type: You tried to modify a read-only attribute.")
            else:
                raise Reply(400, "%s: You tried to modify a nonexistent attribute." % k)
        bug["write"] += 1
        raise json_reply(209, self.bug_entry(bug))

    def task(self, tok, h, method, target, bug, entry):
        task = next((t for t in bug["tasks"] if t["target"] == target), None)
        if task is None:  # Launchpad redirects to the default task rather than failing
            raise Reply(303, b"", {"Location": self.api("%s/+bug/%d" % (bug["tasks"][0]["target"], bug["id"]))})
        if method == "GET":
            raise json_reply(200, self.task_entry(bug, task))
        if method != "PATCH":
            raise Reply(405, "Method Not Allowed")
        self.can_write(tok, bug)
        changes = entry.get("json") or {}
        if_match = h.headers.get("If-Match")
        if self.stale_next_patch:
            self.stale_next_patch -= 1
            task["write"] += 1
        if if_match and if_match.strip('"').split("-")[-1] != str(task["write"]):
            raise Reply(412, "Precondition Failed")
        status = changes.get("status")
        if status is not None:
            if status not in STATUSES:
                raise Reply(400, 'status: Invalid value "%s". Acceptable values are: %s' % (status, ", ".join(STATUSES)))
            if (status in SUPERVISOR_ONLY or task["status"] in SUPERVISOR_ONLY) and not self.supervisor:
                raise Reply(401, "Only Bug Supervisors may change status to %s." % status)
            task["status"] = status
        task["write"] += 1
        raise json_reply(209, self.task_entry(bug, task))

    def bug_op(self, tok, bug, op, form):
        self.can_write(tok, bug)
        if op == "addTask":
            target = self.deref("target", decode_value(form.get("target", "")), "project")
            if any(t["target"] == target for t in bug["tasks"]):
                raise Reply(400, "A fix for this bug has already been requested for %s" % target)
            bug["tasks"].append({"target": target, "status": "New", "write": 1})  # no status parameter
            raise Reply(201, b"", {"Location": self.api("%s/+bug/%d" % (target, bug["id"]))})
        if op == "subscribe":
            who = self.deref("person", decode_value(form.get("person", "")), "person")
            p = self.people[who]
            if p["team"] and p.get("policy") == "Open" and bug["information_type"] not in ("Public", "Public Security"):
                raise Reply(400, "Open and delegated teams cannot be subscribed to private bugs.")
            if who not in bug["subscribers"]:
                bug["subscribers"].append(who)
            raise json_reply(200, {"person_link": self.api("~" + who), "bug_link": self.api("bugs/%d" % bug["id"]),
                                   "self_link": self.api("bugs/%d/+subscription/%s" % (bug["id"], who)),
                                   "bug_notification_level": "Discussion"})
        if op == "newMessage":
            content = self.text_param(form, "content")
            n = self.add_message(bug, content)
            raise Reply(201, b"", {"Location": self.api("%s/+bug/%d/comments/%d" % (bug["tasks"][0]["target"], bug["id"], n))})
        if op == "addAttachment":
            data = form.get("data")
            if not isinstance(data, dict):
                raise Reply(400, "data: Required input is missing.")
            if "comment" not in form:
                raise Reply(400, "comment: Required input is missing.")
            filename = decode_value(form.get("filename", json.dumps(data["filename"])))
            if "/" in filename:
                raise Reply(400, "Filename cannot contain slashes.")
            is_patch = decode_value(form.get("is_patch", "false"))
            if not isinstance(is_patch, bool):
                raise Reply(400, "is_patch: got '%s', expected bool" % type(is_patch).__name__)
            self.next_att += 1
            bug["attachments"].append({"id": self.next_att, "title": decode_value(form.get("description", json.dumps(filename))),
                                       "type": "Patch" if is_patch else "Unspecified", "filename": filename,
                                       "size": data["size"]})
            self.add_message(bug, decode_value(form["comment"]))
            raise Reply(201, b"", {"Location": self.api("bugs/%d/+attachment/%d" % (bug["id"], self.next_att))})
        if op == "linkCVE":
            cve = self.deref("cve", decode_value(form.get("cve", "")), "cve")
            if cve not in bug["cves"]:
                bug["cves"].append(cve)
            raise json_reply(200, None)
        if op == "unlinkCVE":  # symmetric to linkCVE (WADL bug-unlinkCVE)
            cve = self.deref("cve", decode_value(form.get("cve", "")), "cve")
            if cve in bug["cves"]:
                bug["cves"].remove(cve)
            raise json_reply(200, None)
        if op == "transitionToInformationType":
            bug["information_type"] = self.enum_param(form, "information_type", INFO_TYPES)
            bug["write"] += 1
            raise json_reply(200, None)
        raise Reply(400, "No such operation: %s" % op)

    def search(self, tok, project, query):
        tags = decode_value(query.get("tags", ["[]"])[0])
        tags = [tags] if isinstance(tags, str) else tags
        statuses = decode_value(query.get("status", ["null"])[0]) or \
            ["New", "Incomplete", "Confirmed", "Triaged", "In Progress", "Fix Committed", "Deferred"]
        out = []
        for bug in self.bugs.values():
            if not self.visible(tok, bug):
                continue
            for t in bug["tasks"]:
                if t["target"] == project and t["status"] in statuses and all(x in bug["tags"] for x in tags):
                    out.append(self.task_entry(bug, t))
        raise self.collection(query, out)


if __name__ == "__main__":
    sys.exit(serve(Launchpad()))
