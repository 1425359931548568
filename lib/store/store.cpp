// store.cpp: cases, messages, ledger, quarantine and tracker bookkeeping (see store.h).
#include "store/store.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace vmt::store {

namespace {

std::string to_json_list(const std::vector<std::string>& v) { return nlohmann::json(v).dump(); }
std::vector<std::string> from_json_list(const std::string& s) {
  if (s.empty()) return {};
  auto j = nlohmann::json::parse(s, nullptr, false);
  if (!j.is_array()) return {};
  std::vector<std::string> out;
  for (const auto& x : j)
    if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}


// "a, b, c" -> {"a", "b", "c"}
std::vector<std::string> column_names(const char* columns) {
  std::vector<std::string> out;
  std::string all = columns;
  for (std::size_t pos = 0; pos <= all.size();) {
    auto comma = all.find(',', pos);
    if (comma == std::string::npos) comma = all.size();
    auto name = all.substr(pos, comma - pos);
    auto b = name.find_first_not_of(' ');
    out.push_back(b == std::string::npos ? std::string() : name.substr(b));
    pos = comma + 1;
  }
  return out;
}

// "?first, ?first+1, ..." for every column.
std::string placeholders(const char* columns, int first) {
  std::string out;
  auto n = column_names(columns).size();
  for (std::size_t i = 0; i < n; ++i) out += (i ? ", ?" : "?") + std::to_string(first + static_cast<int>(i));
  return out;
}

// "a=?first, b=?first+1, ..." for every column but the first `skip`.
std::string assignments(const char* columns, std::size_t skip, int first) {
  std::string out;
  auto names = column_names(columns);
  for (std::size_t i = skip; i < names.size(); ++i)
    out += (out.empty() ? "" : ", ") + names[i] + "=?" + std::to_string(first + static_cast<int>(i - skip));
  return out;
}

constexpr const char* case_columns =
    "id, title, project, private, ossa_status, class, embargo_end, tracker_kind, tracker_bug, tracker_url, "
    "encrypted, sig_status, sig_fingerprint, sig_trust, sig_matches_from, reporter_name, reporter_email, "
    "reporter_fingerprint, reporter_terms, cve, advisory_id, disclosure_at, created_at, updated_at, description, "
    "affected_versions, credit, reporter_deadline, embargo_reason, notified_at, disclosed_at, published_at, hardening, "
    "disclosure_forced";

case_record read_case(const stmt& s) {
  case_record c;
  int i = 0;
  c.id = s.text(i++);
  c.title = s.text(i++);
  c.project = s.text(i++);
  c.is_private = s.integer(i++) != 0;
  c.ossa_status = s.text(i++);
  c.klass = s.text(i++);
  c.embargo_end = s.text(i++);
  c.tracker_kind = s.text(i++);
  c.tracker_bug = s.text(i++);
  c.tracker_url = s.text(i++);
  c.encrypted = s.integer(i++) != 0;
  c.sig_status = s.text(i++);
  c.sig_fingerprint = s.text(i++);
  c.sig_trust = s.text(i++);
  c.sig_matches_from = s.integer(i++) != 0;
  c.reporter_name = s.text(i++);
  c.reporter_email = s.text(i++);
  c.reporter_fingerprint = s.text(i++);
  c.reporter_terms = s.text(i++);
  c.cve = s.text(i++);
  c.advisory_id = s.text(i++);
  c.disclosure_at = s.text(i++);
  c.created_at = s.text(i++);
  c.updated_at = s.text(i++);
  c.description = s.text(i++);
  c.affected_versions = s.text(i++);
  c.credit = s.text(i++);
  c.reporter_deadline = s.text(i++);
  c.embargo_reason = s.text(i++);
  c.notified_at = s.text(i++);
  c.disclosed_at = s.text(i++);
  c.published_at = s.text(i++);
  c.hardening = s.integer(i++) != 0;
  c.disclosure_forced = s.text(i++);
  return c;
}

// Bind the case fields after `id`, in case_columns order, from index `first`.
void bind_case_fields(stmt& s, const case_record& c, int first) {
  s.bind(first + 0, c.title);
  s.bind(first + 1, c.project);
  s.bind(first + 2, c.is_private);
  s.bind(first + 3, c.ossa_status);
  s.bind_opt(first + 4, c.klass);
  s.bind_opt(first + 5, c.embargo_end);
  s.bind_opt(first + 6, c.tracker_kind);
  s.bind_opt(first + 7, c.tracker_bug);
  s.bind_opt(first + 8, c.tracker_url);
  s.bind(first + 9, c.encrypted);
  s.bind(first + 10, c.sig_status);
  s.bind_opt(first + 11, c.sig_fingerprint);
  s.bind_opt(first + 12, c.sig_trust);
  s.bind(first + 13, c.sig_matches_from);
  s.bind_opt(first + 14, c.reporter_name);
  s.bind_opt(first + 15, c.reporter_email);
  s.bind_opt(first + 16, c.reporter_fingerprint);
  s.bind_opt(first + 17, c.reporter_terms);
  s.bind_opt(first + 18, c.cve);
  s.bind_opt(first + 19, c.advisory_id);
  s.bind_opt(first + 20, c.disclosure_at);
  s.bind(first + 21, c.created_at);
  s.bind(first + 22, c.updated_at);
  s.bind_opt(first + 23, c.description);
  s.bind_opt(first + 24, c.affected_versions);
  s.bind_opt(first + 25, c.credit);
  s.bind_opt(first + 26, c.reporter_deadline);
  s.bind_opt(first + 27, c.embargo_reason);
  s.bind_opt(first + 28, c.notified_at);
  s.bind_opt(first + 29, c.disclosed_at);
  s.bind_opt(first + 30, c.published_at);
  s.bind(first + 31, c.hardening);
  s.bind_opt(first + 32, c.disclosure_forced);
}

constexpr const char* message_columns =
    "id, case_id, dedupe_key, sha256, message_id, direction, state, received_at, spool_path, size, from_addr, "
    "from_name, subject, encrypted, mixed, sig_status, verdict, body, plain, in_reply_to, refs, answered_at, "
    "answered_by";

message_record read_message(const stmt& s) {
  message_record m;
  int i = 0;
  m.row = s.integer(i++);
  m.case_id = s.text(i++);
  m.dedupe_key = s.text(i++);
  m.sha256 = s.text(i++);
  m.message_id = s.text(i++);
  m.direction = s.text(i++);
  m.state = s.text(i++);
  m.received_at = s.text(i++);
  m.spool_path = s.text(i++);
  m.size = s.integer(i++);
  m.from_addr = s.text(i++);
  m.from_name = s.text(i++);
  m.subject = s.text(i++);
  m.encrypted = s.integer(i++) != 0;
  m.mixed = s.integer(i++) != 0;
  m.sig_status = s.text(i++);
  m.verdict = s.text(i++);
  m.body = s.text(i++);
  m.plain = s.text(i++);
  m.in_reply_to = s.text(i++);
  m.references = from_json_list(s.text(i++));
  m.answered_at = s.text(i++);
  m.answered_by = s.text(i++);
  return m;
}

void bind_message_fields(stmt& s, const message_record& m, int first) {
  s.bind_opt(first + 0, m.case_id);
  s.bind(first + 1, m.dedupe_key);
  s.bind(first + 2, m.sha256);
  s.bind_opt(first + 3, m.message_id);
  s.bind(first + 4, m.direction);
  s.bind(first + 5, m.state);
  s.bind(first + 6, m.received_at);
  s.bind_opt(first + 7, m.spool_path);
  s.bind(first + 8, m.size);
  s.bind_opt(first + 9, m.from_addr);
  s.bind_opt(first + 10, m.from_name);
  s.bind_opt(first + 11, m.subject);
  s.bind(first + 12, m.encrypted);
  s.bind(first + 13, m.mixed);
  s.bind(first + 14, m.sig_status);
  s.bind_opt(first + 15, m.verdict);
  s.bind_opt(first + 16, m.body);
  s.bind_opt(first + 17, m.plain);
  s.bind_opt(first + 18, m.in_reply_to);
  if (m.references.empty()) s.bind_null(first + 19); else s.bind(first + 19, to_json_list(m.references));
  s.bind_opt(first + 20, m.answered_at);
  s.bind_opt(first + 21, m.answered_by);
}

// Every row of a stepped statement, each read by `read`.
template <class F>
auto all_rows(stmt& s, F read) -> result<std::vector<decltype(read(s))>> {
  std::vector<decltype(read(s))> out;
  for (;;) {
    VMT_TRY(row, s.step());
    if (!row) break;
    out.push_back(read(s));
  }
  return out;
}

}  // namespace

std::optional<std::pair<int, int>> parse_case_id(const std::string& id, const std::string& prefix) {
  if (id.size() < prefix.size() + 7 || id.compare(0, prefix.size(), prefix) != 0 || id[prefix.size()] != '-')
    return std::nullopt;
  auto rest = id.substr(prefix.size() + 1);
  if (rest.size() < 6 || rest[4] != '-') return std::nullopt;
  auto y = rest.substr(0, 4), n = rest.substr(5);
  if (y.find_first_not_of("0123456789") != std::string::npos || n.empty() ||
      n.find_first_not_of("0123456789") != std::string::npos || n.size() > 6)
    return std::nullopt;
  return std::make_pair(std::stoi(y), std::stoi(n));
}

result<std::unique_ptr<store>> store::open(const std::string& path, int busy_timeout_ms) {
  VMT_TRY(d, db::open(path, busy_timeout_ms));
  return std::unique_ptr<store>(new store(std::move(d)));
}
result<std::unique_ptr<store>> store::open_memory() {
  VMT_TRY(d, db::open_memory());
  return std::unique_ptr<store>(new store(std::move(d)));
}

result<std::string> store::next_case_id(const std::string& prefix, int year) {
  VMT_TRY(q, db_->prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM cases WHERE year = ?1"));
  q.bind(1, year);
  VMT_TRY(row, q.step());
  int seq = row ? static_cast<int>(q.integer(0)) : 1;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s-%04d-%03d", prefix.c_str(), year, seq);
  return std::string(buf);
}

status store::insert_case(const case_record& c, int year, int seq) {
  static const int n = static_cast<int>(column_names(case_columns).size());
  VMT_TRY(s, db_->prepare(std::string("INSERT INTO cases(") + case_columns + ", year, seq) VALUES(" +
                          placeholders(case_columns, 1) + ", ?" + std::to_string(n + 1) + ", ?" + std::to_string(n + 2) +
                          ")"));
  s.bind(1, c.id);
  bind_case_fields(s, c, 2);
  s.bind(n + 1, year).bind(n + 2, seq);
  return s.run();
}

result<std::optional<case_record>> store::find_case(const std::string& id) {
  VMT_TRY(s, db_->prepare(std::string("SELECT ") + case_columns + " FROM cases WHERE id = ?1"));
  s.bind(1, id);
  VMT_TRY(row, s.step());
  if (!row) return std::optional<case_record>{};
  return std::optional<case_record>{read_case(s)};
}

result<std::vector<case_record>> store::list_cases() {
  VMT_TRY(s, db_->prepare(std::string("SELECT ") + case_columns + " FROM cases ORDER BY year, seq"));
  return all_rows(s, read_case);
}

status store::update_case(const case_record& c) {
  VMT_TRY(s, db_->prepare("UPDATE cases SET " + assignments(case_columns, 1, 2) + " WHERE id=?1"));
  s.bind(1, c.id);
  bind_case_fields(s, c, 2);
  VMT_TRY_STATUS(s.run());
  if (db_->changes() != 1) return make_error(failure::data, c.id, "no such case");
  return ok_v;
}

result<std::optional<message_record>> store::find_message_by_key(const std::string& key) {
  VMT_TRY(s, db_->prepare(std::string("SELECT ") + message_columns + " FROM messages WHERE dedupe_key = ?1"));
  s.bind(1, key);
  VMT_TRY(row, s.step());
  if (!row) return std::optional<message_record>{};
  return std::optional<message_record>{read_message(s)};
}

result<std::vector<message_record>> store::find_messages_by_message_id(const std::string& message_id) {
  VMT_TRY(s, db_->prepare(std::string("SELECT ") + message_columns + " FROM messages WHERE message_id = ?1 ORDER BY id"));
  s.bind(1, message_id);
  return all_rows(s, read_message);
}

result<std::vector<message_record>> store::case_messages(const std::string& case_id) {
  VMT_TRY(s, db_->prepare(std::string("SELECT ") + message_columns + " FROM messages WHERE case_id = ?1 ORDER BY id"));
  s.bind(1, case_id);
  return all_rows(s, read_message);
}

result<std::vector<message_record>> store::messages_in_state(const std::string& state) {
  VMT_TRY(s, db_->prepare(std::string("SELECT ") + message_columns + " FROM messages WHERE state = ?1 ORDER BY id"));
  s.bind(1, state);
  return all_rows(s, read_message);
}

result<std::vector<message_record>> store::messages_replying_to(const std::string& message_id) {
  VMT_TRY(s, db_->prepare(std::string("SELECT ") + message_columns +
                          " FROM messages WHERE in_reply_to = ?1 OR (refs IS NOT NULL AND EXISTS "
                          "(SELECT 1 FROM json_each(messages.refs) WHERE json_each.value = ?1)) ORDER BY id"));
  s.bind(1, message_id);
  return all_rows(s, read_message);
}

result<std::optional<std::string>> store::case_of_sent_mail(const std::string& message_id) {
  VMT_TRY(q, db_->prepare("SELECT case_id FROM outbox WHERE message_id = ?1 AND case_id IS NOT NULL"));
  q.bind(1, message_id);
  VMT_TRY(row, q.step());
  if (!row) return std::optional<std::string>{};
  return std::optional<std::string>{q.text(0)};
}

result<std::vector<message_record>> store::unanswered_follow_ups() {
  VMT_TRY(s, db_->prepare(std::string("SELECT ") + message_columns +
                          " FROM messages WHERE case_id IS NOT NULL AND state = 'done' AND answered_at IS NULL "
                          "AND id > (SELECT MIN(id) FROM messages AS first WHERE first.case_id = messages.case_id) "
                          "ORDER BY id"));
  return all_rows(s, read_message);
}

status store::forget_quarantined(std::int64_t message) {
  return transaction([&]() -> status {
    VMT_TRY(d1, db_->prepare("DELETE FROM quarantine WHERE message = ?1"));
    d1.bind(1, message);
    VMT_TRY_STATUS(d1.run());
    VMT_TRY(d2, db_->prepare("DELETE FROM messages WHERE id = ?1"));
    d2.bind(1, message);
    return d2.run();
  });
}

result<std::vector<std::string>> store::subscribed_by_steps(const std::string& case_id) {
  VMT_TRY(q, db_->prepare("SELECT op FROM tracker_ops WHERE case_id = ?1 AND op LIKE 'subscribe:%' AND "
                          "state = 'done' ORDER BY at, op"));
  q.bind(1, case_id);
  std::vector<std::string> out;
  for (;;) {
    VMT_TRY(row, q.step());
    if (!row) break;
    out.push_back(q.text(0).substr(10));  // after "subscribe:"
  }
  return out;
}

result<std::string> store::latest_event_at() {
  VMT_TRY(s, db_->prepare("SELECT COALESCE(MAX(at), '') FROM events"));
  VMT_TRY(row, s.step());
  return row ? s.text(0) : std::string();
}

status store::mark_answered(std::int64_t message, const std::string& at, const std::string& by) {
  VMT_TRY(s, db_->prepare("UPDATE messages SET answered_at = ?2, answered_by = ?3 WHERE id = ?1"));
  s.bind(1, message).bind(2, at).bind(3, by);
  return s.run();
}

result<std::int64_t> store::insert_message(const message_record& m) {
  // message_columns without its leading "id, ": the row id is SQLite's.
  static const std::string columns = std::string(message_columns).substr(4);
  VMT_TRY(s, db_->prepare("INSERT INTO messages(" + columns + ") VALUES(" + placeholders(columns.c_str(), 1) + ")"));
  bind_message_fields(s, m, 1);
  VMT_TRY_STATUS(s.run());
  return db_->last_insert_id();
}

status store::update_message(const message_record& m) {
  static const int n = static_cast<int>(column_names(message_columns).size()) - 1;
  VMT_TRY(s, db_->prepare("UPDATE messages SET " + assignments(message_columns, 1, 1) + " WHERE id=?" +
                          std::to_string(n + 1)));
  bind_message_fields(s, m, 1);
  s.bind(n + 1, m.row);
  return s.run();
}

status store::add_attachment(const attachment_record& a) {
  VMT_TRY(s, db_->prepare("INSERT INTO attachments(message, filename, content_type, encrypted, signed, data) "
                          "VALUES(?1,?2,?3,?4,?5,?6)"));
  s.bind(1, a.message).bind_opt(2, a.filename).bind_opt(3, a.content_type).bind(4, a.encrypted);
  s.bind(5, a.is_signed).bind_blob(6, a.data);
  return s.run();
}

result<std::vector<attachment_record>> store::message_attachments(std::int64_t message) {
  VMT_TRY(s, db_->prepare("SELECT id, message, filename, content_type, encrypted, signed, data FROM attachments "
                          "WHERE message = ?1 ORDER BY id"));
  s.bind(1, message);
  return all_rows(s, [](const stmt& s) {
    attachment_record a;
      a.id = s.integer(0);
      a.message = s.integer(1);
      a.filename = s.text(2);
      a.content_type = s.text(3);
      a.encrypted = s.integer(4) != 0;
      a.is_signed = s.integer(5) != 0;
      a.data = s.text(6);
    return a;
  });
}

status store::add_event(const event_record& e) {
  VMT_TRY(s, db_->prepare("INSERT INTO events(case_id, at, kind, actor, summary, recipients, keys, message_id) "
                          "VALUES(?1,?2,?3,?4,?5,?6,?7,?8)"));
  s.bind_opt(1, e.case_id).bind(2, e.at).bind(3, e.kind).bind(4, e.actor).bind(5, e.summary);
  if (e.recipients.empty()) s.bind_null(6); else s.bind(6, to_json_list(e.recipients));
  if (e.keys.empty()) s.bind_null(7); else s.bind(7, to_json_list(e.keys));
  s.bind_opt(8, e.message_id);
  return s.run();
}

result<std::vector<event_record>> store::case_events(const std::string& case_id) {
  VMT_TRY(s, db_->prepare("SELECT id, case_id, at, kind, actor, summary, recipients, keys, message_id FROM events "
                          "WHERE case_id = ?1 ORDER BY at, id"));
  s.bind(1, case_id);
  return all_rows(s, [](const stmt& s) {
    event_record e;
      e.id = s.integer(0);
      e.case_id = s.text(1);
      e.at = s.text(2);
      e.kind = s.text(3);
      e.actor = s.text(4);
      e.summary = s.text(5);
      e.recipients = from_json_list(s.text(6));
      e.keys = from_json_list(s.text(7));
      e.message_id = s.text(8);
    return e;
  });
}

status store::quarantine(std::int64_t message, const std::string& reason, const std::string& detail,
                         const std::string& at) {
  VMT_TRY(s, db_->prepare("INSERT INTO quarantine(message, reason, detail, at) VALUES(?1,?2,?3,?4) "
                          "ON CONFLICT(message) DO NOTHING"));
  s.bind(1, message).bind(2, reason).bind_opt(3, detail).bind(4, at);
  return s.run();
}

result<std::vector<quarantine_record>> store::quarantined(bool include_released) {
  VMT_TRY(s, db_->prepare(std::string("SELECT q.id, q.message, q.reason, q.detail, q.at, q.released_at, m.from_addr, "
                                      "m.subject, m.spool_path, m.sha256 FROM quarantine q JOIN messages m ON m.id = q.message ") +
                          (include_released ? "" : "WHERE q.released_at IS NULL ") + "ORDER BY q.id"));
  return all_rows(s, [](const stmt& s) {
    quarantine_record q;
      q.id = s.integer(0);
      q.message = s.integer(1);
      q.reason = s.text(2);
      q.detail = s.text(3);
      q.at = s.text(4);
      q.released_at = s.text(5);
      q.from_addr = s.text(6);
      q.subject = s.text(7);
      q.spool_path = s.text(8);
      q.sha256 = s.text(9);
    return q;
  });
}

namespace {
constexpr const char* patch_columns =
    "id, case_id, branch, filename, data, sha256, source, added_at, added_by, approved_by, approved_at, merged_at";
patch_record read_patch(const stmt& s) {
  patch_record p;
  p.id = s.integer(0);
  p.case_id = s.text(1);
  p.branch = s.text(2);
  p.filename = s.text(3);
  p.data = s.text(4);
  p.sha256 = s.text(5);
  p.source = s.text(6);
  p.added_at = s.text(7);
  p.added_by = s.text(8);
  p.approved_by = s.text(9);
  p.approved_at = s.text(10);
  p.merged_at = s.text(11);
  return p;
}
}  // namespace

result<std::int64_t> store::add_patch(const patch_record& p) {
  VMT_TRY(q, db_->prepare("SELECT id FROM patches WHERE case_id = ?1 AND sha256 = ?2"));
  q.bind(1, p.case_id).bind(2, p.sha256);
  VMT_TRY(found, q.step());
  if (found) return q.integer(0);
  VMT_TRY(s, db_->prepare("INSERT INTO patches(case_id, branch, filename, data, sha256, source, added_at, added_by) "
                          "VALUES(?1,?2,?3,?4,?5,?6,?7,?8)"));
  s.bind(1, p.case_id).bind(2, p.branch).bind(3, p.filename).bind_blob(4, p.data).bind(5, p.sha256);
  s.bind_opt(6, p.source).bind(7, p.added_at).bind(8, p.added_by);
  VMT_TRY_STATUS(s.run());
  return db_->last_insert_id();
}

result<std::vector<patch_record>> store::case_patches(const std::string& case_id) {
  VMT_TRY(s, db_->prepare(std::string("SELECT ") + patch_columns + " FROM patches WHERE case_id = ?1 ORDER BY id"));
  s.bind(1, case_id);
  return all_rows(s, read_patch);
}

status store::update_patch(const patch_record& p) {
  VMT_TRY(s, db_->prepare("UPDATE patches SET branch=?2, filename=?3, approved_by=?4, approved_at=?5, merged_at=?6 "
                          "WHERE id=?1"));
  s.bind(1, p.id).bind(2, p.branch).bind(3, p.filename).bind_opt(4, p.approved_by).bind_opt(5, p.approved_at);
  s.bind_opt(6, p.merged_at);
  return s.run();
}

status store::grant_access(const access_record& a) {
  VMT_TRY(s, db_->prepare("INSERT INTO access(case_id, who, kind, key, added_at, added_by, tracker_name) "
                          "VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(case_id, who) DO UPDATE SET "
                          "key = COALESCE(excluded.key, access.key), "
                          "tracker_name = COALESCE(excluded.tracker_name, access.tracker_name)"));
  s.bind(1, a.case_id).bind(2, a.who).bind(3, a.kind).bind_opt(4, a.key).bind(5, a.added_at).bind(6, a.added_by);
  s.bind_opt(7, a.tracker_name);
  return s.run();
}

result<std::vector<access_record>> store::case_access(const std::string& case_id) {
  VMT_TRY(s, db_->prepare("SELECT case_id, who, kind, key, added_at, added_by, tracker_name FROM access "
                          "WHERE case_id = ?1 ORDER BY added_at, who"));
  s.bind(1, case_id);
  return all_rows(s, [](const stmt& s) {
    return access_record{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6)};
  });
}

namespace {
constexpr const char* staged_columns =
    "id, case_id, kind, payload, not_before, state, attempts, last_error, created_at, done_at";
staged_action read_staged(const stmt& s) {
  staged_action a;
  a.id = s.integer(0);
  a.case_id = s.text(1);
  a.kind = s.text(2);
  a.payload = s.text(3);
  a.not_before = s.text(4);
  a.state = s.text(5);
  a.attempts = static_cast<int>(s.integer(6));
  a.last_error = s.text(7);
  a.created_at = s.text(8);
  a.done_at = s.text(9);
  return a;
}
}  // namespace

status store::stage(const staged_action& a) {
  VMT_TRY(s, db_->prepare("INSERT INTO staged(case_id, kind, payload, not_before, state, created_at) "
                          "VALUES(?1,?2,?3,?4,'pending',?5) ON CONFLICT(case_id, kind) DO UPDATE SET "
                          "payload=excluded.payload, not_before=excluded.not_before, state='pending', attempts=0, "
                          "last_error=NULL, done_at=NULL WHERE staged.state != 'done'"));
  s.bind_opt(1, a.case_id).bind(2, a.kind).bind(3, a.payload).bind(4, a.not_before).bind(5, a.created_at);
  return s.run();
}

result<std::vector<staged_action>> store::staged_actions(const std::string& case_id) {
  VMT_TRY(s, db_->prepare(std::string("SELECT ") + staged_columns + " FROM staged " +
                          (case_id.empty() ? "" : "WHERE case_id = ?1 ") + "ORDER BY not_before, id"));
  if (!case_id.empty()) s.bind(1, case_id);
  return all_rows(s, read_staged);
}

result<std::vector<staged_action>> store::due_actions(const std::string& now_iso) {
  VMT_TRY(s, db_->prepare(std::string("SELECT ") + staged_columns +
                          " FROM staged WHERE state = 'pending' AND not_before <= ?1 ORDER BY not_before, id"));
  s.bind(1, now_iso);
  return all_rows(s, read_staged);
}

status store::finish_action(std::int64_t id, const std::string& state, const std::string& error_text,
                            const std::string& at) {
  VMT_TRY(s, db_->prepare("UPDATE staged SET state = ?2, last_error = ?3, attempts = attempts + 1, "
                          "done_at = CASE WHEN ?2 = 'done' THEN ?4 ELSE done_at END WHERE id = ?1"));
  s.bind(1, id).bind(2, state).bind_opt(3, error_text).bind(4, at);
  return s.run();
}

result<std::optional<std::string>> store::tracker_op_done(const std::string& case_id, const std::string& op) {
  VMT_TRY(s, db_->prepare("SELECT result FROM tracker_ops WHERE case_id = ?1 AND op = ?2 AND state = 'done'"));
  s.bind(1, case_id).bind(2, op);
  VMT_TRY(row, s.step());
  if (!row) return std::optional<std::string>{};
  return std::optional<std::string>{s.text(0)};
}

status store::mark_tracker_op(const std::string& case_id, const std::string& op, const std::string& state,
                              const std::string& result_text, const std::string& at) {
  VMT_TRY(s, db_->prepare("INSERT INTO tracker_ops(case_id, op, state, result, at) VALUES(?1,?2,?3,?4,?5) "
                          "ON CONFLICT(case_id, op) DO UPDATE SET state=excluded.state, result=excluded.result, "
                          "at=excluded.at"));
  s.bind(1, case_id).bind(2, op).bind(3, state).bind_opt(4, result_text).bind(5, at);
  return s.run();
}

}  // namespace vmt::store
