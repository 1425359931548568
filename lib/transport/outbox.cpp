// outbox.cpp: queueing and reading the outbox (see outbox.h); the runner is in runner.cpp.
#include "transport/outbox.h"

#include <nlohmann/json.hpp>

#include "core/fs.h"
#include "core/hash.h"
#include "transport/transports.h"

namespace vmt::transport {

namespace {

std::vector<std::string> json_list(const std::string& s) {
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(s, nullptr, false);
  if (j.is_array())
    for (const auto& x : j)
      if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

constexpr const char* columns =
    "SELECT id, message_id, case_id, kind, sender, recipients, encrypted_to, path, state, not_before, attempts, "
    "last_error, created_at, sent_at, transport, phase, next_attempt, receipt FROM outbox ";

outbox_entry read_row(const store::stmt& q) {
  outbox_entry e;
  e.id = q.integer(0);
  e.mail.message_id = q.text(1);
  e.mail.case_id = q.text(2);
  e.mail.kind = q.text(3);
  e.mail.sender = q.text(4);
  e.mail.recipients = json_list(q.text(5));
  e.mail.encrypted_to = json_list(q.text(6));
  e.path = q.text(7);
  e.state = q.text(8);
  e.mail.not_before = q.text(9);
  e.attempts = static_cast<int>(q.integer(10));
  e.last_error = q.text(11);
  e.created_at = q.text(12);
  e.sent_at = q.text(13);
  e.transport = q.text(14);
  e.phase = q.text(15);
  e.next_attempt = q.text(16);
  e.receipt = q.text(17);
  return e;
}

result<std::vector<outbox_entry>> read_rows(store::stmt& q) {
  std::vector<outbox_entry> out;
  for (;;) {
    VMT_TRY(row, q.step());
    if (!row) break;
    out.push_back(read_row(q));
  }
  return out;
}

}  // namespace

bool usable_envelope_address(std::string_view addr) {
  return detail::valid_envelope_address(addr);
}

result<bool> enqueue(store::store& st, const config::config& cfg, const queued_mail& mail, std::string_view bytes) {
  if (mail.message_id.empty() || mail.recipients.empty())
    return make_error(failure::software, "outbox", "a queued mail needs a message id and recipients");
  if (mail.message_id.find_first_of("<> \t\r\n") != std::string::npos)
    return make_error(failure::software, "outbox", "message id '" + mail.message_id + "' must be bare (no <>, no spaces)");
  // The envelope comes from here, never from the headers: refuse what no transport could carry.
  if (!detail::valid_envelope_address(mail.sender))
    return make_error(failure::data, "outbox", "invalid sender address '" + mail.sender + "'",
                      "check team.address and the coordinators in the configuration");
  for (const auto& r : mail.recipients)
    if (!detail::valid_envelope_address(r))
      return make_error(failure::data, "outbox", "invalid recipient address '" + r + "'",
                        "write local@domain, without a display name");
  std::string not_before;
  if (!mail.not_before.empty()) {
    auto t = clock::parse_iso_time(mail.not_before);
    if (!t)
      return make_error(failure::data, "outbox", "not a time: '" + mail.not_before + "'", "write YYYY-MM-DDTHH:MM:SSZ (UTC)");
    not_before = clock::iso_time(*t);  // one format, so that the runner compares like with like
  }

  VMT_TRY(exists, is_queued(st, mail.message_id));
  if (exists) return false;

  // The file name derives from the Message-ID so that a retry after a crash rewrites the same file;
  // a file without a row (the caller's transaction rolled back) is never sent: the row is the truth.
  auto name = hash::sha256_hex(mail.message_id).substr(0, 32) + ".eml";
  auto root = cfg.path(cfg.outbox);
  std::string path;
  bool held = !not_before.empty();
  VMT_TRY_STATUS(fs::make_maildir(root));
  // Kept relative to the outbox folder: a team folder moved or restored elsewhere still sends it.
  if (held) {
    VMT_TRY_STATUS(fs::make_private_dir(root + "/hold"));
    path = "hold/" + name;
    VMT_TRY_STATUS(fs::write_file_atomic(root + "/" + path, bytes));
  } else {
    VMT_TRY(p, fs::maildir_deliver(root, name, bytes));
    (void)p;
    path = "new/" + name;
  }
  VMT_TRY(ins, st.raw().prepare(
                   "INSERT INTO outbox(message_id, case_id, kind, sender, recipients, encrypted_to, path, state, "
                   "not_before, created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)"));
  ins.bind(1, mail.message_id).bind_opt(2, mail.case_id).bind(3, mail.kind).bind(4, mail.sender);
  ins.bind(5, nlohmann::json(mail.recipients).dump());
  ins.bind(6, nlohmann::json(mail.encrypted_to).dump());
  ins.bind(7, path).bind(8, held ? "held" : "queued").bind_opt(9, not_before);
  ins.bind(10, clock::iso_time(clock::now()));
  VMT_TRY_STATUS(ins.run());
  return true;
}

result<std::vector<outbox_entry>> list(store::store& st, const std::string& case_id) {
  VMT_TRY(q, st.raw().prepare(std::string(columns) + (case_id.empty() ? "" : "WHERE case_id = ?1 ") + "ORDER BY id"));
  if (!case_id.empty()) q.bind(1, case_id);
  return read_rows(q);
}

result<bool> is_queued(store::store& st, const std::string& message_id) {
  VMT_TRY(q, st.raw().prepare("SELECT 1 FROM outbox WHERE message_id = ?1"));
  q.bind(1, message_id);
  return q.step();
}

result<std::optional<outbox_entry>> find(store::store& st, const std::string& key) {
  std::string mid = key;
  if (mid.size() >= 2 && mid.front() == '<' && mid.back() == '>') mid = mid.substr(1, mid.size() - 2);
  bool numeric = !key.empty() && key.find_first_not_of("0123456789") == std::string::npos;
  VMT_TRY(q, st.raw().prepare(std::string(columns) + (numeric ? "WHERE id = ?1" : "WHERE message_id = ?1")));
  if (numeric) q.bind(1, static_cast<std::int64_t>(std::stoll(key)));
  else q.bind(1, mid);
  VMT_TRY(rows, read_rows(q));
  if (rows.empty()) return std::optional<outbox_entry>{};
  return std::optional<outbox_entry>{std::move(rows.front())};
}

std::string file_of(const config::config& cfg, const outbox_entry& e) { return fs::join(cfg.path(cfg.outbox), e.path); }

result<std::string> header_block(const config::config& cfg, const outbox_entry& e) {
  VMT_TRY(bytes, fs::read_file(file_of(cfg, e)));
  auto end = bytes.find("\n\n");
  auto crlf = bytes.find("\r\n\r\n");
  if (crlf != std::string::npos && (end == std::string::npos || crlf < end)) return bytes.substr(0, crlf + 2);
  if (end == std::string::npos) return bytes;  // headers only
  return bytes.substr(0, end + 1);
}

namespace detail {

result<std::vector<outbox_entry>> entries_in_state(store::store& st, const std::string& state) {
  VMT_TRY(q, st.raw().prepare(std::string(columns) + "WHERE state = ?1 ORDER BY id"));
  q.bind(1, state);
  return read_rows(q);
}

}  // namespace detail

}  // namespace vmt::transport
