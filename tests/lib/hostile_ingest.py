#!/usr/bin/env python3
"""hostile_ingest.py: the hostile mail corpus through the real vmt-ingest, into a team's store.

Used by tests/integration/T630-ingest-hostile-corpus.sh, which makes one team per corpus source
(`vmt init`, the source's keys imported into the team's GnuPG home, team.notify set) and runs this
script as the unprivileged vmt user. For every PROVENANCE row (not KEY or DOC):
  - vmt-ingest exits 0 (filed, duplicate or quarantined: never deferred, never a bounce code),
    within 10 s and 200 MB resident;
  - nothing is lost: the raw message is in the spool, and its row is either done on a case or
    quarantined;
  - the verdict in the store agrees with `vmt inspect` on the safety-relevant fields (readable,
    quarantine reason, encrypted, mixed, decryption, signature status, matches_from);
  - the class rules of hostile_corpus.py (PROVENANCE's verdicts) hold for the STORE's verdict and
    the stored body / plain text / subject.
Then, per team: every queued mail goes to the single From address of its case (acknowledgement) or
to team.notify (quarantine notice), never to a Reply-To or another address the message names; and
no acknowledgement quotes report text (signed ones read in clear, encrypted ones decrypted with the
team key, which every outbound mail is also encrypted to).

Usage: hostile_ingest.py VMT VMT_INGEST CORPUS TEAMS_DIR [--preset-ok]
Prints the pass count per class; exits 1 when any check fails.
"""
import collections
import email
import email.policy
import json
import os
import re
import sqlite3
import subprocess
import sys
import time

VMT, INGEST, CORPUS, TEAMS = sys.argv[1:5]
PRESET = ["--preset-ok"] if "--preset-ok" in sys.argv else []
# hostile_corpus reads its arguments at import: VMT CORPUS HOMES (the team folders hold the homes).
sys.argv = [sys.argv[0], VMT, CORPUS, TEAMS] + PRESET
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile_corpus as hc  # noqa: E402

MAX_SECONDS = 10
MAX_RSS_KB = 200 * 1024
NOTIFY = "coord@example.org"
SAFETY = ("readable", "quarantine_reason", "encrypted", "mixed", "decryption")
real_inspect = hc.inspect
stats = {"max_ms": 0, "max_rss_kb": 0, "duplicates": 0, "quarantined": 0, "filed": 0, "acks": 0, "encrypted_acks": 0,
         "notices": 0}


def db(src):
    return sqlite3.connect(f"file:{TEAMS}/{src}/vmt.db?mode=ro", uri=True, timeout=30)


def ingest(src, path):
    """Run vmt-ingest on one file; returns (exit status, ms, max rss kB, stderr)."""
    with open(f"{CORPUS}/{src}/{path}", "rb") as f:
        t0 = time.monotonic()
        p = subprocess.Popen([INGEST, "--config", f"{TEAMS}/{src}/vmt.yaml"], stdin=f,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = p.stderr.read()
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        ms = int((time.monotonic() - t0) * 1000)
    return p.returncode, ms, usage.ru_maxrss, err.decode("utf-8", "replace")


def stored(src, raw, err):
    """The message row of these bytes: by SHA-256, or for a duplicate by the key the log names."""
    import hashlib
    sha = hashlib.sha256(raw).hexdigest()
    with db(src) as c:
        row = c.execute("SELECT id, case_id, state, verdict, body, plain, subject FROM messages WHERE sha256 = ?",
                        (sha,)).fetchone()
        if row is None:
            m = re.search(r"message ([0-9a-f]{12}) already (done|quarantined)", err)
            if m:
                stats["duplicates"] += 1
                row = c.execute("SELECT id, case_id, state, verdict, body, plain, subject FROM messages "
                                "WHERE dedupe_key LIKE ?", (m.group(1) + "%",)).fetchone()
    return sha, row


current = {}


def ingest_verdict(src, path, show_body=False):
    """hostile_corpus.inspect() replaced: the verdict vmt-ingest stored (checked on the way)."""
    key = (src, path)
    if key in current:
        j, b = current[key]
        return b if show_body else j
    raw = open(f"{CORPUS}/{src}/{path}", "rb").read()
    rc, ms, rss, err = ingest(src, path)
    stats["max_ms"] = max(stats["max_ms"], ms)
    stats["max_rss_kb"] = max(stats["max_rss_kb"], rss)
    if rc != 0:
        return {"_error": f"vmt-ingest exit {rc}: {err.strip()[-300:]}"}
    if ms > MAX_SECONDS * 1000:
        return {"_error": f"vmt-ingest took {ms} ms"}
    if rss > MAX_RSS_KB:
        return {"_error": f"vmt-ingest used {rss} kB"}
    sha, row = stored(src, raw, err)
    if not os.path.exists(f"{TEAMS}/{src}/spool/{sha}.eml"):
        return {"_error": "not in the spool"}
    if row is None:
        return {"_error": f"no message row (log: {err.strip()[-200:]})"}
    _, case_id, state, verdict, body, plain, subject = row
    if not ((state == "done" and case_id) or state == "quarantined"):
        return {"_error": f"message left in state {state!r} case {case_id!r}"}
    stats["quarantined" if state == "quarantined" else "filed"] += 1
    j = json.loads(verdict)
    j["elapsed_ms"], j["max_rss_kb"] = ms, rss
    # The same message read by `vmt inspect` (same GnuPG home): the safety fields must agree.
    ref = real_inspect(src, path)
    if "_error" in ref:
        return {"_error": "vmt inspect: " + ref["_error"]}
    diff = [k for k in SAFETY if ref[k] != j[k]]
    diff += [f"signature.{k}" for k in ("status", "matches_from") if ref["signature"][k] != j["signature"][k]]
    if diff:
        return {"_error": "store and inspect disagree on " + ", ".join(f"{k}" for k in diff)}
    b = dict(j, body=body or "", plain=plain or "", subject=subject or "")
    current[key] = (j, b)
    return b if show_body else j


def text_parts(raw):
    """The text a person reads in a mail: its text/plain parts, decoded (not the MIME headers)."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    out = []
    for part in msg.walk():
        if part.get_content_type() == "text/plain" and part.get_content_disposition() != "attachment":
            out.append(part.get_content())
    return "\n".join(out)


def outbox_checks(src, failures):
    """Mail only to the case's single From or to team.notify; acknowledgements quote no report text."""
    with db(src) as c:
        cases = {r[0]: r[1] for r in c.execute("SELECT id, reporter_email FROM cases")}
        msgs = collections.defaultdict(list)
        for case_id, verdict, body, plain, subject in c.execute(
                "SELECT case_id, verdict, body, plain, subject FROM messages WHERE case_id IS NOT NULL ORDER BY id"):
            msgs[case_id].append((json.loads(verdict), body or "", plain or "", subject or ""))
        rows = c.execute("SELECT kind, case_id, recipients, path FROM outbox").fetchall()
    for kind, case_id, rcpts, path in rows:
        rcpts = json.loads(rcpts)
        if kind in ("quarantine-notice", "follow-up-notice"):
            stats["notices"] += 1
            if rcpts != [NOTIFY]:
                failures.append(f"{src}: {kind} to {rcpts}")
            continue
        if kind != "ack":
            failures.append(f"{src}: unexpected mail kind {kind}")
            continue
        first = msgs[case_id][0][0]
        boxes = first["from"]["mailboxes"]
        if not first["from"]["well_formed"] or rcpts != [boxes[0]["addr"]] or rcpts != [cases[case_id]]:
            failures.append(f"{src}: {case_id} ack to {rcpts}, From {boxes} well_formed={first['from']['well_formed']}")
        named = {m["addr"].lower() for m in first["reply_to"]} - {boxes[0]["addr"].lower()}
        if any(r.lower() in named for r in rcpts):
            failures.append(f"{src}: {case_id} ack to a Reply-To {rcpts}")
        raw = open(f"{TEAMS}/{src}/outbox/{path}", "rb").read()  # the store keeps it relative
        text = raw
        stats["acks"] += 1
        if b"multipart/encrypted" in raw:
            stats["encrypted_acks"] += 1
            m = re.search(rb"-----BEGIN PGP MESSAGE-----.*?-----END PGP MESSAGE-----", raw, re.S)
            # --passphrase '': the corpus's protected secret keys are skipped, not prompted for.
            r = subprocess.run(["gpg", "--homedir", f"{TEAMS}/{src}/gnupg", "--batch", "--pinentry-mode",
                                "loopback", "--passphrase", "", "--decrypt"],
                               input=m.group(0) if m else b"", capture_output=True)
            if r.returncode != 0:
                failures.append(f"{src}: {case_id} the team cannot decrypt its acknowledgement")
                continue
            text = r.stdout
        text = text_parts(text)
        if case_id not in text:
            failures.append(f"{src}: {case_id} acknowledgement text not found")
        name = boxes[0]["name"] if boxes else ""
        for _, body, plain, subject in msgs[case_id]:
            for line in (body + "\n" + plain + "\n" + subject).splitlines():
                line = line.strip()
                if len(line) >= 20 and line in text and line not in name:
                    failures.append(f"{src}: {case_id} acknowledgement quotes report text {line[:40]!r}")
                    break


def main():
    hc.inspect = ingest_verdict
    rows = [r for r in hc.parse_provenance() if r[2] not in ("KEY", "DOC")]
    passed, total = collections.Counter(), collections.Counter()
    failures = []
    for src, path, cls, desc, probe in rows:
        ok, why = hc.check(src, path, cls, desc, probe)
        j = current.get((src, path))
        if j is None and ok:
            # The class rule did not ask for a verdict (never happens today): ingest anyway.
            r = ingest_verdict(src, path)
            ok, why = ("_error" not in r), r.get("_error", "")
        total[cls] += 1
        if ok:
            passed[cls] += 1
        else:
            failures.append(f"{cls} {src}/{path}: {why}")
    for src in sorted({r[0] for r in rows}):
        outbox_checks(src, failures)
    for f in failures:
        print("FAIL", f)
    for cls in sorted(total):
        note = f"  ({hc.EXCEPTION_USE[cls]} under documented exceptions)" if hc.EXCEPTION_USE[cls] else ""
        print(f"{cls:12} {passed[cls]:4}/{total[cls]:<4} passed through vmt-ingest{note}")
    print(f"{'total':12} {sum(passed.values()):4}/{sum(total.values()):<4} passed through vmt-ingest")
    print(f"filed {stats['filed']}, quarantined {stats['quarantined']}, duplicates {stats['duplicates']}; "
          f"slowest {stats['max_ms']} ms, largest {stats['max_rss_kb'] // 1024} MB resident; "
          f"{stats['acks']} acknowledgements ({stats['encrypted_acks']} encrypted) and {stats['notices']} "
          "quarantine notices checked")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
