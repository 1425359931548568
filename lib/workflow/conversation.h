// conversation.h: the mail a coordinator exchanges with the people of a case: the impact
// description sent for review to the reporter and the PTL, their answers, and answers to
// follow-ups (which `vmt check` lists until someone answers them).
#pragma once

#include <string>
#include <vector>

#include "workflow/outbound.h"
#include "workflow/workflow.h"

namespace vmt::workflow {

struct review_request {
  std::vector<sent_mail> mails;
  std::vector<std::string> not_sent;  // reviewers without a key: the description is never sent in clear
};
// Seed "Review impact description": send the description, encrypted, to the reporter and the
// project's PTL, and move the ossa task to Review/Triaged. Their answers come back as follow-ups.
result<review_request> request_review(session& s, const std::string& id);
// Record that `who` (an address, "reporter" or "ptl") approved the description.
status record_review(session& s, const std::string& id, const std::string& who, const std::string& note);

// Answer follow-up `message` of the case by mail, In-Reply-To it; signed, and encrypted to the
// sender's key when `carries_detail` (then the sender must be an approved recipient of the case).
result<sent_mail> reply(session& s, const std::string& id, std::int64_t message, const std::string& text,
                        bool carries_detail);
// A follow-up answered another way (on the bug, by phone): `vmt check` stops listing it.
status mark_answered(session& s, const std::string& id, std::int64_t message, const std::string& note);

}  // namespace vmt::workflow
