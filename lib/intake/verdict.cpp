// verdict.cpp: the signature verdict and the text-free JSON form of an analysis (see analysis.h).
#include "intake/verdict.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "intake/envelope.h"

namespace vmt::intake {

namespace detail {

// The signature verdict from the events met (see docs/mail-parsing.md, "Signature verdict").
signature_verdict judge_signatures(const std::vector<sig_event>& sigs, std::vector<std::string>& flags) {
  signature_verdict v;
  auto good = [](const crypto::signature_check& c) {
    return c.result == crypto::sig_result::good && !c.key_revoked && !c.sig_expired;
  };
  const crypto::signature_check* first_good = nullptr;
  const crypto::signature_check* first_bad = nullptr;
  const crypto::signature_check* first_unknown = nullptr;
  bool whole_bad = false, whole_unknown = false, whole_good = false;
  bool part_good = false, part_bad = false, part_unknown = false;
  for (const auto& ev : sigs) {
    bool all_good = !ev.checks.empty() && std::all_of(ev.checks.begin(), ev.checks.end(), good);
    bool any_bad = ev.checks.empty() || std::any_of(ev.checks.begin(), ev.checks.end(), [&](const auto& c) {
                     return c.result == crypto::sig_result::bad || c.result == crypto::sig_result::error ||
                            (c.result == crypto::sig_result::good && !good(c));
                   });
    for (const auto& c : ev.checks) {
      if (good(c) && !first_good) first_good = &c;
      if (!good(c) && c.result != crypto::sig_result::unknown_key && !first_bad) first_bad = &c;
      if (c.result == crypto::sig_result::unknown_key && !first_unknown) first_unknown = &c;
    }
    bool unknown = !all_good && !any_bad;
    (ev.whole ? whole_good : part_good) |= all_good;
    (ev.whole ? whole_bad : part_bad) |= any_bad;
    (ev.whole ? whole_unknown : part_unknown) |= unknown;
  }
  auto take = [&](const crypto::signature_check* c) {
    if (!c) return;
    v.fingerprint = c->fingerprint;
    v.trust = c->certified ? "certified" : "uncertified";
  };
  if (whole_bad) {
    v.status = sig_status::bad;
    take(first_bad ? first_bad : first_good);
  } else if (whole_unknown) {
    v.status = sig_status::unknown_key;
    take(first_unknown);
  } else if (whole_good) {
    v.status = sig_status::valid;
    take(first_good);
    if (part_bad || part_unknown) add_flag(flags, "inner-signature-not-good");
  } else if (part_good) {
    v.status = sig_status::partial;
    take(first_good);
  } else if (part_bad) {
    v.status = sig_status::bad;
    take(first_bad);
  } else if (part_unknown) {
    v.status = sig_status::unknown_key;
    take(first_unknown);
  }
  if (v.status == sig_status::partial) add_flag(flags, "partially-signed");
  for (const auto& ev : sigs)
    for (const auto& c : ev.checks) {
      if (c.key_revoked) add_flag(flags, "signer-key-revoked");
      if (c.key_expired) add_flag(flags, "signer-key-expired");
    }
  return v;
}

const crypto::signature_check* find_check(const std::vector<sig_event>& sigs, const std::string& fpr) {
  for (const auto& ev : sigs)
    for (const auto& c : ev.checks)
      if (c.fingerprint == fpr) return &c;
  return nullptr;
}

}  // namespace detail

const char* to_string(sig_status s) {
  switch (s) {
    case sig_status::none:
      return "none";
    case sig_status::valid:
      return "valid";
    case sig_status::partial:
      return "partial";
    case sig_status::bad:
      return "bad";
    case sig_status::unknown_key:
      return "unknown-key";
  }
  return "none";
}

const char* to_string(decryption d) {
  switch (d) {
    case decryption::none:
      return "none";
    case decryption::ok:
      return "ok";
    case decryption::no_key:
      return "no-key";
    case decryption::integrity:
      return "integrity";
    case decryption::failed:
      return "failed";
  }
  return "none";
}

std::string verdict_json(const analysis& a) {
  nlohmann::json j;
  j["readable"] = a.readable;
  j["quarantine_reason"] = a.quarantine_reason;
  j["encrypted"] = a.encrypted;
  j["mixed"] = a.mixed;
  j["decryption"] = to_string(a.decrypt);
  j["encrypted_to"] = a.encrypted_to;
  j["signature"] = {{"status", to_string(a.signature.status)},
                    {"fingerprint", a.signature.fingerprint},
                    {"trust", a.signature.trust},
                    {"uid_email", a.signature.uid_email},
                    {"matches_from", a.signature.matches_from}};
  auto boxes = [](const std::vector<mailbox>& v) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& m : v) arr.push_back({{"name", m.name}, {"addr", m.addr}});
    return arr;
  };
  j["from"] = {{"mailboxes", boxes(a.from.mailboxes)},
               {"header_count", a.from.header_count},
               {"well_formed", a.from.well_formed}};
  j["reply_to"] = boxes(a.reply_to);
  j["message_id"] = a.message_id;
  j["in_reply_to"] = a.in_reply_to;
  j["references"] = a.references;
  j["auto_submitted"] = a.auto_submitted;
  j["bulk"] = a.bulk;
  nlohmann::json parts = nlohmann::json::array();
  for (const auto& p : a.parts) {
    // File names inside a ciphertext are report data: left out of the verdict.
    parts.push_back({{"path", p.path},
                     {"content_type", p.content_type},
                     {"filename", p.encrypted ? std::string() : p.filename},
                     {"size", p.size},
                     {"encrypted", p.encrypted},
                     {"signed", p.is_signed},
                     {"signer", p.signer}});
  }
  j["parts"] = parts;
  j["attachments"] = a.attachments.size();
  j["body_bytes"] = a.body.size();
  j["plain_bytes"] = a.plain.size();
  j["flags"] = a.flags;
  // Addresses are kept as written, and a hostile From may hold bytes that are not UTF-8: replace
  // them rather than throw (an exception here would defer the message forever).
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace vmt::intake
