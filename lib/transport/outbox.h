// outbox.h: the outbound queue. Every mail vmt sends is first written here (a maildir plus a row in
// the store), then handed to a transport by the queue runner (vmt-send / `vmt outbox flush`).
//
// Exactly-once delivery: a mail is identified by its Message-ID; the runner records `sending` before
// the transport call and `sent` after it, and a mail found in `sending` after a crash is checked
// (maildir) or resent only when the transport cannot have accepted it. Held mail (`--at`, embargoed
// announcements) stays out of the maildir's new/ until its hour.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
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
  std::string path;
  std::string state;  // held | queued | sending | sent | failed
  int attempts = 0;
  std::string last_error;
  std::string created_at;
  std::string sent_at;
};

// Queue `bytes` for delivery. Idempotent by message id: queueing the same id again changes nothing
// and returns false. Must be called inside the caller's store transaction when it belongs to one.
result<bool> enqueue(store::store& st, const config::config& cfg, const queued_mail& mail, std::string_view bytes);

result<std::vector<outbox_entry>> list(store::store& st, const std::string& case_id = {});

}  // namespace vmt::transport
