// outbox.cpp: queueing (see outbox.h).
#include "transport/outbox.h"

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/fs.h"
#include "core/hash.h"

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
}  // namespace

result<bool> enqueue(store::store& st, const config::config& cfg, const queued_mail& mail, std::string_view bytes) {
  if (mail.message_id.empty() || mail.recipients.empty())
    return make_error(failure::software, "outbox", "a queued mail needs a message id and recipients");
  VMT_TRY(q, st.raw().prepare("SELECT state FROM outbox WHERE message_id = ?1"));
  q.bind(1, mail.message_id);
  VMT_TRY(exists, q.step());
  if (exists) return false;

  // The file name derives from the Message-ID so that a retry after a crash rewrites the same file.
  auto name = hash::sha256_hex(mail.message_id).substr(0, 32) + ".eml";
  auto root = cfg.path(cfg.outbox);
  std::string path;
  bool held = !mail.not_before.empty();
  if (held) {
    VMT_TRY_STATUS(fs::make_private_dir(root + "/hold"));
    path = root + "/hold/" + name;
    VMT_TRY_STATUS(fs::write_file_atomic(path, bytes));
  } else {
    VMT_TRY(p, fs::maildir_deliver(root, name, bytes));
    path = p;
  }
  VMT_TRY(ins, st.raw().prepare(
                   "INSERT INTO outbox(message_id, case_id, kind, sender, recipients, encrypted_to, path, state, "
                   "not_before, created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)"));
  ins.bind(1, mail.message_id).bind_opt(2, mail.case_id).bind(3, mail.kind).bind(4, mail.sender);
  ins.bind(5, nlohmann::json(mail.recipients).dump());
  ins.bind(6, nlohmann::json(mail.encrypted_to).dump());
  ins.bind(7, path).bind(8, held ? "held" : "queued").bind_opt(9, mail.not_before);
  ins.bind(10, clock::iso_time(clock::now()));
  VMT_TRY_STATUS(ins.run());
  return true;
}

result<std::vector<outbox_entry>> list(store::store& st, const std::string& case_id) {
  VMT_TRY(q, st.raw().prepare(
                 std::string("SELECT id, message_id, case_id, kind, sender, recipients, encrypted_to, path, state, "
                             "not_before, attempts, last_error, created_at, sent_at FROM outbox ") +
                 (case_id.empty() ? "" : "WHERE case_id = ?1 ") + "ORDER BY id"));
  if (!case_id.empty()) q.bind(1, case_id);
  std::vector<outbox_entry> out;
  for (;;) {
    VMT_TRY(row, q.step());
    if (!row) break;
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
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace vmt::transport
