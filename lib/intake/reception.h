// reception.h: the "Reception" step of the VMT process, automated: a spooled message becomes a
// private case in the store and a private security bug in the tracker, with the embargo reminder,
// the ossa task in Incomplete, the project's core security team subscribed and the reception
// comment; the reporter is acknowledged; unreadable mail is quarantined and the coordinators told.
//
// Every step is idempotent and recorded, so that a redelivery after a crash at any point completes
// what is missing and repeats nothing: one case, one bug, one acknowledgement.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/status.h"
#include "intake/analysis.h"
#include "intake/spool.h"
#include "store/store.h"
#include "tmpl/tmpl.h"
#include "tracker/tracker.h"

namespace vmt::intake {

// ignored: a mail vmt itself sent that came back (a loop), kept in the spool, never filed.
enum class outcome { new_case, follow_up, duplicate, quarantined, ignored };
const char* to_string(outcome o);

struct receipt {
  outcome what = outcome::new_case;
  std::string case_id;     // empty for quarantined mail
  std::string dedupe_key;
  std::string reason;      // quarantine reason
};

// A mail the reception sends (ack, quarantine notice), before signing.
struct outgoing_mail {
  std::string message_id;
  std::string from_name, from_email;
  std::string to_name, to_email;
  std::string subject, body;
  std::string in_reply_to;
  std::string sign_with;
  std::vector<std::string> encrypt_to;
  std::vector<std::string> to_list;  // several recipients (notices)
  std::string auto_submitted;        // RFC 3834, from the template (every reception mail is automatic)
  bool hide_subject = false;         // from the template (Outer-Subject: hidden)
};

struct reception {
  const config::config& cfg;
  store::store& st;
  const tmpl::engine& templates;
  // Opened on first need: a duplicate or quarantined message never touches the tracker.
  std::function<result<std::unique_ptr<tracker::tracker>>()> open_tracker;
  // Reads the message; the default decrypts and verifies with the team's GnuPG home.
  std::function<result<analysis>(std::string_view)> analyze;
  // Builds a signed (and maybe encrypted) mail; the default is crypto::compose with the team's home.
  std::function<result<std::pair<std::string, std::string>>(const outgoing_mail&)> compose;
  // Called after each durable step ("store", "tracker:create", "ack", ...) and between a tracker
  // call and its record ("tracker-call:create", ...): a fault-injection point for the crash tests;
  // does nothing in production.
  std::function<void(const std::string& step)> after_step = [](const std::string&) {};
  // Who acts in the ledger.
  std::string actor = "vmt-ingest";
};


// The reception with the default analyzer, composer and tracker for `cfg`.
reception make_reception(const config::config& cfg, store::store& st, const tmpl::engine& templates);

// File one spooled message. Errors are failure::temporary when retrying can help.
result<receipt> receive(reception& r, const spooled& msg);

// Complete the reception of a case (tracker steps); used again by `vmt set-project`, which
// subscribes the new project's team, and by `vmt spool resume`.
status complete_case_reception(reception& r, const std::string& case_id);

// A report that arrived as a tracker bug rather than by mail: file a case for bug `bug_id` and do
// the reception steps on the existing bug (reminder at the top of its description when private,
// ossa task, security team, reception comment). Adopting the same bug again returns its case.
result<std::string> adopt_bug(reception& r, const std::string& bug_id, const std::string& project);

// The embargo reminder (seed, "Reception embargo reminder") that ends on `end_date`, without its
// trailing newlines: what goes at the top of a private bug's description.
result<std::string> embargo_reminder(const config::config& cfg, const tmpl::engine& templates,
                                     const std::string& end_date);

// The project a message is about: subject tag, recipient address, then keywords; "unknown".
std::string route_project(const config::config& cfg, const analysis& a);

}  // namespace vmt::intake
