#!/usr/bin/env python3
"""fake_storyboard: a protocol-faithful fake of the StoryBoard API v1 (storyboard/api/v1/*.py).

Written from the server source (docs/trackers.md): bearer tokens; writes need an authenticated
user (pecan's secure() answers 401); creates and updates answer 200 with the object (WSME's
default status), deletes 204; errors are WSME JSON {"faultcode", "faultstring", "debuginfo"};
private stories are invisible (404) to users outside their users and teams lists; a story PUT
with users or teams REPLACES both lists (update_permission), and emptying them on a private story
is refused (400); tasks need a project (400) and one of five statuses; subscriptions are only for
oneself (403) and a duplicate is 409; tags are added with PUT /stories/<id>/tags (a JSON list).

Usage: fake_storyboard.py --port-file F       API root: http://127.0.0.1:PORT/api/v1
Token "sbtok" is user 1 (vmt@example.org); "alicetok" is user 2 (alice@example.org).
"""

import sys

from fake_common import Reply, json_reply, serve

STATUSES = ["todo", "inprogress", "invalid", "review", "merged"]


def fault(status, text):
    return json_reply(status, {"faultcode": "Client" if status < 500 else "Server", "faultstring": text,
                               "debuginfo": None})


class StoryBoard:
    def __init__(self):
        self.base = ""
        self.projects = [{"id": 1, "name": "openstack/nova"}, {"id": 2, "name": "openstack/ossa"},
                         {"id": 3, "name": "openstack/swift"}]
        self.users = [{"id": 1, "full_name": "VMT bot", "email": "vmt@example.org"},
                      {"id": 2, "full_name": "Alice", "email": "alice@example.org"}]
        self.teams = [{"id": 10, "name": "nova-coresec", "members": [2]}, {"id": 11, "name": "swift-coresec", "members": []}]
        self.tokens = {"sbtok": 1, "alicetok": 2}
        self.stories = {}
        self.tasks = {}
        self.subscriptions = set()
        self.next_id = 100
        self.autosubscribe = False
        self.acl_race = 0

    def add_arguments(self, ap):
        pass

    def configure(self, args):
        pass

    def control(self, ctl):
        self.autosubscribe = ctl.get("autosubscribe", self.autosubscribe)
        self.acl_race += ctl.get("acl_race", 0)
        for sid, fields in ctl.get("edit", {}).items():
            self.stories[int(sid)].update(fields)

    def new_id(self):
        self.next_id += 1
        return self.next_id

    # -- helpers -----------------------------------------------------------------------------------
    def user(self, h, entry, required):
        auth = h.headers.get("Authorization", "")
        uid = self.tokens.get(auth[len("Bearer "):]) if auth.startswith("Bearer ") else None
        entry["auth"] = "bearer" if uid else "anonymous"
        if required and uid is None:
            raise fault(401, "Unauthorized")  # pecan.secure -> webob HTTPUnauthorized
        return uid

    def visible(self, uid, s):
        if not s["private"]:
            return True
        if uid in s["users"]:
            return True
        return any(uid in t["members"] for t in self.teams if t["id"] in s["teams"])

    def story(self, uid, sid):
        s = self.stories.get(int(sid)) if sid.isdigit() else None
        if s is None or not self.visible(uid, s):
            raise fault(404, "Story %s not found" % sid)
        return s

    def story_json(self, s):
        return {"id": s["id"], "title": s["title"], "description": s["description"], "private": s["private"],
                "creator_id": s["creator_id"], "status": "active", "story_type_id": 1, "tags": s["tags"],
                "users": [u for u in self.users if u["id"] in s["users"]],
                "teams": [{"id": t["id"], "name": t["name"]} for t in self.teams if t["id"] in s["teams"]]}

    def task_json(self, t):
        return dict(t)

    # -- dispatch ----------------------------------------------------------------------------------
    def handle(self, h, method, path, query, body, entry):
        if not path.startswith("/api/v1/"):
            raise fault(404, "not found")
        parts = path[len("/api/v1/"):].strip("/").split("/")
        q = {k: v[0] for k, v in query.items()}
        data = entry.get("json")
        uid = self.user(h, entry, method != "GET")
        if parts == ["projects"] and method == "GET":
            raise json_reply(200, [p for p in self.projects if q.get("name", "") in p["name"]])
        if len(parts) == 2 and parts[0] == "projects" and method == "GET":
            p = next((p for p in self.projects if str(p["id"]) == parts[1]), None)
            if p is None:
                raise fault(404, "Project %s not found" % parts[1])
            raise json_reply(200, p)
        if parts == ["teams"] and method == "GET":
            raise json_reply(200, [{"id": t["id"], "name": t["name"]} for t in self.teams
                                   if q.get("name", "") in t["name"]])
        if parts == ["users"] and method == "GET":
            raise json_reply(200, [u for u in self.users if not q.get("email") or u["email"] == q["email"]])
        if parts == ["subscriptions"] and method == "POST":
            return self.subscribe(uid, data or {})
        if parts == ["stories"]:
            if method == "GET":
                tags = query.get("tags", [])
                raise json_reply(200, [self.story_json(s) for s in self.stories.values()
                                       if self.visible(uid, s) and all(t in s["tags"] for t in tags)])
            if method == "POST":
                return self.create_story(uid, data)
        if len(parts) >= 2 and parts[0] == "stories":
            s = self.story(uid, parts[1])
            rest = parts[2:]
            if not rest and method == "GET":
                raise json_reply(200, self.story_json(s))
            if not rest and method == "PUT":
                return self.update_story(s, data)
            if rest == ["tags"] and method == "PUT":
                if not isinstance(data, list):
                    raise fault(400, "Invalid input for field/attribute tags")
                for t in data:
                    if t not in s["tags"]:
                        s["tags"].append(t)
                raise json_reply(200, self.story_json(s))
            if rest == ["tags"] and method == "DELETE":
                s["tags"] = [t for t in s["tags"] if t not in (data or [])]
                raise Reply(204)
            if rest == ["tasks"] and method == "GET":
                raise json_reply(200, [self.task_json(t) for t in self.tasks.values() if t["story_id"] == s["id"]])
            if rest == ["tasks"] and method == "POST":
                return self.create_task(uid, s, data or {})
            if rest == ["comments"] and method == "GET":
                raise json_reply(200, [{"id": c["id"], "content": c["content"], "is_active": True} for c in s["comments"]])
            if rest == ["comments"] and method == "POST":
                if not isinstance(data, dict) or not data.get("content"):
                    raise fault(400, "Invalid input for field/attribute content")
                cid = self.new_id()
                s["comments"].append({"id": cid, "content": data["content"]})
                raise json_reply(200, {"id": self.new_id(), "event_type": "user_comment", "comment_id": cid,
                                       "comment": {"id": cid, "content": data["content"]}, "author_id": uid,
                                       "story_id": s["id"]})
        if len(parts) == 2 and parts[0] == "tasks" and method == "PUT":
            t = self.tasks.get(int(parts[1])) if parts[1].isdigit() else None
            if t is None or not self.visible(uid, self.stories[t["story_id"]]):
                raise fault(404, "Task %s not found" % parts[1])
            if "status" in (data or {}):
                if data["status"] not in STATUSES:
                    raise fault(400, "Invalid input for field/attribute status. Value: '%s'." % data["status"])
                t["status"] = data["status"]
            raise json_reply(200, self.task_json(t))
        raise fault(404, "not found: " + path)

    def create_story(self, uid, data):
        if not isinstance(data, dict) or not data.get("title"):
            raise fault(400, "Failed validating 'required' in schema: title")
        if data.get("story_type_id") in (3, 4):
            raise fault(400, "This story type cannot be created")
        sid = self.new_id()
        users = [u["id"] for u in data.get("users") or []]
        teams = [t["id"] for t in data.get("teams") or []]
        if not users and not teams:
            users = [uid]  # the creator may see the story
        self.stories[sid] = {"id": sid, "title": data["title"], "description": data.get("description", ""),
                             "private": bool(data.get("private", False)), "creator_id": uid, "tags": [],
                             "users": users, "teams": teams, "comments": []}
        if self.autosubscribe:
            self.subscriptions.add((uid, "story", sid))
        raise json_reply(200, self.story_json(self.stories[sid]))

    def update_story(self, s, data):
        if not isinstance(data, dict):
            raise fault(400, "Invalid input")
        if "creator_id" in data and data["creator_id"] != s["creator_id"]:
            raise fault(400, "You can't change author of story.")
        if "users" in data or "teams" in data:
            # update_permission: the lists sent replace the story's lists (both of them).
            users = [u["id"] for u in data.get("users") or []]
            teams = [t["id"] for t in data.get("teams") or []]
            if s["private"] and not users and not teams:
                raise fault(400, "Can't make a private story have no users or teams")
            s["users"], s["teams"] = users, teams
            if self.acl_race:  # another coordinator's PUT replaced the lists right after ours
                self.acl_race -= 1
                if teams:
                    s["teams"] = teams[:-1]
                else:
                    s["users"] = users[:-1]
        for k in ("title", "description", "private"):
            if k in data:
                s[k] = data[k]
        raise json_reply(200, self.story_json(s))

    def create_task(self, uid, s, data):
        if data.get("story_id") is not None and data["story_id"] != s["id"]:
            raise fault(400, "URL story_id and task.story_id do not match")
        if not data.get("project_id"):
            raise fault(400, "You must select a project for task.")
        if not any(p["id"] == data["project_id"] for p in self.projects):
            raise fault(400, "Project %s not found" % data["project_id"])
        status = data.get("status", "todo")
        if status not in STATUSES:
            raise fault(400, "Invalid input for field/attribute status. Value: '%s'." % status)
        tid = self.new_id()
        self.tasks[tid] = {"id": tid, "title": data.get("title", ""), "story_id": s["id"],
                           "project_id": data["project_id"], "status": status, "creator_id": uid}
        raise json_reply(200, self.task_json(self.tasks[tid]))

    def subscribe(self, uid, data):
        if not data.get("target_type") or not data.get("target_id"):
            raise fault(400, "You must provide a target_type and target_id")
        if data.get("user_id") not in (None, uid):
            raise fault(403, "You can only subscribe to resources on your own.")
        key = (uid, data["target_type"], data["target_id"])
        if key in self.subscriptions:
            raise fault(409, "You are already subscribed to this resource.")
        self.subscriptions.add(key)
        raise json_reply(200, {"id": self.new_id(), "user_id": uid, "target_type": data["target_type"],
                               "target_id": data["target_id"]})


if __name__ == "__main__":
    sys.exit(serve(StoryBoard()))
