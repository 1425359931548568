// transports.h: what the queue runner (runner.cpp) asks of a transport, and the pure decisions it
// relies on (failure classification, envelope checks, backoff), kept apart so that unit tests can
// drive them without a network. Internal to lib/transport; nothing here is a public API.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/status.h"
#include "store/store.h"
#include "transport/outbox.h"

namespace vmt::transport::detail {

// What became of one attempt to hand a mail to a transport.
enum class verdict {
  sent,       // the transport took it: delivered (maildir) or accepted (MTA queue, SMTP 250)
  temporary,  // not taken, try again later (refused connection, timeout, 4xx, EX_TEMPFAIL)
  permanent,  // not taken and never will be as it is (5xx, invalid envelope, missing file)
  uncertain,  // the transport may have taken it: do not resend without a person's decision
};

struct delivery {
  verdict v = verdict::temporary;
  std::string detail;             // receipt when sent, else the reason; never mail content
  bool connection_level = false;  // the next mails would fail alike (server down, bad login)
};

// One mail for a transport. `end_of_data` is called when the transport is about to pass the point
// after which the peer may have accepted the mail (SMTP: the last byte before the final dot); it
// returns false when that could not be recorded, and the transport then aborts the attempt.
struct job {
  std::int64_t id = 0;
  std::string message_id;
  std::string file;  // the mail in the outbox maildir
  std::string name;  // its unique maildir base name
  std::string sender;
  std::vector<std::string> recipients;
  std::function<bool()> end_of_data;
};

class transport {
 public:
  virtual ~transport() = default;
  virtual const char* name() const = 0;
  // Hand `bytes` (the content of j.file) over. Never throws.
  virtual delivery send(const job& j, std::string_view bytes) = 0;
};

std::unique_ptr<transport> make_maildir_transport(const config::config& cfg);
std::unique_ptr<transport> make_sendmail_transport(const config::config& cfg, const std::string& outbox_root);
result<std::unique_ptr<transport>> make_smtp_transport(const config::config& cfg);

// The transport cfg.transport names. Fails (config, permission) before any mail is touched, e.g.
// an SMTP password file that others can read.
result<std::unique_ptr<transport>> make_transport(const config::config& cfg, const std::string& outbox_root);

// What to do with a mail that a dead runner left in `sending`.
struct recovery {
  enum class action { resend, settle, in_progress } act = action::resend;
  delivery d;  // for settle: the outcome to record
};

// Maildir: delivered iff the name is in the sent maildir (new/ or cur/, any flags).
recovery recover_maildir(const config::config& cfg, const std::string& name);
// Sendmail: the receipt the helper process wrote, else whether it is still running.
recovery recover_sendmail(const std::string& outbox_root, const std::string& name);
// SMTP: a transaction without its final dot was discarded by the server; past it, uncertain.
recovery recover_smtp(const std::string& phase);

// The outbox rows in one state, oldest first.
result<std::vector<outbox_entry>> entries_in_state(store::store& st, const std::string& state);

// Remove what an attempt left beside the outbox (sendmail receipts) once its outcome is recorded.
void forget_attempt(const std::string& outbox_root, const std::string& name);

// Classification tables (docs/outbound.md "Failures").
// libcurl's result and the last SMTP reply code (0 when none), with curl's message.
delivery classify_smtp(int curl_code, long reply_code, const std::string& message, bool past_end_of_data);
// A sendmail helper's receipt line ("exit N", "signal N", "timeout N") and the program's output.
delivery classify_sendmail(const std::string& receipt, const std::string& output);

// An address we can put on an SMTP envelope or a sendmail command line: local@domain, printable
// ASCII without spaces, angle brackets, quotes or a leading '-'.
bool valid_envelope_address(std::string_view a);

// Wait before the next attempt after `attempts` temporary failures: 1 min doubling, at most 1 h.
std::chrono::seconds backoff(int attempts);
// After this long a mail that keeps failing temporarily is failed, loudly (Postfix's default
// maximal_queue_lifetime).
inline constexpr std::chrono::hours give_up_after{24 * 5};

}  // namespace vmt::transport::detail
