// receive.cpp: one message, from the spool to its case (see reception.h): recorded with its thread
// ids at once, read (decrypted, verified), then filed as a new case or a follow-up, the tracker
// steps done, the reporter acknowledged, the coordinators told of a follow-up. Mail vmt sent
// that came back is never filed; mail no person wrote is filed but never answered (RFC 3834).
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include <chrono>

#include "core/clock.h"
#include "core/text.h"
#include "crypto/keys.h"
#include "intake/internal.h"
#include "intake/notices.h"
#include "message/codec.h"

namespace vmt::intake {

namespace {

using detail::ledger;
using detail::now_iso;
using detail::origin;
using detail::strip_angles;

// Milliseconds since `t0`, for the debug log of where reception spends its time.
double since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// The message's row, recorded before it is read: its thread ids let a follow-up delivered at the
// same moment find it (detail::wait_for_parent).
result<store::message_record> record_received(reception& r, const spooled& msg, const std::string& key) {
  store::message_record m;
  m.dedupe_key = key;
  m.sha256 = msg.sha256;
  m.state = "received";
  m.received_at = now_iso();
  // Relative to the team folder, so that a folder moved or restored elsewhere still finds it.
  m.spool_path = r.cfg.relative(msg.path);
  m.size = static_cast<std::int64_t>(msg.size);
  if (!msg.truncated) {
    auto ids = read_thread_ids(msg.data);
    m.message_id = ids.message_id;
    m.in_reply_to = ids.in_reply_to;
    m.references = ids.references;
  }
  VMT_TRY(row, r.st.insert_message(m));
  m.row = row;
  return m;
}

// What the analysis says of the message, onto its row.
void fill_from_analysis(store::message_record& m, const analysis& a) {
  m.message_id = strip_angles(a.message_id);
  m.in_reply_to = strip_angles(a.in_reply_to);
  m.references.clear();
  for (const auto& ref : a.references) m.references.push_back(strip_angles(ref));
  if (const auto* from = a.from.single()) {
    m.from_addr = from->addr;
    m.from_name = from->name;
  } else if (!a.from.mailboxes.empty()) {
    m.from_addr = a.from.mailboxes.front().addr;
  }
  m.subject = a.subject;
  m.encrypted = a.encrypted;
  m.mixed = a.mixed;
  m.sig_status = to_string(a.signature.status);
  m.verdict = verdict_json(a);
  m.body = a.body;
  m.plain = a.plain;
}

// The reporter's key: the one that signed, when it is theirs; else one the team holds for them.
std::string reporter_key(reception& r, const analysis& a) {
  if (a.signature.status == sig_status::valid && a.signature.matches_from) return a.signature.fingerprint;
  if (const auto* from = a.from.single()) {
    auto keys = crypto::keys_for_email(r.cfg.path(r.cfg.gnupg_home), from->addr);
    if (keys && !keys->empty() && keys->front().usable_for_encryption()) return keys->front().fingerprint;
  }
  return {};
}

// A new case for the report in `m` (inside the filing transaction).
status open_case(reception& r, const analysis& a, store::message_record& m, const std::string& key_of_reporter) {
  auto today = clock::today();
  int year = static_cast<int>(std::chrono::year_month_day{today}.year());
  VMT_TRY(id, r.st.next_case_id(r.cfg.team.case_prefix, year));
  auto seq = store::parse_case_id(id, r.cfg.team.case_prefix)->second;
  store::case_record c;
  c.id = id;
  c.title = detail::case_title(a, m.received_at);
  c.project = route_project(r.cfg, a);
  c.is_private = true;
  c.embargo_end = clock::iso_date(today + std::chrono::days{r.cfg.embargo.days});
  c.encrypted = a.encrypted;
  c.sig_status = to_string(a.signature.status);
  c.sig_fingerprint = a.signature.fingerprint;
  c.sig_trust = a.signature.trust;
  c.sig_matches_from = a.signature.matches_from;
  if (const auto* from = a.from.single()) {
    c.reporter_name = from->name;
    c.reporter_email = from->addr;
  }
  c.reporter_fingerprint = key_of_reporter;
  c.created_at = c.updated_at = m.received_at;
  VMT_TRY_STATUS(r.st.insert_case(c, year, seq));
  // Who may learn of the report from the start (lesser disclosure): the reporter and the
  // coordinators; the project's core security reviewers when they are subscribed.
  auto grant = [&](const std::string& who, const std::string& kind, const std::string& key) {
    return r.st.grant_access({id, who, kind, key, m.received_at, r.actor, {}});
  };
  if (!c.reporter_email.empty()) VMT_TRY_STATUS(grant(c.reporter_email, "reporter", c.reporter_fingerprint));
  for (const auto& p : r.cfg.team.coordinators) VMT_TRY_STATUS(grant(p.email, "coordinator", p.key));
  m.case_id = id;
  return ok_v;
}

// File the message in one transaction: its case (the thread's, else a new one), its attachments,
// the ledger line. Returns whether it opened a case.
result<bool> file_message(reception& r, const analysis& a, store::message_record& m, const std::string& key_of_reporter,
                          origin from) {
  bool is_new_case = false;
  VMT_TRY_STATUS(r.st.transaction([&]() -> status {
    VMT_TRY(followed, detail::thread_case(r, a, m.row));
    is_new_case = followed.empty();
    if (is_new_case) VMT_TRY_STATUS(open_case(r, a, m, key_of_reporter));
    else m.case_id = followed;
    m.state = "filed";
    // Mail no person wrote needs no answer: it never waits in `vmt check`'s list.
    if (from == origin::automatic && !is_new_case) {
      m.answered_at = m.received_at;
      m.answered_by = "(automatic mail: " + (a.auto_submitted.empty() ? std::string("bulk") : a.auto_submitted) + ")";
    }
    VMT_TRY_STATUS(r.st.update_message(m));
    for (const auto& att : a.attachments)
      VMT_TRY_STATUS(r.st.add_attachment({0, m.row, att.filename, att.content_type, att.encrypted, att.is_signed, att.data}));
    std::string sig;
    detail::describe_signature(a, sig);
    std::string flags;
    for (const auto& f : a.flags) flags += (flags.empty() ? "" : ", ") + f;
    if (from == origin::automatic)
      flags += std::string(flags.empty() ? "" : ", ") + "automatic (" +
               (a.auto_submitted.empty() ? std::string("bulk") : "Auto-Submitted: " + a.auto_submitted) + ")";
    return ledger(r, m.case_id, is_new_case ? "received" : "follow-up",
                  std::string(is_new_case ? "report received" : "follow-up received") + " from " +
                      (m.from_addr.empty() ? "(no From)" : m.from_addr) + "; " +
                      (a.encrypted ? "encrypted" : a.mixed ? "partly encrypted (mixed content)" : "not encrypted") +
                      "; signature " + sig + (flags.empty() ? "" : "; flags: " + flags),
                  {}, {}, m.message_id);
  }));
  return is_new_case;
}

// Did this message open its case? The ledger says so ("received" with its Message-ID): a report
// filed after its own follow-up (they arrived together) joined the follow-up's case, so being
// the oldest message of the case is not enough, and acknowledging it again would be wrong.
result<bool> opened_its_case(reception& r, const store::message_record& m) {
  if (!m.message_id.empty()) {
    VMT_TRY(events, r.st.case_events(m.case_id));
    bool recorded = false;
    for (const auto& e : events) {
      if (e.kind != "received") continue;
      if (e.message_id == m.message_id) return true;
      recorded = recorded || !e.message_id.empty();
    }
    if (recorded) return false;
  }
  // No Message-ID, or a ledger that does not name the opening message (an older store): the
  // first message of the case opened it.
  VMT_TRY(msgs, r.st.case_messages(m.case_id));
  return !msgs.empty() && msgs.front().row == m.row;
}

// A follow-up reaches people: it goes on the private bug, where all discussion belongs, and the
// coordinators are told (without its text) that it waits for an answer.
status deliver_follow_up(reception& r, const store::message_record& m) {
  VMT_TRY(c, r.st.find_case(m.case_id));
  if (!c) return make_error(failure::software, m.case_id, "case vanished");
  if (!c->tracker_bug.empty()) {
    detail::tracker_session ts{r, nullptr, {}};
    const std::string bug = c->tracker_bug;
    const std::string tag = "msg:" + m.dedupe_key.substr(0, 16);
    const bool reporter = !m.from_addr.empty() && text::lower(m.from_addr) == text::lower(c->reporter_email);
    std::string text = m.body.empty() ? "(no text; see vmt show " + c->id + " --text)" : m.body;
    VMT_TRY_STATUS(detail::step(r, ts, m.case_id, "comment:" + tag, [&](tracker::tracker& t) -> result<std::string> {
      VMT_TRY_STATUS(t.comment(bug, tag,
                               message::repair_utf8("Follow-up from " + std::string(reporter ? "the reporter, " : "") +
                                                    (m.from_addr.empty() ? "(no From)" : m.from_addr) + " (" +
                                                    m.received_at + "):\n\n" + text)));
      return std::string("posted");
    }));
  }
  return detail::queue_follow_up_notice(r, *c, m);
}

// Read a message recorded as received, and file it (or quarantine it, or set aside our own mail).
result<receipt> read_and_file(reception& r, const spooled& msg, store::message_record& m,
                              std::chrono::steady_clock::time_point t0) {
  receipt out;
  out.dedupe_key = m.dedupe_key;
  const auto key = m.dedupe_key;
  analysis a;
  if (msg.truncated) {
    a.readable = false;
    a.quarantine_reason = "too-large";
  } else {
    VMT_TRY(an, r.analyze(msg.data));
    a = std::move(an);
  }
  spdlog::debug("message {}: read in {:.1f} ms", key.substr(0, 12), since(t0));
  fill_from_analysis(m, a);
  if (!a.readable) {
    m.state = "quarantined";
    m.body.clear();
    m.plain.clear();
    VMT_TRY_STATUS(r.st.transaction([&]() -> status {
      VMT_TRY_STATUS(r.st.update_message(m));
      return r.st.quarantine(m.row, a.quarantine_reason, "", m.received_at);
    }));
    r.after_step("store");
    spdlog::warn("message {} quarantined: {}", key.substr(0, 12), a.quarantine_reason);
    VMT_TRY_STATUS(detail::queue_quarantine_notice(r, m, a.quarantine_reason, a.encrypted_to));
    out.what = outcome::quarantined;
    out.reason = a.quarantine_reason;
    return out;
  }
  VMT_TRY(from, detail::origin_of(r, a));
  if (from == origin::ours) {
    // A mail we sent came back (a notice to an address that forwards to the team, a list echo):
    // filing it would open a case, acknowledge it, and loop. Kept in the spool, never filed.
    m.state = "ignored";
    m.body.clear();
    m.plain.clear();
    VMT_TRY_STATUS(r.st.update_message(m));
    spdlog::warn("message {} is vmt's own mail ({}); not filed", key.substr(0, 12),
                 a.vmt_case.empty() ? "from the team address or one of our Message-IDs" : "case " + a.vmt_case);
    out.what = outcome::ignored;
    out.reason = "own mail";
    return out;
  }
  detail::wait_for_parent(r, a, m.row);
  // gpg must not run while the store's write lock is held: the reporter's key is looked up first.
  std::string key_of_reporter;
  {
    VMT_TRY(tentative, detail::thread_case(r, a, m.row));
    if (tentative.empty()) key_of_reporter = reporter_key(r, a);
  }
  VMT_TRY(is_new_case, file_message(r, a, m, key_of_reporter, from));
  r.after_step("store");
  spdlog::info("message {} filed on case {}{}", key.substr(0, 12), m.case_id, is_new_case ? " (new)" : "");
  out.what = is_new_case ? outcome::new_case : outcome::follow_up;
  out.case_id = m.case_id;
  if (from == origin::automatic) out.reason = "automatic mail: not answered";
  return out;
}

}  // namespace

result<receipt> receive(reception& r, const spooled& msg) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string key = msg.truncated ? msg.sha256 : dedupe_key(msg.data);
  // Two copies of one message delivered at once: the second waits here, then sees it done.
  VMT_TRY(guard, lock::acquire(r.cfg.path(r.cfg.spool), "msg-" + key.substr(0, 32),
                               std::max(r.cfg.store.busy_timeout_ms, 1000)));

  VMT_TRY(existing, r.st.find_message_by_key(key));
  if (existing && existing->state == "quarantined") {
    // The previous delivery may have died between the quarantine and the coordinators' notice.
    VMT_TRY(held, r.st.quarantined());
    for (const auto& x : held)
      if (x.message == existing->row) {
        auto verdict = nlohmann::json::parse(existing->verdict.empty() ? "{}" : existing->verdict, nullptr, false);
        std::vector<std::string> keys;
        if (verdict.is_object() && verdict.contains("encrypted_to") && verdict["encrypted_to"].is_array())
          for (const auto& k : verdict["encrypted_to"])
            if (k.is_string()) keys.push_back(k.get<std::string>());
        VMT_TRY_STATUS(detail::queue_quarantine_notice(r, *existing, x.reason, keys));
      }
  }
  receipt out;
  out.dedupe_key = key;
  if (existing && (existing->state == "done" || existing->state == "quarantined" || existing->state == "ignored")) {
    out.what = outcome::duplicate;
    out.case_id = existing->case_id;
    spdlog::info("message {} already {}; nothing to do", key.substr(0, 12), existing->state);
    return out;
  }

  store::message_record m;
  bool is_new_case = false, automatic = false;
  if (existing && existing->state == "filed") {
    m = *existing;  // a previous delivery filed it and stopped (crash, outage): finish its work
    VMT_TRY(opened, opened_its_case(r, m));
    is_new_case = opened;
    auto verdict = nlohmann::json::parse(m.verdict.empty() ? "{}" : m.verdict, nullptr, false);
    automatic = verdict.is_object() && ((verdict.contains("auto_submitted") && verdict["auto_submitted"] != "") ||
                                        (verdict.contains("bulk") && verdict["bulk"] == true));
    out.what = is_new_case ? outcome::new_case : outcome::follow_up;
    out.case_id = m.case_id;
  } else {
    if (existing) {
      m = *existing;  // recorded as received, then the delivery stopped: read it again
    } else {
      VMT_TRY(rec, record_received(r, msg, key));
      m = std::move(rec);
    }
    VMT_TRY(filed, read_and_file(r, msg, m, t0));
    out = filed;
    if (out.what == outcome::quarantined || out.what == outcome::ignored) return out;
    is_new_case = out.what == outcome::new_case;
    automatic = !out.reason.empty();
  }

  // Tracker steps run for every message of the case until done: a follow-up arriving while the
  // tracker was down completes the reception too.
  spdlog::debug("message {}: filed at {:.1f} ms", key.substr(0, 12), since(t0));
  VMT_TRY_STATUS(complete_case_reception(r, m.case_id));
  spdlog::debug("message {}: tracker steps done at {:.1f} ms", key.substr(0, 12), since(t0));
  if (is_new_case) {
    VMT_TRY(c, r.st.find_case(m.case_id));
    if (automatic) VMT_TRY_STATUS(detail::skip_ack(r, *c, "the report is automatic mail (RFC 3834): never answered automatically"));
    else VMT_TRY_STATUS(detail::queue_ack(r, *c, m));
    spdlog::debug("message {}: acknowledgement done at {:.1f} ms", key.substr(0, 12), since(t0));
  } else if (!automatic) {
    VMT_TRY_STATUS(deliver_follow_up(r, m));
  }
  VMT_TRY_STATUS(r.st.transaction([&]() -> status {
    m.state = "done";
    return r.st.update_message(m);
  }));
  return out;
}

}  // namespace vmt::intake
