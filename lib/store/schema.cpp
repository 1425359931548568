// schema.cpp: the store's migrations (see schema.h).
#include "store/schema.h"

namespace vmt::store {

const std::vector<std::string>& migrations() {
  static const std::vector<std::string> steps = {
      // 1: cases, their messages, the ledger, quarantine, tracker bookkeeping and the outbox.
      R"sql(
CREATE TABLE cases (
  id TEXT PRIMARY KEY,               -- VMT-2026-001
  year INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  title TEXT NOT NULL,
  project TEXT NOT NULL DEFAULT 'unknown',
  private INTEGER NOT NULL DEFAULT 1,
  ossa_status TEXT NOT NULL DEFAULT 'Incomplete',
  class TEXT,                        -- taxonomy A..Z once classified
  embargo_end TEXT,                  -- YYYY-MM-DD
  tracker_kind TEXT,
  tracker_bug TEXT,                  -- bug number / story id
  tracker_url TEXT,
  encrypted INTEGER NOT NULL DEFAULT 0,
  sig_status TEXT NOT NULL DEFAULT 'none',
  sig_fingerprint TEXT,
  sig_trust TEXT,
  sig_matches_from INTEGER NOT NULL DEFAULT 0,
  reporter_name TEXT,
  reporter_email TEXT,
  reporter_fingerprint TEXT,
  reporter_terms TEXT,               -- the reporter's own disclosure terms, if any
  cve TEXT,
  advisory_id TEXT,
  disclosure_at TEXT,                -- ISO time, UTC
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE(year, seq)
);
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  case_id TEXT REFERENCES cases(id),
  dedupe_key TEXT NOT NULL UNIQUE,   -- sha256 of the message without trace headers
  sha256 TEXT NOT NULL,              -- of the raw bytes as received
  message_id TEXT,
  direction TEXT NOT NULL DEFAULT 'in',
  state TEXT NOT NULL,               -- spooled | filed | done | quarantined
  received_at TEXT NOT NULL,
  spool_path TEXT,
  size INTEGER NOT NULL DEFAULT 0,
  from_addr TEXT,
  from_name TEXT,
  subject TEXT,
  encrypted INTEGER NOT NULL DEFAULT 0,
  mixed INTEGER NOT NULL DEFAULT 0,
  sig_status TEXT NOT NULL DEFAULT 'none',
  verdict TEXT,                      -- JSON: per-part encryption and signature verdicts
  body TEXT,                         -- confidential text: only what came out of a decrypted payload
  plain TEXT                         -- unencrypted text, kept apart and never merged with body
);
CREATE INDEX messages_message_id ON messages(message_id);
CREATE INDEX messages_case ON messages(case_id);
CREATE TABLE attachments (
  id INTEGER PRIMARY KEY,
  message INTEGER NOT NULL REFERENCES messages(id),
  filename TEXT,
  content_type TEXT,
  encrypted INTEGER NOT NULL DEFAULT 0,
  signed INTEGER NOT NULL DEFAULT 0,
  data BLOB
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  case_id TEXT REFERENCES cases(id),
  at TEXT NOT NULL,
  kind TEXT NOT NULL,                -- received, filed, tracker, disclosed, mail-queued, mail-sent, status, ...
  actor TEXT NOT NULL,               -- vmt-ingest, a coordinator's address, ...
  summary TEXT NOT NULL,
  recipients TEXT,                   -- JSON list: who was told
  keys TEXT,                         -- JSON list: fingerprints it was encrypted to
  message_id TEXT
);
CREATE INDEX events_case ON events(case_id);
CREATE TABLE quarantine (
  id INTEGER PRIMARY KEY,
  message INTEGER NOT NULL UNIQUE REFERENCES messages(id),
  reason TEXT NOT NULL,              -- no-key, integrity, garbage, too-large, ...
  detail TEXT,
  at TEXT NOT NULL,
  released_at TEXT
);
CREATE TABLE tracker_ops (
  case_id TEXT NOT NULL REFERENCES cases(id),
  op TEXT NOT NULL,                  -- create, reminder, ossa-task, subscribe:TEAM, comment:KEY, ...
  state TEXT NOT NULL,               -- started | done
  result TEXT,
  at TEXT NOT NULL,
  PRIMARY KEY(case_id, op)
);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL UNIQUE,
  case_id TEXT REFERENCES cases(id),
  kind TEXT NOT NULL,                -- ack, quarantine-notice, pre-ossa, vs, announce, ...
  sender TEXT NOT NULL,
  recipients TEXT NOT NULL,          -- JSON list of addresses
  encrypted_to TEXT,                 -- JSON list of fingerprints (empty: signed only)
  path TEXT NOT NULL,                -- the composed message file
  state TEXT NOT NULL,               -- held | queued | sending | sent | failed
  not_before TEXT,                   -- held until this UTC time
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at TEXT NOT NULL,
  sent_at TEXT
);
CREATE INDEX outbox_state ON outbox(state);
)sql",
      // 2: actions staged for a later hour (tracker changes and CVE publication at disclosure time),
      // released by the watchdog together with the held mail.
      R"sql(
CREATE TABLE staged (
  id INTEGER PRIMARY KEY,
  case_id TEXT REFERENCES cases(id),
  kind TEXT NOT NULL,                -- disclose, cve-publish, ...
  payload TEXT NOT NULL,             -- JSON, as the kind's handler expects
  not_before TEXT NOT NULL,          -- ISO time, UTC
  state TEXT NOT NULL,               -- pending | done | failed | cancelled
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at TEXT NOT NULL,
  done_at TEXT,
  UNIQUE(case_id, kind)
);
)sql",
      // 3: the coordinator workflow: the impact description and the milestones of a case, its
      // patches, and the case's approved recipients (lesser disclosure: only they may be sent
      // embargoed detail).
      R"sql(
ALTER TABLE cases ADD COLUMN description TEXT;        -- the impact description ($DESCRIPTION)
ALTER TABLE cases ADD COLUMN affected_versions TEXT;  -- $AFFECTED_VERSIONS
ALTER TABLE cases ADD COLUMN credit TEXT;             -- $CREDIT
ALTER TABLE cases ADD COLUMN reporter_deadline TEXT;  -- the reporter's own disclosure date (prevails)
ALTER TABLE cases ADD COLUMN embargo_reason TEXT;     -- why the embargo ended early
ALTER TABLE cases ADD COLUMN notified_at TEXT;        -- the [vs] / [pre-OSSA] mails
ALTER TABLE cases ADD COLUMN disclosed_at TEXT;
ALTER TABLE cases ADD COLUMN published_at TEXT;
ALTER TABLE cases ADD COLUMN hardening INTEGER NOT NULL DEFAULT 0;
CREATE TABLE patches (
  id INTEGER PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  branch TEXT NOT NULL,              -- master, 2025.1/epoxy, ...
  filename TEXT NOT NULL,            -- as given; mails rename it cve-YYYY-NNNN-master-SERIES.patch
  data BLOB NOT NULL,
  sha256 TEXT NOT NULL,
  source TEXT,                       -- file path, or "message N attachment NAME"
  added_at TEXT NOT NULL,
  added_by TEXT NOT NULL,
  approved_by TEXT,                  -- the core reviewer who pre-approved it
  approved_at TEXT,
  merged_at TEXT,
  UNIQUE(case_id, sha256)
);
CREATE TABLE access (
  case_id TEXT NOT NULL REFERENCES cases(id),
  who TEXT NOT NULL,                 -- an address, or a tracker team/person name
  kind TEXT NOT NULL,                -- reporter, coordinator, team, stakeholder, distros, subscriber, public
  key TEXT,                          -- fingerprint mail to them is encrypted to, if any
  added_at TEXT NOT NULL,
  added_by TEXT NOT NULL,
  PRIMARY KEY(case_id, who)
);
)sql",
      // 4: the queue runner's bookkeeping (lib/transport/runner.cpp, docs/outbound.md). A new state
      // `uncertain`: the transport may have accepted the mail before the runner died; it is not
      // resent until a coordinator decides (vmt outbox retry / mark-sent).
      R"sql(
ALTER TABLE outbox ADD COLUMN transport TEXT;     -- maildir | sendmail | smtp: of the current or last attempt
ALTER TABLE outbox ADD COLUMN phase TEXT;         -- how far the current attempt got: NULL | end-of-data
ALTER TABLE outbox ADD COLUMN next_attempt TEXT;  -- after a temporary failure: not retried before this UTC time
ALTER TABLE outbox ADD COLUMN receipt TEXT;       -- the transport's answer (SMTP reply, sendmail status)
)sql",
      // 5: changes of plan and replies. A forced disclosure date says why (notify accepts it then);
      // messages keep their thread (a follow-up arriving with its report joins the same case) and
      // whether someone answered a follow-up; a subscriber's tracker name (tracker sync).
      R"sql(
ALTER TABLE cases ADD COLUMN disclosure_forced TEXT;  -- the reason a date outside the rules was forced
ALTER TABLE messages ADD COLUMN in_reply_to TEXT;
ALTER TABLE messages ADD COLUMN refs TEXT;            -- JSON list: References, oldest first
ALTER TABLE messages ADD COLUMN answered_at TEXT;     -- a follow-up answered (vmt reply / vmt answered)
ALTER TABLE messages ADD COLUMN answered_by TEXT;
ALTER TABLE access ADD COLUMN tracker_name TEXT;      -- subscribed on the tracker under this name
CREATE INDEX messages_in_reply_to ON messages(in_reply_to);
)sql",
  };
  return steps;
}

}  // namespace vmt::store
