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

// Record once that a new case gets no acknowledgement, and why.
status skip_ack(reception& r, const store::case_record& c, const std::string& why);

// Who is told of quarantined mail and follow-ups: team.notify, else the coordinators; never the
// team address itself (the notice would come back as a report).
std::vector<std::string> notice_recipients(const config::config& cfg);

// Tell the coordinators that a message was quarantined: reason, sender, size, hash, the keys it
// was encrypted to, no content.
status queue_quarantine_notice(reception& r, const store::message_record& m, const std::string& reason,
                               const std::vector<std::string>& encrypted_to);

// Tell the coordinators that a follow-up arrived on a case and waits for an answer (no content:
// it is on the private bug and in `vmt show CASE --text`).
status queue_follow_up_notice(reception& r, const store::case_record& c, const store::message_record& m);

// The default composer: sign (and encrypt) through crypto::compose; returns bytes and Message-ID.
result<std::pair<std::string, std::string>> default_compose(const config::config& cfg, const outgoing_mail& m);

}  // namespace vmt::intake::detail
