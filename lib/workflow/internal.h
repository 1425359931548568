// internal.h: helpers shared by the workflow's source files (not part of the public API).
#pragma once

#include <string>

#include "store/store.h"
#include "workflow/workflow.h"

namespace vmt::workflow::detail {

// Make the case public: the bug's information type (Public Security, or Public when no advisory),
// the embargo reminder removed from its description, the case no longer private, and the ledger
// saying everyone may now know. `reason` says why (disclosure, early end, no advisory).
status make_public(session& s, store::case_record& c, const std::string& information_type, const std::string& reason);

// The description without the embargo reminder that reception put at its top.
std::string without_reminder(const std::string& description, const std::string& reminder);

// Post a comment on the case's bug once (idempotent by `key`); no-op when the case has no bug.
status comment_once(session& s, const store::case_record& c, const std::string& key, const std::string& text);

// Save the case (updated_at refreshed) and record an event, in one transaction.
status save(session& s, store::case_record& c, const std::string& kind, const std::string& summary,
            const std::vector<std::string>& recipients = {});

// The advisory title: the Title line of the impact description when there is one, else the case title.
std::string advisory_title(const store::case_record& c);
std::string project_display(session& s, const store::case_record& c);

}  // namespace vmt::workflow::detail
