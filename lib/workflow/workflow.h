// workflow.h: the coordinator's verbs, from confirmation to the signed announcement: one function
// per step of the VMT process (seed sections "Patch development" to "All patches merged",
// "Abnormal embargo termination", "Report Taxonomy", "OSSA Task status", "Templates").
//
// Each verb checks the state machine (process/states.h) first and refuses with the case's state
// and what is allowed next; then it changes the store, the tracker and the outbox, and records in
// the case's ledger what happened, who was told and with which key. Mail that carries embargoed
// detail only ever goes through the disclosure gate (outbound.h).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/status.h"
#include "crypto/compose.h"
#include "process/states.h"
#include "store/store.h"
#include "tmpl/tmpl.h"
#include "tracker/tracker.h"

namespace vmt::workflow {

// What a verb works with. Built by make_session(); tests replace the tracker and signer.
class session {
 public:
  session(const config::config& cfg, store::store& st, const tmpl::engine& templates, std::string actor);

  const config::config& cfg;
  store::store& st;
  const tmpl::engine& templates;
  std::string actor;  // the coordinator acting (their address): recorded in the ledger

  std::function<result<std::unique_ptr<tracker::tracker>>()> open_tracker;
  std::function<result<crypto::composed>(const crypto::outgoing&)> compose;

  // The tracker, opened on first use.
  result<tracker::tracker*> tracker();
  // The case, or failure::data naming it.
  result<store::case_record> load(const std::string& id);
  // The coordinator who signs: the one acting if configured, else the first.
  const config::person* signer() const;
  std::string now() const;

  // Record an event in the case's ledger.
  status record(const std::string& case_id, const std::string& kind, const std::string& summary,
                const std::vector<std::string>& recipients = {}, const std::vector<std::string>& keys = {},
                const std::string& message_id = {});

 private:
  std::unique_ptr<tracker::tracker> tracker_;
};

std::unique_ptr<session> make_session(const config::config& cfg, store::store& st, const tmpl::engine& templates,
                                      const std::string& actor);

// The facts the state machine needs, read from a case.
process::case_facts facts_of(session& s, const store::case_record& c);
process::ossa_status status_of(const store::case_record& c);

// Move the case's OSSA task to the status `v` leads to (store, tracker, ledger), after checking it
// is allowed. Returns the new status.
result<process::ossa_status> transition(session& s, store::case_record& c, process::verb v, const std::string& why = {});

// ---- Triage -------------------------------------------------------------------------------------
status confirm(session& s, const std::string& id);
status challenge(session& s, const std::string& id, const std::string& reason);
struct classification {
  std::string klass, outcome, description, advice;
};
result<classification> classify(session& s, const std::string& id, const std::string& klass);
// Won't Fix / Invalid: no OSSA, no benefit to an OSSN; the bug goes public (optionally tagged as a
// security hardening opportunity).
status close_without_advisory(session& s, const std::string& id, process::verb v, bool hardening,
                              const std::string& reason);
// Close a case that is no report at all (spam, a mail that looped back) without making anything
// public: the ossa task Invalid, the bug left private, what was staged cancelled.
status dismiss(session& s, const std::string& id, const std::string& reason);

// ---- Patches ------------------------------------------------------------------------------------
struct patch_source {
  std::string file;             // a patch file
  std::int64_t message = 0;     // or an attachment of one of the case's messages
  std::string attachment;       // its file name
};
result<store::patch_record> add_patch(session& s, const std::string& id, const patch_source& src, const std::string& branch);
status approve_patch(session& s, const std::string& id, std::int64_t patch, const std::string& reviewer);
status patch_merged(session& s, const std::string& id, std::int64_t patch);
// The name a patch carries in notifications: cve-2026-1234-master-gazpacho.patch,
// cve-2026-1234-stable-flamingo.patch.
std::string patch_mail_name(const std::string& cve, const std::string& branch, const config::project* p);

// ---- Impact description, review, CVE ------------------------------------------------------------
struct description_input {
  std::string title, credit, affects, prose;  // empty: taken from the case or left as placeholders
};
// The draft from templates/workflow/impact-description.tpl.
result<std::string> draft_description(session& s, const std::string& id, const description_input& in);
// Store the (edited) description and post it on the private bug.
status save_description(session& s, const std::string& id, const std::string& text);
// The review by the reporter and the PTL: conversation.h.

struct form_field {
  std::string name, value;
};
struct cve_request_result {
  std::vector<form_field> fields;  // MITRE's CVE request form, in its order
  std::string draft_path;          // the CVE JSON 5 CNA container draft written
};
result<cve_request_result> cve_request(session& s, const std::string& id);
// Record the CVE (seed "Get assigned CVE"). A case that has one already needs `replace_reason`: the
// tracker, the title, the advisory draft and the ledger follow, and everyone already told gets a
// correction (tell_those_told).
status cve_assign(session& s, const std::string& id, const std::string& cve, const std::string& replace_reason = {});
// CVE-YYYY-NNNN with 4 to 19 digits, as the CVE record format defines it.
bool valid_cve_id(const std::string& cve);

// ---- Reporter's terms, embargo ------------------------------------------------------------------
// The reporter's own disclosure terms prevail: a deadline before the 90 days moves the embargo end.
status set_reporter_terms(session& s, const std::string& id, const std::string& terms, const std::string& deadline);
status end_embargo(session& s, const std::string& id, const std::string& reason);

}  // namespace vmt::workflow
