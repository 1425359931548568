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
  std::string previous;              // the disclosure it replaces, if any
  std::vector<sent_mail> updates;    // to those already told, when it moved after the notification
};
// After the notification, a new date needs a reason; it is checked against the rules from the day
// of the notification, everyone told gets an update, and what was staged for the old hour
// (disclosure, announcement, CVE publication) moves to the new one.
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
// advisory's reStructuredText. The advisory YAML is dated the day of publication. With `at` in the
// future it is staged for that hour (vmt check runs it, after a disclosure staged for the same
// hour): the rST is rendered and each mail composed and signed then, so that its Date, its
// signature and the advisory all carry the moment it is released.
struct publish_result {
  bool staged = false;
  std::string at;  // when it is (or was) released
  std::vector<sent_mail> mails;
};
result<publish_result> publish(session& s, const std::string& id, const std::string& advisory_file,
                               const std::string& at);
// Run a staged publication (the watchdog at the hour); failure::temporary while a staged
// disclosure has not opened the case yet.
result<std::vector<sent_mail>> run_publication(session& s, const std::string& id, const std::string& advisory_file);

// A change of plan after the notification (a new date, a corrected CVE, a revised description).
struct plan_change {
  enum class what { date, cve, description } kind = what::date;
  std::string old_value, new_value, reason;  // description: new_value is the revised text
};
// Tell everyone already told (reporter, stakeholders, linux-distros, subscribers) with the update
// mail (templates/workflow/update.tpl), signed and encrypted where due, one mail each; comment on
// the private bug. Nothing is sent before the notification or once the case is public.
result<std::vector<sent_mail>> tell_those_told(session& s, const store::case_record& c, const plan_change& ch);

// "2026-05-14T15:00:00Z" -> "2026-05-14, 1500UTC", as the seed's notification writes it.
std::string disclosure_text(const std::string& iso);

// Every patch merged: Fix Released.
status release(session& s, const std::string& id);

}  // namespace vmt::workflow
