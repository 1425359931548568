// notices.h: internal to intake. The mails reception queues and the ledger lines that record
// them; none of them ever quotes report text.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "intake/reception.h"

namespace vmt::intake::detail {

// The domain part of the team address, for Message-IDs we generate.
std::string team_domain(const config::config& cfg);

// Add one event to a case's ledger, with who was told and to which keys it was encrypted.
status ledger(reception& r, const std::string& case_id, const std::string& kind, const std::string& summary,
              std::vector<std::string> recipients = {}, std::vector<std::string> keys = {},
              const std::string& message_id = {});

// Queue the acknowledgement of a new case to the reporter: encrypted to the reporter's key when it
// is known and usable, else signed only; once per report (idempotent by Message-ID).
status queue_ack(reception& r, const store::case_record& c, const store::message_record& first);

// Tell the coordinators that a message was quarantined: reason, sender, size, hash, no content.
status queue_quarantine_notice(reception& r, const store::message_record& m, const std::string& reason);

// The default composer: sign (and encrypt) through crypto::compose; returns bytes and Message-ID.
result<std::pair<std::string, std::string>> default_compose(const config::config& cfg, const outgoing_mail& m);

}  // namespace vmt::intake::detail
