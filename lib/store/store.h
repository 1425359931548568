// store.h: the embedded store (SQLite): cases, the messages filed on them, the disclosure ledger,
// quarantine, and the bookkeeping that makes reception idempotent.
//
// The store is the source of truth; the tracker and the outbox are kept in step with it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/db.h"

namespace vmt::store {

struct case_record {
  std::string id;  // VMT-2026-001
  std::string title;
  std::string project = "unknown";
  bool is_private = true;
  std::string ossa_status = "Incomplete";
  std::string klass;  // taxonomy class
  std::string embargo_end;
  std::string tracker_kind;
  std::string tracker_bug;
  std::string tracker_url;
  bool encrypted = false;
  std::string sig_status = "none";
  std::string sig_fingerprint;
  std::string sig_trust;
  bool sig_matches_from = false;
  std::string reporter_name;
  std::string reporter_email;
  std::string reporter_fingerprint;
  std::string reporter_terms;
  std::string cve;
  std::string advisory_id;
  std::string disclosure_at;
  std::string created_at;
  std::string updated_at;
  // The workflow (schema step 3).
  std::string description;
  std::string affected_versions;
  std::string credit;
  std::string reporter_deadline;
  std::string embargo_reason;
  std::string notified_at;
  std::string disclosed_at;
  std::string published_at;
  bool hardening = false;
  std::string disclosure_forced;  // why the disclosure date is outside the rules, when forced
};

struct patch_record {
  std::int64_t id = 0;
  std::string case_id;
  std::string branch;
  std::string filename;
  std::string data;
  std::string sha256;
  std::string source;
  std::string added_at;
  std::string added_by;
  std::string approved_by;
  std::string approved_at;
  std::string merged_at;
};

// Someone allowed to learn a case's embargoed detail (lesser disclosure).
struct access_record {
  std::string case_id;
  std::string who;
  std::string kind;
  std::string key;
  std::string added_at;
  std::string added_by;
  std::string tracker_name;  // subscribed to the bug under this tracker name (a person or team)
};

struct message_record {
  std::int64_t row = 0;
  std::string case_id;
  std::string dedupe_key;
  std::string sha256;
  std::string message_id;
  std::string direction = "in";
  std::string state;  // spooled | filed | done | quarantined
  std::string received_at;
  std::string spool_path;
  std::int64_t size = 0;
  std::string from_addr;
  std::string from_name;
  std::string subject;
  bool encrypted = false;
  bool mixed = false;
  std::string sig_status = "none";
  std::string verdict;  // JSON
  std::string body;     // confidential (decrypted) text
  std::string plain;    // unencrypted text
  std::string in_reply_to;              // the thread: In-Reply-To and References, without <>
  std::vector<std::string> references;
  std::string answered_at;  // a follow-up: when a coordinator answered it (or marked it answered)
  std::string answered_by;
};

struct attachment_record {
  std::int64_t id = 0;
  std::int64_t message = 0;
  std::string filename;
  std::string content_type;
  bool encrypted = false;
  bool is_signed = false;
  std::string data;
};

struct event_record {
  std::int64_t id = 0;
  std::string case_id;
  std::string at;
  std::string kind;
  std::string actor;
  std::string summary;
  std::vector<std::string> recipients;
  std::vector<std::string> keys;
  std::string message_id;
};

struct quarantine_record {
  std::int64_t id = 0;
  std::int64_t message = 0;
  std::string reason;
  std::string detail;
  std::string at;
  std::string released_at;
  // joined from the message
  std::string from_addr;
  std::string subject;
  std::string spool_path;
  std::string sha256;
};

// An action staged for a later hour (see schema step 2).
struct staged_action {
  std::int64_t id = 0;
  std::string case_id;
  std::string kind;
  std::string payload;  // JSON
  std::string not_before;
  std::string state = "pending";
  int attempts = 0;
  std::string last_error;
  std::string created_at;
  std::string done_at;
};

class store {
 public:
  static result<std::unique_ptr<store>> open(const std::string& path, int busy_timeout_ms);
  static result<std::unique_ptr<store>> open_memory();

  db& raw() { return *db_; }
  status transaction(const std::function<status()>& body) { return db_->transaction(body); }

  // Cases. new_case_id reserves the next "PREFIX-YEAR-NNN" inside the caller's transaction.
  result<std::string> next_case_id(const std::string& prefix, int year);
  status insert_case(const case_record& c, int year, int seq);
  result<std::optional<case_record>> find_case(const std::string& id);
  result<std::vector<case_record>> list_cases();
  status update_case(const case_record& c);

  // Messages.
  result<std::optional<message_record>> find_message_by_key(const std::string& dedupe_key);
  result<std::vector<message_record>> find_messages_by_message_id(const std::string& message_id);
  result<std::vector<message_record>> case_messages(const std::string& case_id);
  result<std::int64_t> insert_message(const message_record& m);
  status update_message(const message_record& m);
  status add_attachment(const attachment_record& a);
  result<std::vector<attachment_record>> message_attachments(std::int64_t message);
  result<std::vector<message_record>> messages_in_state(const std::string& state);
  // Messages that name `message_id` as their In-Reply-To or in their References (a follow-up that
  // arrived before its report).
  result<std::vector<message_record>> messages_replying_to(const std::string& message_id);
  // The case of the mail we sent with this Message-ID (a reply to our mail belongs to its case).
  result<std::optional<std::string>> case_of_sent_mail(const std::string& message_id);
  // Follow-ups (every message of a case after its first) that nobody answered yet.
  result<std::vector<message_record>> unanswered_follow_ups();
  // Forget a quarantined message (its row and its quarantine entry, not its spool file), so that
  // reception sees it as new when it is retried.
  status forget_quarantined(std::int64_t message);
  // The tracker names subscribed to the case's bug by completed reception and workflow steps, in
  // the order they were subscribed.
  result<std::vector<std::string>> subscribed_by_steps(const std::string& case_id);
  // The time of the newest ledger event ("" when none): a clock behind it went backwards.
  result<std::string> latest_event_at();
  status mark_answered(std::int64_t message, const std::string& at, const std::string& by);

  // Ledger.
  status add_event(const event_record& e);
  result<std::vector<event_record>> case_events(const std::string& case_id);

  // Quarantine.
  status quarantine(std::int64_t message, const std::string& reason, const std::string& detail,
                    const std::string& at);
  result<std::vector<quarantine_record>> quarantined(bool include_released = false);

  // Patches.
  result<std::int64_t> add_patch(const patch_record& p);  // returns the existing id for the same bytes
  result<std::vector<patch_record>> case_patches(const std::string& case_id);
  status update_patch(const patch_record& p);

  // The case's approved recipients.
  status grant_access(const access_record& a);  // no-op when already granted
  result<std::vector<access_record>> case_access(const std::string& case_id);

  // Staged actions: one per (case, kind); staging again replaces a pending one.
  status stage(const staged_action& a);
  result<std::vector<staged_action>> staged_actions(const std::string& case_id = {});
  // Pending actions whose hour has come (not_before <= now_iso).
  result<std::vector<staged_action>> due_actions(const std::string& now_iso);
  status finish_action(std::int64_t id, const std::string& state, const std::string& error_text,
                       const std::string& at);

  // Tracker bookkeeping: which reception steps are done for a case.
  result<std::optional<std::string>> tracker_op_done(const std::string& case_id, const std::string& op);
  status mark_tracker_op(const std::string& case_id, const std::string& op, const std::string& state,
                         const std::string& result_text, const std::string& at);

 private:
  explicit store(std::unique_ptr<db> d) : db_(std::move(d)) {}
  std::unique_ptr<db> db_;
};

// Split a case id "VMT-2026-001" into its year and sequence; nullopt when it is not one.
std::optional<std::pair<int, int>> parse_case_id(const std::string& id, const std::string& prefix);

}  // namespace vmt::store
