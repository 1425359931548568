#!/usr/bin/env python3
"""mailcheck.py: check a mail vmt sent the way a recipient's own gpg would, independently of vmt.

Usage: mailcheck.py GNUPGHOME MAILFILE
Prints JSON: {"encrypted": bool, "signed_by": fingerprint or null, "signed_at": the signature's
creation time (seconds since the epoch), "mdc": bool, "subject": the (protected, when encrypted)
Subject, "outer_subject", "to", "date": the outer Date header, "auto_submitted": the outer
Auto-Submitted header or null, "body": the first text part, "body_encoding": its
Content-Transfer-Encoding, "attachments": [{"filename", "sha256"}]}. Splits the MIME on raw bytes (RFC 3156: the signature
covers the exact bytes of the first part) and runs gpg itself; exits 1 with a message when the mail
is not well-formed PGP/MIME or a signature does not verify.
"""
import email
import email.policy
import hashlib
import json
import re
import subprocess
import sys


def split(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    m = re.search(rb'boundary="([^"]+)"', head)
    if not m:
        sys.exit("no boundary in " + head[:200].decode("latin-1"))
    b = m.group(1)
    chunks = body.split(b"\r\n--" + b)
    first = chunks[0]
    if not first.startswith(b"--" + b + b"\r\n"):
        sys.exit("preamble before the first part")
    parts = [first[len(b"--" + b + b"\r\n"):]] + [c[2:] for c in chunks[1:] if not c.startswith(b"--")]
    return head, parts


def gpg(home, args, data):
    p = subprocess.run(["gpg", "--homedir", home, "--batch", "--status-fd", "2"] + args,
                       input=data, capture_output=True)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace")


def validsig(status):
    m = re.search(r"\[GNUPG:\] VALIDSIG ([0-9A-F]{40})", status)
    return m.group(1) if m else None


def signed_at(status):
    m = re.search(r"\[GNUPG:\] VALIDSIG [0-9A-F]{40} \S+ (\d+)", status)
    return int(m.group(1)) if m else None


def describe(inner, result):
    msg = email.message_from_bytes(inner, policy=email.policy.default)
    result.setdefault("subject", msg["Subject"])
    result["attachments"] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()
        if name:
            result["attachments"].append({"filename": name,
                                          "sha256": hashlib.sha256(part.get_payload(decode=True)).hexdigest()})
        elif part.get_content_type() == "text/plain" and "body" not in result:
            result["body"] = part.get_content()
            result["body_encoding"] = str(part.get("Content-Transfer-Encoding", "7bit")).lower()


def main():
    home, path = sys.argv[1], sys.argv[2]
    raw = open(path, "rb").read()
    outer = email.message_from_bytes(raw, policy=email.policy.default)
    result = {"encrypted": False, "signed_by": None, "mdc": False,
              "outer_subject": outer["Subject"], "to": outer["To"], "date": outer["Date"],
              "auto_submitted": outer["Auto-Submitted"]}
    ctype = outer.get_content_type()
    if ctype == "multipart/encrypted":
        _, parts = split(raw)
        armored = parts[1].partition(b"\r\n\r\n")[2]
        rc, plain, status = gpg(home, ["--decrypt"], armored)
        if rc != 0:
            sys.exit("gpg --decrypt failed: " + status)
        result["encrypted"] = True
        result["mdc"] = "[GNUPG:] GOODMDC" in status or "[GNUPG:] DECRYPTION_OKAY" in status
        result["signed_by"] = validsig(status)
        result["signed_at"] = signed_at(status)
        inner = email.message_from_bytes(plain, policy=email.policy.default)
        if inner.get_content_type() == "multipart/signed":
            _, sparts = split(plain)
            sig = sparts[1].partition(b"\r\n\r\n")[2]
            open(path + ".sig", "wb").write(sig)
            rc, _, status = gpg(home, ["--verify", path + ".sig", "-"], sparts[0])
            if rc != 0:
                sys.exit("signature inside the ciphertext does not verify: " + status)
            result["signed_by"] = validsig(status)
            result["signed_at"] = signed_at(status)
            describe(sparts[0], result)
        else:
            describe(plain, result)
    elif ctype == "multipart/signed":
        _, parts = split(raw)
        sig = parts[1].partition(b"\r\n\r\n")[2]
        open(path + ".sig", "wb").write(sig)
        rc, _, status = gpg(home, ["--verify", path + ".sig", "-"], parts[0])
        if rc != 0:
            sys.exit("signature does not verify: " + status)
        result["signed_by"] = validsig(status)
        result["signed_at"] = signed_at(status)
        describe(parts[0], result)
    else:
        sys.exit("neither signed nor encrypted: " + ctype)
    print(json.dumps(result))


main()
