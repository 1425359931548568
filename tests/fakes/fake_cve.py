#!/usr/bin/env python3
"""fake_cve: a protocol-faithful fake of CVE Services (api-docs/openapi.json, src/controller/**).

Authenticated calls carry CVE-API-ORG, CVE-API-USER, CVE-API-KEY: a missing header is 400, a wrong
one 401 {"error": "UNAUTHORIZED"}. POST /cve-id reserves (amount and cve_year required,
batch_type when amount > 1, short_name must be the caller's org: 403 otherwise) and answers 200
{"cve_ids": [...], "meta": {...}}. POST /cve/ID/cna publishes {"cnaContainer": ...}: 400 CVEID_DNE
for an unknown id, 403 CVE_RECORD_EXISTS when it has a record already (use PUT), 400
INVALID_JSON_SCHEMA with details when the container fails the schema (checked with python3-
jsonschema against --schema, the bundled CVE JSON 5 schema, when given; structurally otherwise).

Usage: fake_cve.py --port-file F [--schema CVE_Record_Format_bundled.json]   API: http://127.0.0.1:PORT/api
Credentials: org "vmtcna", user "vmt@example.org", key "k3y". Reserved already: CVE-2026-1000.
"""

import copy
import datetime
import json
import sys

from fake_common import json_reply, serve

ORG, USER, KEY = "vmtcna", "vmt@example.org", "k3y"


def error(status, code, message, details=None):
    body = {"error": code, "message": message}
    if details is not None:
        body["details"] = details
    return json_reply(status, body)


class CveServices:
    def __init__(self):
        self.base = ""
        self.ids = {"CVE-2026-1000": {"state": "RESERVED", "owning_cna": ORG, "record": None}}
        self.next_seq = {2026: 1001}
        self.validator = None

    def add_arguments(self, ap):
        ap.add_argument("--schema")

    def configure(self, args):
        if args.schema:
            import jsonschema
            with open(args.schema) as f:
                s = json.load(f)
            for k in ("oneOf", "required", "properties", "additionalProperties"):
                s.pop(k, None)
            s["$ref"] = "#/definitions/cnaPublishedContainer"
            self.validator = jsonschema.Draft7Validator(s)

    def control(self, ctl):
        pass

    def check_auth(self, h):
        org, user, key = (h.headers.get(x) for x in ("CVE-API-ORG", "CVE-API-USER", "CVE-API-KEY"))
        if not org or not user or not key:
            raise error(400, "BAD_REQUEST", "CVE-API-ORG, CVE-API-USER and CVE-API-KEY headers are required")
        if (org, user, key) != (ORG, USER, KEY):
            raise error(401, "UNAUTHORIZED", "Unauthorized")

    def container_errors(self, c):
        if not isinstance(c, dict):
            return ["cnaContainer is not an object"]
        if self.validator is not None:
            doc = copy.deepcopy(c)
            doc.setdefault("providerMetadata", {"orgId": "00000000-0000-4000-8000-000000000000"})
            return [("/".join(str(p) for p in e.path) or "/") + ": " + e.message for e in self.validator.iter_errors(doc)]
        errs = [k + " is required" for k in ("descriptions", "affected", "references") if not c.get(k)]
        return errs

    def handle(self, h, method, path, query, body, entry):
        if not path.startswith("/api/"):
            raise error(404, "NOT_FOUND", "not found")
        parts = path[len("/api/"):].strip("/").split("/")
        q = {k: v[0] for k, v in query.items()}
        if parts[0] == "cve" and method == "GET" and len(parts) == 2:  # public read
            rec = self.ids.get(parts[1], {}).get("record")
            if not rec:
                raise error(404, "CVE_RECORD_DNE", "The cve record for the cve id does not exist.")
            raise json_reply(200, rec)
        self.check_auth(h)
        if parts == ["cve-id"] and method == "POST":
            return self.reserve(q)
        if len(parts) == 2 and parts[0] == "cve-id" and method == "GET":
            x = self.ids.get(parts[1])
            if not x:
                raise error(404, "CVE_ID_NOT_FOUND", "%s not found" % parts[1])
            raise json_reply(200, {"cve_id": parts[1], "state": x["state"], "owning_cna": x["owning_cna"]})
        if len(parts) == 3 and parts[0] == "cve" and parts[2] == "cna" and method in ("POST", "PUT"):
            return self.publish(method, parts[1], entry.get("json"))
        raise error(404, "NOT_FOUND", "not found: " + path)

    def reserve(self, q):
        if "amount" not in q or not q["amount"].isdigit() or int(q["amount"]) < 1:
            raise error(400, "BAD_REQUEST", "amount is required")
        if "cve_year" not in q or not q["cve_year"].isdigit():
            raise error(400, "BAD_REQUEST", "cve_year is required")
        amount, year = int(q["amount"]), int(q["cve_year"])
        if amount > 1 and q.get("batch_type") not in ("sequential", "non-sequential"):
            raise error(400, "NO_BATCH_TYPE", "batch_type is required when amount > 1")
        if q.get("short_name") != ORG:
            raise error(403, "ORG_CANNOT_RESERVE_FOR_OTHER", "cannot reserve for another organization")
        out = []
        now = datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%S.000Z")
        for _ in range(amount):
            seq = self.next_seq.get(year, 1000)
            self.next_seq[year] = seq + 1
            cid = "CVE-%d-%04d" % (year, seq)
            self.ids[cid] = {"state": "RESERVED", "owning_cna": ORG, "record": None}
            out.append({"cve_id": cid, "cve_year": str(year), "owning_cna": ORG, "state": "RESERVED",
                        "requested_by": {"cna": ORG, "user": USER}, "reserved": now})
        raise json_reply(200, {"cve_ids": out, "meta": {"remaining_quota": 100}})

    def publish(self, method, cid, body):
        x = self.ids.get(cid)
        if not x:
            raise error(400, "CVEID_DNE", "The CVE ID does not exist.")
        if x["owning_cna"] != ORG:
            raise error(403, "CVEID_ORG_DOES_NOT_MATCH", "The CVE ID is owned by another organization.")
        if method == "POST" and x["record"]:
            raise error(403, "CVE_RECORD_EXISTS", "The cve record for the cve id already exists.")
        if method == "PUT" and not x["record"]:
            raise error(403, "CVE_RECORD_DNE", "The cve record for the cve id does not exist.")
        if not isinstance(body, dict) or set(body) != {"cnaContainer"}:
            raise error(400, "INVALID_JSON_SCHEMA", "CVE JSON schema validation FAILED.",
                        {"errors": ["the body must be {\"cnaContainer\": {...}}"]})
        errs = self.container_errors(body["cnaContainer"])
        if errs:
            raise error(400, "INVALID_JSON_SCHEMA", "CVE JSON schema validation FAILED.", {"errors": errs})
        c = copy.deepcopy(body["cnaContainer"])
        c["providerMetadata"] = {"orgId": "11111111-1111-4111-8111-111111111111", "shortName": ORG}
        x["record"] = {"dataType": "CVE_RECORD", "dataVersion": "5.1",
                       "cveMetadata": {"cveId": cid, "assignerOrgId": c["providerMetadata"]["orgId"],
                                       "assignerShortName": ORG, "state": "PUBLISHED"},
                       "containers": {"cna": c}}
        x["state"] = "PUBLISHED"
        key = "created" if method == "POST" else "updated"
        raise json_reply(200, {"message": "%s record was successfully %s." % (cid, key), key: x["record"]})


if __name__ == "__main__":
    sys.exit(serve(CveServices()))
