// outbound.cpp: the disclosure gate (see outbound.h).
#include "workflow/outbound.h"

#include <algorithm>

#include "core/hash.h"
#include "core/text.h"
#include "crypto/keys.h"
#include "transport/outbox.h"
#include "workflow/workflow.h"

namespace vmt::workflow {

namespace {

std::string domain_of(const std::string& address) {
  auto at = address.find('@');
  return at == std::string::npos ? "vmt.invalid" : address.substr(at + 1);
}

}  // namespace

result<sent_mail> send(session& s, const store::case_record& c, const mail_request& m) {
  if (m.to.empty()) return make_error(failure::software, c.id, "a mail without recipients");
  const auto* signer = s.signer();
  std::string sign_with = signer ? signer->key : s.cfg.team.key;
  if (sign_with.empty())
    return make_error(failure::config, s.cfg.file + ": team.coordinators", "no signing key: every mail vmt sends is signed",
                      "give a coordinator's key fingerprint (or team.key)");
  const auto home = s.cfg.path(s.cfg.gnupg_home);

  // The gate. Embargoed detail: only approved recipients of this case, encrypted where required.
  VMT_TRY(access, s.st.case_access(c.id));
  bool any_encrypted = false, any_plain = false;
  std::vector<std::string> keys;
  for (const auto& r : m.to) {
    const store::access_record* granted = nullptr;
    for (const auto& a : access)
      if (text::lower(a.who) == text::lower(r.email)) granted = &a;
    bool must_encrypt = r.encrypt || (granted && !granted->key.empty() && m.embargoed);
    if (m.embargoed && c.is_private && !granted)
      return make_error(failure::unavailable, c.id + ": " + r.email,
                        "is not an approved recipient of this embargoed case; refusing to send it embargoed detail",
                        "if they need to know, grant access first: vmt subscribe " + c.id + " " + r.email);
    if (m.embargoed && c.is_private && must_encrypt) {
      std::string fpr = !r.key.empty() ? r.key : granted ? granted->key : std::string();
      if (fpr.empty())
        return make_error(failure::unavailable, c.id + ": " + r.email, "must receive encrypted mail but has no key on record",
                          "import their key and record it (vmt subscribe ... --key FPR)");
      VMT_TRY(key, crypto::find_key(home, fpr));
      if (!key || !key->usable_for_encryption())
        return make_error(failure::unavailable, c.id + ": " + r.email,
                          "key " + fpr + (key ? " cannot be encrypted to (expired, revoked, disabled or no encryption subkey)"
                                                : " is not in the team's keyring"),
                          "import a valid key for them into " + home);
      keys.push_back(key->fingerprint);
      any_encrypted = true;
    } else {
      any_plain = true;
    }
  }
  if (any_encrypted && any_plain)
    return make_error(failure::software, c.id, "a mail mixing encrypted and plain recipients",
                      "send one mail per kind of recipient");
  if (c.is_private && m.kind == "announce")
    return make_error(failure::unavailable, c.id, "is under embargo: an announcement must wait for the disclosure hour",
                      "stage it with vmt publish " + c.id + " --at " +
                          (c.disclosure_at.empty() ? std::string("DISCLOSURE") : c.disclosure_at));
  if (!keys.empty()) keys.push_back(sign_with);  // so the team can read what it sent

  // The same mail queued twice (a re-run after a failure) gets the same Message-ID.
  std::string content = m.kind + "\n" + m.subject + "\n" + m.body;
  for (const auto& a : m.attachments) content += "\n" + a.filename + "\n" + hash::sha256_hex(a.data);
  std::string rcpt;
  for (const auto& r : m.to) rcpt += text::lower(r.email) + ",";
  auto mid = c.id + "." + m.kind + "." + hash::sha256_hex(rcpt).substr(0, 8) + "." +
             hash::sha256_hex(content).substr(0, 12) + "@" + domain_of(s.cfg.team.address);

  sent_mail out;
  out.message_id = mid;
  for (const auto& r : m.to) out.recipients.push_back(r.email);
  out.keys = keys;
  VMT_TRY(queued, transport::list(s.st, c.id));
  for (const auto& q : queued)
    if (q.mail.message_id == mid) {
      out.fresh = false;
      return out;
    }

  crypto::outgoing o;
  o.from = {signer ? signer->name : s.cfg.team.vendor + " " + s.cfg.team.name, signer ? signer->email : s.cfg.team.address};
  for (const auto& r : m.to) o.to.push_back({r.name, r.email});
  o.subject = m.subject;
  o.body = m.body;
  o.attachments = m.attachments;
  o.message_id = mid;
  o.in_reply_to = m.in_reply_to;
  o.sign_with = sign_with;
  o.encrypt_to = keys;
  o.auto_submitted = m.auto_submitted;
  o.hide_subject = m.hide_subject;
  o.headers.push_back({"X-VMT-Case", c.id});
  VMT_TRY(composed, s.compose(o));

  transport::queued_mail q;
  q.message_id = mid;
  q.case_id = c.id;
  q.kind = m.kind;
  q.sender = o.from.email;
  q.recipients = out.recipients;
  q.encrypted_to = keys;
  VMT_TRY_STATUS(s.st.transaction([&]() -> status {
    VMT_TRY(fresh, transport::enqueue(s.st, s.cfg, q, composed.bytes));
    out.fresh = fresh;
    if (!fresh) return ok_v;
    std::string what = m.kind + " mail '" + m.subject + "'" +
                       (keys.empty() ? " (signed)" : " (signed, encrypted)") + " queued";
    return s.record(c.id, m.embargoed ? "disclosed" : "mail-queued", what, out.recipients, keys, mid);
  }));
  return out;
}

}  // namespace vmt::workflow
