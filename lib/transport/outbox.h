// outbox.h: the outbound queue. Every mail vmt sends is first written here (a maildir plus a row in
// the store), then handed to a transport by the queue runner (vmt-send / `vmt outbox flush`).
//
// Exactly-once delivery: a mail is identified by its Message-ID; the runner records `sending` before
// the transport call and `sent` after it. A mail found in `sending` after a crash is checked (maildir,
// sendmail receipts), resent only when the transport cannot have accepted it (SMTP before the end of
// the data), and otherwise set `uncertain` for a coordinator to decide: never sent twice silently,
// never dropped. Held mail (`--at`, staged announcements) stays out of the maildir's new/ until its
// hour. docs/outbound.md has the states and the argument.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/store.h"

namespace vmt::transport {

struct queued_mail {
  std::string message_id;  // without angle brackets
  std::string case_id;
  std::string kind;  // ack, quarantine-notice, pre-ossa, vs, announce, reminder, ...
  std::string sender;
  std::vector<std::string> recipients;
  std::vector<std::string> encrypted_to;  // fingerprints; empty when only signed
  std::string not_before;                 // ISO time: held until then; empty: send now
};

struct outbox_entry {
  std::int64_t id = 0;
  queued_mail mail;
  std::string path;   // the composed mail's file, relative to the outbox folder (new/NAME, cur/..., hold/...)
  std::string state;  // held | queued | sending | sent | failed | uncertain
  int attempts = 0;
  std::string last_error;
  std::string created_at;
  std::string sent_at;
  std::string transport;     // of the current or last attempt
  std::string phase;         // "" or "end-of-data" (SMTP: the final dot may have reached the server)
  std::string next_attempt;  // after a temporary failure
  std::string receipt;       // the transport's answer
};

// Can `addr` be an envelope address of a queued mail (ASCII local@domain, no quotes, brackets,
// spaces or leading '-')? A valid RFC 5322 addr-spec may still not be one ("a b"@x, a@[10.0.0.1],
// UTF-8): callers that take an address from a mail check first and skip the mail rather than fail.
bool usable_envelope_address(std::string_view addr);

// Queue `bytes` for delivery. Idempotent by message id: queueing the same id again changes nothing
// and returns false. Must be called inside the caller's store transaction when it belongs to one.
result<bool> enqueue(store::store& st, const config::config& cfg, const queued_mail& mail, std::string_view bytes);

// Is a mail with this Message-ID already in the outbox (any state)? Lets a caller skip composing,
// and signing, a mail that an earlier run already queued.
result<bool> is_queued(store::store& st, const std::string& message_id);

result<std::vector<outbox_entry>> list(store::store& st, const std::string& case_id = {});

// One entry by row id ("12") or Message-ID (with or without angle brackets); nullopt when absent.
result<std::optional<outbox_entry>> find(store::store& st, const std::string& id_or_message_id);

// Where a mail's file is now: the outbox folder of this team folder, wherever it was moved to.
std::string file_of(const config::config& cfg, const outbox_entry& e);

// The header block of a queued mail's file (up to the first empty line), as stored.
result<std::string> header_block(const config::config& cfg, const outbox_entry& e);

// What one pass of the queue runner did.
struct mail_outcome {
  std::int64_t id = 0;
  std::string message_id;
  std::string outcome;  // released | sent | deferred | failed | uncertain | in-progress | recovered
  std::string detail;   // the transport's answer or the error (no mail content)
};

struct flush_report {
  int released = 0;     // held mails whose hour came, moved into the maildir
  int sent = 0;
  int deferred = 0;     // temporary failure (or not tried after a connection-level one): retried later
  int failed = 0;       // permanent failure in this pass
  int uncertain = 0;    // may have been accepted: waiting for a coordinator (all such mails, not only new)
  int in_progress = 0;  // a sendmail started by a dead runner is still running
  int held = 0;         // still held (their hour has not come)
  std::vector<mail_outcome> mails;

  // Something is left that a later pass (or a person) must handle: vmt-send exits 75.
  bool left_to_retry() const { return deferred > 0 || uncertain > 0 || in_progress > 0; }
};

// Move held mails whose `not_before` is at or before `now` into the outbox maildir's new/ and mark
// them queued, all in one store transaction (the disclosure hour releases staged mails together).
// Returns how many were released. Called by flush(); usable alone by the watchdog.
result<int> release_due(store::store& st, const config::config& cfg, clock::seconds now);

// The queue runner, one pass: recover mails a dead runner left in `sending`, release due held mail,
// send every queued mail that is due through cfg.transport, record each outcome. Holds an exclusive
// lock on the outbox (a second runner gets failure::temporary). Failures of single mails are in the
// report; the returned error is for the pass itself (store, lock, credentials, configuration).
result<flush_report> flush(store::store& st, const config::config& cfg, clock::seconds now);

// A coordinator's decision on a failed or uncertain mail: queue it again (sent again in full).
// `actor` goes into the case's ledger.
status retry(store::store& st, std::int64_t id, const std::string& actor, clock::seconds now);
// A coordinator's decision on an uncertain mail: it did arrive (checked with the recipients or the
// MTA's log); record it as sent without sending.
status mark_sent(store::store& st, const config::config& cfg, std::int64_t id, const std::string& actor,
                 clock::seconds now);

}  // namespace vmt::transport
