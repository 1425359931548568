// notices.cpp: the mails reception queues (the reporter's acknowledgement, the coordinators'
// quarantine notice) and the ledger lines that record them (see notices.h).
#include "intake/notices.h"

#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "core/text.h"

#include <algorithm>
#include "crypto/compose.h"
#include "crypto/keys.h"
#include "transport/outbox.h"

namespace vmt::intake::detail {

// The domain part of the team address, for Message-IDs we generate.
std::string team_domain(const config::config& cfg) {
  auto at = cfg.team.address.find('@');
  return at == std::string::npos ? "vmt.invalid" : cfg.team.address.substr(at + 1);
}

// One line of the case's ledger, by the reception's actor.
status ledger(reception& r, const std::string& case_id, const std::string& kind, const std::string& summary,
              std::vector<std::string> recipients, std::vector<std::string> keys, const std::string& message_id) {
  store::event_record e;
  e.case_id = case_id;
  e.at = clock::iso_time(clock::now());
  e.kind = kind;
  e.actor = r.actor;
  e.summary = summary;
  e.recipients = std::move(recipients);
  e.keys = std::move(keys);
  e.message_id = message_id;
  return r.st.add_event(e);
}

status skip_ack(reception& r, const store::case_record& c, const std::string& why) {
  VMT_TRY(events, r.st.case_events(c.id));
  for (const auto& e : events)
    if (e.kind == "ack-skipped") return ok_v;
  VMT_TRY_STATUS(ledger(r, c.id, "ack-skipped", "no acknowledgement: " + why));
  r.after_step("ack");
  return ok_v;
}

std::vector<std::string> notice_recipients(const config::config& cfg) {
  std::vector<std::string> out;
  auto add = [&](const std::string& a) {
    if (!a.empty() && text::lower(a) != text::lower(cfg.team.address) &&
        std::find(out.begin(), out.end(), a) == out.end())
      out.push_back(a);
  };
  for (const auto& a : cfg.team.notify) add(a);
  if (cfg.team.notify.empty())
    for (const auto& p : cfg.team.coordinators) add(p.email);
  return out;
}

// Queue the acknowledgement of a new case to the reporter (never quoting report text).
status queue_ack(reception& r, const store::case_record& c, const store::message_record& first) {
  std::string mid = c.id + ".ack." + first.dedupe_key.substr(0, 12) + "@" + team_domain(r.cfg);
  VMT_TRY(queued, transport::is_queued(r.st, mid));
  if (queued) return ok_v;
  // A From that is a valid addr-spec may still be no envelope address ("a b"@x, a@[10.0.0.1],
  // UTF-8): the case is filed and a coordinator answers by hand; refusing would defer it forever.
  if (c.reporter_email.empty() || !transport::usable_envelope_address(c.reporter_email))
    return skip_ack(r, c, c.reporter_email.empty() ? "the report has no usable From address"
                                                   : "the From address cannot be used to send mail");

  std::vector<std::string> encrypt_to;
  if (!c.reporter_fingerprint.empty()) encrypt_to.push_back(c.reporter_fingerprint);
  // Composed once encrypted to the reporter's key; if that key cannot be encrypted to (expired,
  // revoked, signing-only), composed again signed only: the acknowledgement quotes nothing.
  auto render = [&](bool encrypted) -> result<tmpl::mail_text> {
    tmpl::dictionary d;
    d.set("CASE_ID", c.id).set("VENDOR", r.cfg.team.vendor).set("TEAM_NAME", r.cfg.team.name);
    d.set("TEAM_ADDRESS", r.cfg.team.address).set("RECEIVED", first.received_at.substr(0, 10));
    d.set("EMBARGO_END", c.embargo_end).set("REPORTER_NAME", c.reporter_name);
    d.set("REPORTER_KEY", encrypted ? encrypt_to.front() : "");
    if (!c.reporter_name.empty()) d.show("HAS_NAME");
    d.show(encrypted ? "ENCRYPTED" : "NOT_ENCRYPTED");
    return tmpl::render_mail(r.templates, "reception/ack.tpl", d);
  };
  VMT_TRY(text, render(!encrypt_to.empty()));

  outgoing_mail m;
  m.message_id = mid;
  m.from_name = r.cfg.team.vendor + " " + r.cfg.team.name;
  m.from_email = r.cfg.team.address;
  m.to_name = c.reporter_name;
  m.to_email = c.reporter_email;
  m.subject = text.subject;
  m.body = text.body;
  m.auto_submitted = text.auto_submitted;
  m.hide_subject = text.hide_subject;
  // The report's Message-ID is the sender's: one that no reply may carry is left out, not fatal.
  if (crypto::valid_message_id(first.message_id)) m.in_reply_to = first.message_id;
  m.sign_with = r.cfg.team.key;
  m.encrypt_to = encrypt_to;
  auto composed = r.compose(m);
  if (!composed && !encrypt_to.empty() && composed.err().kind == failure::data) {
    spdlog::warn("case {}: the reporter's key cannot be encrypted to ({}); acknowledging signed only", c.id,
                 composed.err().what);
    encrypt_to.clear();
    VMT_TRY(plain_text, render(false));
    m.body = plain_text.body;
    m.encrypt_to.clear();
    composed = r.compose(m);
  }
  if (!composed) return std::move(composed).err();
  auto bytes = std::move(composed).value();
  transport::queued_mail qm;
  qm.message_id = mid;
  qm.case_id = c.id;
  qm.kind = "ack";
  qm.sender = r.cfg.team.address;
  qm.recipients = {c.reporter_email};
  qm.encrypted_to = encrypt_to;
  VMT_TRY_STATUS(r.st.transaction([&]() -> status {
    VMT_TRY(fresh, transport::enqueue(r.st, r.cfg, qm, bytes.first));
    if (!fresh) return ok_v;
    return ledger(r, c.id, "mail-queued",
                  std::string("acknowledgement queued to the reporter") + (encrypt_to.empty() ? " (signed)" : " (encrypted)"),
                  {c.reporter_email}, encrypt_to, mid);
  }));
  r.after_step("ack");
  return ok_v;
}

namespace {

// A notice to the coordinators (team.notify, else the coordinators; never the team address),
// rendered from `template_name`, signed with the team key and queued once under `mid`; recorded
// in the case's ledger when it concerns one.
status queue_notice(reception& r, const std::string& mid, const std::string& kind, const std::string& case_id,
                    const std::string& template_name, const tmpl::dictionary& d, const std::string& summary) {
  auto recipients = notice_recipients(r.cfg);
  if (recipients.empty()) return ok_v;
  VMT_TRY(queued, transport::is_queued(r.st, mid));
  if (queued) return ok_v;
  VMT_TRY(text, tmpl::render_mail(r.templates, template_name, d));
  outgoing_mail o;
  o.message_id = mid;
  o.from_name = "vmt-ingest";
  o.from_email = r.cfg.team.address;
  o.to_list = recipients;
  o.subject = text.subject;
  o.body = text.body;
  o.auto_submitted = text.auto_submitted;
  o.hide_subject = text.hide_subject;
  o.sign_with = r.cfg.team.key;
  VMT_TRY(bytes, r.compose(o));
  transport::queued_mail qm;
  qm.message_id = mid;
  qm.case_id = case_id;
  qm.kind = kind;
  qm.sender = r.cfg.team.address;
  qm.recipients = recipients;
  return r.st.transaction([&]() -> status {
    VMT_TRY(fresh, transport::enqueue(r.st, r.cfg, qm, bytes.first));
    if (!fresh || case_id.empty()) return ok_v;
    return ledger(r, case_id, "mail-queued", summary, recipients, {}, mid);
  });
}

}  // namespace

// Tell the coordinators that a message was quarantined (no report text: reason, sender, size, hash).
status queue_quarantine_notice(reception& r, const store::message_record& m, const std::string& reason,
                               const std::vector<std::string>& encrypted_to) {
  static const std::pair<const char*, const char*> reasons[] = {
      {"no-key", "it is encrypted to a key the team's GnuPG home does not hold"},
      {"integrity", "its ciphertext has no or a failed integrity check"},
      {"decrypt-failed", "decryption failed"},
      {"garbage", "it is not a readable mail message"},
      {"too-large", "it is larger than limits.max_message_bytes"},
  };
  std::string reason_text = "see the log";
  for (const auto& [k, v] : reasons)
    if (reason == k) reason_text = v;
  tmpl::dictionary d;
  d.set("TEAM_ADDRESS", r.cfg.team.address).set("REASON", reason).set("REASON_TEXT", reason_text);
  d.set("RECEIVED", m.received_at).set("FROM", m.from_addr.empty() ? "(none)" : m.from_addr);
  d.set("SIZE", std::to_string(m.size)).set("SHA256", m.sha256).set("SPOOL", r.cfg.path(m.spool_path));
  d.set("MESSAGE", std::to_string(m.row));
  std::string keys;
  for (const auto& k : encrypted_to) keys += (keys.empty() ? "" : ", ") + k;
  d.set("ENCRYPTED_TO", keys.empty() ? "(not encrypted, or not known)" : keys);
  return queue_notice(r, "quarantine." + m.dedupe_key.substr(0, 16) + "@" + team_domain(r.cfg), "quarantine-notice",
                      "", "reception/quarantine-notice.tpl", d, "");
}

status queue_follow_up_notice(reception& r, const store::case_record& c, const store::message_record& m) {
  const std::string from = m.from_addr.empty() ? "(no From)" : m.from_addr;
  const bool reporter = !m.from_addr.empty() && text::lower(m.from_addr) == text::lower(c.reporter_email);
  tmpl::dictionary d;
  d.set("CASE_ID", c.id).set("FROM", from);
  d.set("WHO", reporter ? "the reporter" : "someone who is not the reporter");
  d.set("RECEIVED", m.received_at).set("MESSAGE", std::to_string(m.row));
  d.set("BUG_URL", c.tracker_url.empty() ? "(no bug yet)" : c.tracker_url);
  d.set("VENDOR", r.cfg.team.vendor).set("TEAM_NAME", r.cfg.team.name);
  return queue_notice(r, c.id + ".follow-up." + m.dedupe_key.substr(0, 12) + "@" + team_domain(r.cfg),
                      "follow-up-notice", c.id, "reception/follow-up-notice.tpl", d,
                      "coordinators told of a follow-up from " + from);
}

result<std::pair<std::string, std::string>> default_compose(const config::config& cfg, const outgoing_mail& m) {
  crypto::outgoing o;
  o.from = {m.from_name, m.from_email};
  if (!m.to_email.empty()) o.to.push_back({m.to_name, m.to_email});
  for (const auto& t : m.to_list) o.to.push_back({"", t});
  o.subject = m.subject;
  o.body = m.body;
  o.message_id = m.message_id;
  o.in_reply_to = m.in_reply_to;
  o.sign_with = m.sign_with;
  o.encrypt_to = m.encrypt_to;
  o.auto_submitted = m.auto_submitted;
  o.hide_subject = m.hide_subject;
  VMT_TRY(c, crypto::compose(cfg.path(cfg.gnupg_home), o));
  return std::make_pair(std::move(c.bytes), std::move(c.message_id));
}

}  // namespace vmt::intake::detail
