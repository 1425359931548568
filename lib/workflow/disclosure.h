// disclosure.h: scheduling and carrying out the disclosure: the disclosure date, the embargoed
// notification of downstream stakeholders and linux-distros, subscriptions on request, opening
// the bug at the disclosure hour, the announcement, and the release (see workflow.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "process/calendar.h"
#include "workflow/outbound.h"
#include "workflow/workflow.h"

namespace vmt::workflow {

struct schedule_request {
  std::string notify_on;  // YYYY-MM-DD of the notification; default today
  std::string date;       // a coordinator's choice, checked against the rules
  bool force = false;     // accept a date outside the rules...
  std::string reason;     // ...for this reason, recorded in the ledger
};
struct schedule_result {
  process::disclosure when;
  bool forced = false;
  std::string note;  // why the date was taken (the rule, the reporter's deadline, the override)
};
result<schedule_result> schedule(session& s, const std::string& id, const schedule_request& r);

struct notify_result {
  std::vector<sent_mail> mails;
};
// [pre-OSSA] to each downstream stakeholder and [vs] to linux-distros, signed, encrypted where the
// recipient is meant to get encrypted mail (always for linux-distros), with the approved patches.
result<notify_result> notify(session& s, const std::string& id);

struct subscriber {
  std::string email;
  std::string name;
  std::string tracker_name;  // their tracker user name (Launchpad/StoryBoard), to subscribe to the bug
  std::string key;           // fingerprint: embargoed mail to them is encrypted
};
// Give a stakeholder who asked access to the case (and the private bug).
status subscribe(session& s, const std::string& id, const subscriber& who);

// The disclosure hour: the bug goes public, is retitled [OSSA-NUM] TITLE, the embargo reminder is
// removed. With `at`, staged for that hour instead (vmt check runs it then).
struct disclose_result {
  bool staged = false;
  std::string at;
  std::string publication_form;  // "notify CVE about a publication" fields
};
result<disclose_result> disclose(session& s, const std::string& id, const std::string& at, bool force);
// Run a staged disclosure (called by the watchdog at the hour).
status run_disclosure(session& s, const std::string& id);

// The announcement: [OSSA-NUM] PROJECT: TITLE (CVE) to each announcement list, signed, body the
// advisory's reStructuredText. With `at`, held in the outbox until that hour.
result<std::vector<sent_mail>> publish(session& s, const std::string& id, const std::string& advisory_file,
                                       const std::string& at);

// Every patch merged: Fix Released.
status release(session& s, const std::string& id);

}  // namespace vmt::workflow
