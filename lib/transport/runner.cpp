// runner.cpp: the queue runner (see outbox.h; states and the exactly-once argument in
// docs/outbound.md).
//
// One pass, under an exclusive lock on the outbox: (1) settle the mails a dead runner left in
// `sending`, (2) release held mails whose hour has come, (3) send each due queued mail: record
// `sending` (attempts + 1) before the transport call, then move the file to cur/NAME:2,S and record
// `sent`, or record the failure: temporary -> queued again with backoff, permanent -> failed,
// uncertain -> uncertain (a person decides). Nothing here logs mail content: ids, addresses, states
// and the transports' answers only.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/fs.h"
#include "core/log.h"
#include "transport/outbox.h"
#include "transport/transports.h"

namespace vmt::transport {

namespace detail {

result<std::unique_ptr<transport>> make_transport(const config::config& cfg, const std::string& outbox_root) {
  const auto& kind = cfg.transport.kind;
  if (kind == "maildir") return make_maildir_transport(cfg);
  if (kind == "sendmail") return make_sendmail_transport(cfg, outbox_root);
  if (kind == "smtp") return make_smtp_transport(cfg);
  return make_error(failure::config, cfg.file + ": transport.kind", "unknown transport '" + kind + "'",
                    "use maildir, sendmail or smtp");
}

recovery recover_smtp(const std::string& phase) {
  if (phase == "end-of-data")
    return {recovery::action::settle,
            {verdict::uncertain,
             "the runner died after handing the end of the data to the SMTP server, before its answer was "
             "recorded: the server may have accepted the mail",
             false}};
  return {recovery::action::resend, {}};
}

}  // namespace detail

namespace {

using detail::delivery;
using detail::verdict;

constexpr const char* runner_actor = "vmt-send";

std::string base_name(const std::string& path) {
  auto slash = path.rfind('/');
  auto name = slash == std::string::npos ? path : path.substr(slash + 1);
  auto colon = name.find(':');  // cur/NAME:2,S
  return colon == std::string::npos ? name : name.substr(0, colon);
}

std::string outbox_root(const config::config& cfg) { return cfg.path(cfg.outbox); }

// A value from the store shown in a log line or an error: control characters escaped, so that a
// damaged row cannot forge log lines.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\r') out += "\\r";
    else if (c == '\n') out += "\\n";
    else if (u < 0x20 || u == 0x7f) out += '?';
    else out += c;
  }
  return out.substr(0, 300);
}

// The runner's exclusive lock on the outbox: two runners (a timer and `vmt outbox flush`) must not
// both take the same queued mail.
class runner_lock {
 public:
  static result<runner_lock> acquire(const std::string& root) {
    auto path = root + "/runner.lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
      return make_error(failure::temporary, path, std::string("cannot open the outbox lock: ") + std::strerror(errno),
                        "check the outbox folder's owner and mode");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      return make_error(failure::temporary, root, "another queue runner is working on this outbox",
                        "nothing to do: it sends the mail; try again later");
    }
    return runner_lock(fd);
  }
  runner_lock(runner_lock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  runner_lock& operator=(runner_lock&&) = delete;
  ~runner_lock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  explicit runner_lock(int fd) : fd_(fd) {}
  int fd_;
};

void note(flush_report& rep, const outbox_entry& e, const char* outcome, const std::string& detail) {
  rep.mails.push_back({e.id, e.mail.message_id, outcome, detail});
}

status add_event(store::store& st, const outbox_entry& e, const std::string& kind, const std::string& summary,
                 const std::string& actor, clock::seconds now) {
  if (e.mail.case_id.empty()) return ok_v;
  store::event_record ev;
  ev.case_id = e.mail.case_id;
  ev.at = clock::iso_time(now);
  ev.kind = kind;
  ev.actor = actor;
  ev.summary = summary;
  ev.recipients = e.mail.recipients;
  ev.keys = e.mail.encrypted_to;
  ev.message_id = e.mail.message_id;
  return st.add_event(ev);
}

// Move a delivered mail's file to cur/NAME:2,S ("seen" in maildir terms): new/ then holds only what
// is still to be sent. Returns the path the file now has. A file already moved (a restart) is fine.
// Paths are kept relative to the outbox folder, so that a team folder moved or restored elsewhere
// still finds its mail (an older store's absolute paths still resolve).
std::string move_to_cur(const std::string& root, const outbox_entry& e) {
  auto rel = "cur/" + base_name(e.path) + ":2,S";
  auto dest = root + "/" + rel;
  auto src = fs::join(root, e.path);
  if (src == dest) return rel;
  if (::rename(src.c_str(), dest.c_str()) != 0) {
    if (fs::exists(dest)) return rel;
    spdlog::warn("outbox: mail {} was sent but its file could not be moved to {}: {}", e.id, dest,
                 std::strerror(errno));
    return e.path;
  }
  (void)fs::sync_dir(root + "/cur");
  return rel;
}

// The time a mail first became due: the start of its give-up clock.
clock::seconds due_since(const outbox_entry& e) {
  auto created = clock::parse_iso_time(e.created_at).value_or(clock::seconds{});
  auto nb = clock::parse_iso_time(e.mail.not_before).value_or(clock::seconds{});
  return std::max(created, nb);
}

// Record the outcome `d` of an attempt on `e` (from a transport or a recovery) in one transaction.
status record(store::store& st, const std::string& root, outbox_entry& e, const char* transport_name,
              delivery d, clock::seconds now, flush_report& rep) {
  auto now_s = clock::iso_time(now);
  if (d.v == verdict::temporary && now - due_since(e) > detail::give_up_after) {
    d.v = verdict::permanent;
    d.detail = "gave up after " + std::to_string(e.attempts) + " attempts over 5 days; last error: " + d.detail;
  }
  switch (d.v) {
    case verdict::sent: {
      auto path = move_to_cur(root, e);
      VMT_TRY_STATUS(st.transaction([&]() -> status {
        VMT_TRY(u, st.raw().prepare("UPDATE outbox SET state='sent', sent_at=?2, receipt=?3, path=?4, phase=NULL, "
                                    "next_attempt=NULL WHERE id=?1"));
        u.bind(1, e.id).bind(2, now_s).bind(3, d.detail).bind(4, path);
        VMT_TRY_STATUS(u.run());
        return add_event(st, e, "mail-sent",
                         e.mail.kind + " mail sent via " + transport_name + " (" + d.detail + ")", runner_actor, now);
      }));
      spdlog::info("outbox: mail {} <{}> sent via {} to {} recipient(s): {}", e.id, e.mail.message_id, transport_name,
                   e.mail.recipients.size(), d.detail);
      ++rep.sent;
      note(rep, e, "sent", d.detail);
      break;
    }
    case verdict::temporary: {
      auto next = clock::iso_time(now + detail::backoff(std::max(e.attempts, 1)));
      VMT_TRY(u, st.raw().prepare("UPDATE outbox SET state='queued', last_error=?2, next_attempt=?3, phase=NULL "
                                  "WHERE id=?1"));
      u.bind(1, e.id).bind(2, d.detail).bind(3, next);
      VMT_TRY_STATUS(u.run());
      spdlog::warn("outbox: mail {} <{}>: temporary failure via {} (attempt {}), retried after {}: {}", e.id,
                   e.mail.message_id, transport_name, e.attempts, next, d.detail);
      ++rep.deferred;
      note(rep, e, "deferred", d.detail);
      break;
    }
    case verdict::permanent: {
      VMT_TRY_STATUS(st.transaction([&]() -> status {
        VMT_TRY(u, st.raw().prepare("UPDATE outbox SET state='failed', last_error=?2, phase=NULL, next_attempt=NULL "
                                    "WHERE id=?1"));
        u.bind(1, e.id).bind(2, d.detail);
        VMT_TRY_STATUS(u.run());
        return add_event(st, e, "mail-failed", e.mail.kind + " mail failed: " + d.detail, runner_actor, now);
      }));
      spdlog::error("outbox: mail {} <{}> FAILED via {}: {} (`vmt outbox retry {}` queues it again once the cause "
                    "is fixed)",
                    e.id, e.mail.message_id, transport_name, d.detail, e.id);
      ++rep.failed;
      note(rep, e, "failed", d.detail);
      break;
    }
    case verdict::uncertain: {
      VMT_TRY_STATUS(st.transaction([&]() -> status {
        VMT_TRY(u, st.raw().prepare("UPDATE outbox SET state='uncertain', last_error=?2, next_attempt=NULL WHERE id=?1"));
        u.bind(1, e.id).bind(2, d.detail);
        VMT_TRY_STATUS(u.run());
        return add_event(st, e, "mail-uncertain", e.mail.kind + " mail may or may not have been sent: " + d.detail,
                         runner_actor, now);
      }));
      spdlog::error("outbox: mail {} <{}> UNCERTAIN via {}: {}; check the MTA's log for the Message-ID, then run "
                    "`vmt outbox mark-sent {}` or `vmt outbox retry {}`",
                    e.id, e.mail.message_id, transport_name, d.detail, e.id, e.id);
      note(rep, e, "uncertain", d.detail);
      break;
    }
  }
  detail::forget_attempt(root, base_name(e.path));
  return ok_v;
}

// Step 1: what a dead runner left in `sending`.
status recover(store::store& st, const config::config& cfg, const std::string& root, clock::seconds now,
               flush_report& rep) {
  VMT_TRY(rows, detail::entries_in_state(st, "sending"));
  for (auto& e : rows) {
    auto name = base_name(e.path);
    detail::recovery r;
    if (fs::exists(root + "/cur/" + name + ":2,S"))  // moved only after the transport took it
      r = {detail::recovery::action::settle, {verdict::sent, "found in the outbox's cur/ after a restart", false}};
    else if (e.transport == "maildir")
      r = detail::recover_maildir(cfg, name);
    else if (e.transport == "sendmail")
      r = detail::recover_sendmail(root, name);
    else if (e.transport == "smtp")
      r = detail::recover_smtp(e.phase);
    else
      r = {detail::recovery::action::settle,
           {verdict::uncertain, "left in `sending` by an unknown transport '" + e.transport + "'", false}};

    switch (r.act) {
      case detail::recovery::action::resend: {
        VMT_TRY(u, st.raw().prepare("UPDATE outbox SET state='queued', phase=NULL, next_attempt=NULL "
                                    "WHERE id=?1 AND state='sending'"));
        u.bind(1, e.id);
        VMT_TRY_STATUS(u.run());
        spdlog::warn("outbox: mail {} <{}> was being sent via {} by a runner that died before the transport could "
                     "have taken it; sending it again",
                     e.id, e.mail.message_id, e.transport);
        note(rep, e, "recovered", "sent again: the earlier attempt cannot have reached the transport");
        break;
      }
      case detail::recovery::action::in_progress:
        spdlog::info("outbox: mail {} <{}>: {}", e.id, e.mail.message_id, r.d.detail);
        ++rep.in_progress;
        note(rep, e, "in-progress", r.d.detail);
        break;
      case detail::recovery::action::settle:
        VMT_TRY_STATUS(record(st, root, e, e.transport.empty() ? "?" : e.transport.c_str(), r.d, now, rep));
        break;
    }
  }
  return ok_v;
}

// Step 3 for one mail. Returns the delivery, for the caller to see connection-level failures.
result<delivery> send_one(store::store& st, const std::string& root, detail::transport& tp, outbox_entry& e,
                          clock::seconds now, flush_report& rep) {
  // The envelope is the row's; refuse what a transport could misread rather than pass it on.
  std::string bad;
  if (!detail::valid_envelope_address(e.mail.sender)) bad = e.mail.sender;
  for (const auto& r : e.mail.recipients)
    if (bad.empty() && !detail::valid_envelope_address(r)) bad = r;
  if (e.mail.recipients.empty()) bad = "(no recipients)";
  if (!bad.empty()) {
    delivery d{verdict::permanent, "invalid envelope address '" + printable(bad) + "' in the outbox row", false};
    VMT_TRY_STATUS(record(st, root, e, tp.name(), d, now, rep));
    return d;
  }
  auto bytes = fs::read_file(fs::join(root, e.path));
  if (!bytes) {
    delivery d{bytes.err().kind == failure::no_input ? verdict::permanent : verdict::temporary,
               "cannot read the outbox file: " + bytes.err().message(), bytes.err().kind != failure::no_input};
    VMT_TRY_STATUS(record(st, root, e, tp.name(), d, now, rep));
    return d;
  }

  VMT_TRY(mark, st.raw().prepare("UPDATE outbox SET state='sending', attempts=attempts+1, transport=?2, phase=NULL, "
                                 "receipt=NULL WHERE id=?1 AND state='queued'"));
  mark.bind(1, e.id).bind(2, tp.name());
  VMT_TRY_STATUS(mark.run());
  if (st.raw().changes() != 1) return delivery{verdict::temporary, "changed by someone else", false};
  e.attempts += 1;
  e.state = "sending";

  detail::job j;
  j.id = e.id;
  j.message_id = e.mail.message_id;
  j.file = fs::join(root, e.path);
  j.name = base_name(e.path);
  j.sender = e.mail.sender;
  j.recipients = e.mail.recipients;
  j.end_of_data = [&st, id = e.id]() {
    auto u = st.raw().prepare("UPDATE outbox SET phase='end-of-data' WHERE id=?1");
    if (!u) return false;
    u->bind(1, id);
    auto r = u->run();
    if (!r) spdlog::error("outbox: mail {}: cannot record the end of the data ({}); abandoning the attempt", id,
                          r.err().message());
    return static_cast<bool>(r);
  };
  auto d = tp.send(j, *bytes);
  // The transport has answered: losing that answer to a busy store would turn a sent SMTP mail into
  // an uncertain one, so insist a little (record() is safe to repeat).
  auto recorded = record(st, root, e, tp.name(), d, now, rep);
  for (int i = 0; !recorded && recorded.err().kind == failure::temporary && i < 10; ++i) {
    spdlog::warn("outbox: mail {}: cannot record the outcome yet ({}); retrying", e.id, recorded.err().message());
    ::sleep(1);
    recorded = record(st, root, e, tp.name(), d, now, rep);
  }
  VMT_TRY_STATUS(recorded);
  return d;
}

}  // namespace

result<int> release_due(store::store& st, const config::config& cfg, clock::seconds now) {
  auto root = outbox_root(cfg);
  VMT_TRY(held, detail::entries_in_state(st, "held"));
  std::vector<std::pair<std::int64_t, std::string>> moved;
  for (const auto& e : held) {
    auto t = clock::parse_iso_time(e.mail.not_before);
    if (!t) {
      spdlog::error("outbox: held mail {} has an unreadable not_before '{}'; it stays held", e.id, e.mail.not_before);
      continue;
    }
    if (*t > now) continue;  // never before its time
    VMT_TRY_STATUS(fs::make_maildir(root));
    auto rel = "new/" + base_name(e.path);
    auto dest = root + "/" + rel;
    auto src = fs::join(root, e.path);
    if (src != dest && ::rename(src.c_str(), dest.c_str()) != 0 && !fs::exists(dest))
      return make_error(failure::temporary, src, std::string("cannot release held mail: ") + std::strerror(errno),
                        "check the outbox folder; retried at the next run");
    moved.emplace_back(e.id, rel);
  }
  if (moved.empty()) return 0;
  VMT_TRY_STATUS(fs::sync_dir(root + "/new"));
  VMT_TRY_STATUS(st.transaction([&]() -> status {
    for (const auto& [id, path] : moved) {
      VMT_TRY(u, st.raw().prepare("UPDATE outbox SET state='queued', path=?2 WHERE id=?1 AND state='held'"));
      u.bind(1, id).bind(2, path);
      VMT_TRY_STATUS(u.run());
    }
    return ok_v;
  }));
  spdlog::info("outbox: released {} held mail(s) at {}", moved.size(), clock::iso_time(now));
  return static_cast<int>(moved.size());
}

result<flush_report> flush(store::store& st, const config::config& cfg, clock::seconds now) {
  auto root = outbox_root(cfg);
  VMT_TRY_STATUS(fs::make_maildir(root));
  VMT_TRY(lock, runner_lock::acquire(root));
  flush_report rep;
  VMT_TRY_STATUS(recover(st, cfg, root, now, rep));

  VMT_TRY(released, release_due(st, cfg, now));
  rep.released = released;

  VMT_TRY(queued, detail::entries_in_state(st, "queued"));
  std::vector<outbox_entry> due;
  for (auto& e : queued) {
    auto next = clock::parse_iso_time(e.next_attempt);
    if (!next || *next <= now) due.push_back(std::move(e));
    else ++rep.deferred;  // waiting for its backoff: still left to do
  }
  if (!due.empty()) {
    VMT_TRY(tp, detail::make_transport(cfg, root));
    std::string stop;  // set by a connection-level failure: the rest would fail alike
    for (auto& e : due) {
      if (!stop.empty()) {
        ++rep.deferred;
        note(rep, e, "deferred", "not tried: " + stop);
        continue;
      }
      VMT_TRY(d, send_one(st, root, *tp, e, now, rep));
      if (d.v != verdict::sent && d.connection_level) stop = d.detail;
    }
  }

  VMT_TRY(q, st.raw().prepare("SELECT state, COUNT(*) FROM outbox WHERE state IN ('held', 'uncertain') GROUP BY state"));
  for (;;) {
    VMT_TRY(row, q.step());
    if (!row) break;
    (q.text(0) == "held" ? rep.held : rep.uncertain) = static_cast<int>(q.integer(1));
  }
  return rep;
}

status retry(store::store& st, std::int64_t id, const std::string& actor, clock::seconds now) {
  VMT_TRY(found, find(st, std::to_string(id)));
  if (!found) return make_error(failure::data, "outbox", "no mail " + std::to_string(id), "see `vmt outbox list`");
  auto& e = *found;
  if (e.state != "failed" && e.state != "uncertain")
    return make_error(failure::data, "outbox mail " + std::to_string(id), "is " + e.state,
                      "retry applies to failed or uncertain mail only");
  return st.transaction([&]() -> status {
    VMT_TRY(u, st.raw().prepare("UPDATE outbox SET state='queued', phase=NULL, next_attempt=NULL WHERE id=?1"));
    u.bind(1, id);
    VMT_TRY_STATUS(u.run());
    return add_event(st, e, "mail-retry", e.mail.kind + " mail queued again (was " + e.state + ")", actor, now);
  });
}

status mark_sent(store::store& st, const config::config& cfg, std::int64_t id, const std::string& actor,
                 clock::seconds now) {
  VMT_TRY(found, find(st, std::to_string(id)));
  if (!found) return make_error(failure::data, "outbox", "no mail " + std::to_string(id), "see `vmt outbox list`");
  auto& e = *found;
  if (e.state != "uncertain")
    return make_error(failure::data, "outbox mail " + std::to_string(id), "is " + e.state,
                      "mark-sent applies to uncertain mail only");
  auto root = outbox_root(cfg);
  auto path = move_to_cur(root, e);
  VMT_TRY_STATUS(st.transaction([&]() -> status {
    VMT_TRY(u, st.raw().prepare("UPDATE outbox SET state='sent', sent_at=?2, receipt=?3, path=?4 WHERE id=?1"));
    u.bind(1, id).bind(2, clock::iso_time(now)).bind(3, "marked sent by " + actor).bind(4, path);
    VMT_TRY_STATUS(u.run());
    return add_event(st, e, "mail-sent", e.mail.kind + " mail marked sent by " + actor + " (was uncertain)", actor, now);
  }));
  detail::forget_attempt(root, base_name(e.path));
  return ok_v;
}

}  // namespace vmt::transport
