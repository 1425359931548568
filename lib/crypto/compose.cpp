// compose.cpp: outbound PGP/MIME (RFC 3156) messages (see compose.h).
//
// Layout: the content entity (text/plain, or multipart/mixed with attachments) is built as CRLF
// bytes once; those exact bytes are signed (multipart/signed, detached signature, micalg taken
// from the signature gpg made) or signed and encrypted in one OpenPGP message (multipart/encrypted,
// RFC 3156 6.2). With protected headers (v1) the content entity carries From/To/Cc/Subject/...;
// the outer Subject stays the real one unless the mail asks to hide it (hide_subject).
#include "crypto/compose.h"

#include <gpg-error.h>
#include <gpgme++/data.h>
#include <gpgme++/encryptionresult.h>
#include <gpgme++/signingresult.h>

#include <algorithm>
#include <cctype>

#include "core/clock.h"
#include "core/text.h"
#include "crypto/gpg.h"
#include "message/address.h"
#include "message/builder.h"
#include "message/codec.h"
#include "message/header.h"

namespace vmt::crypto {

namespace {

using message::part;

std::string strip_angles(std::string s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t");
  s = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
  return s;
}

// msg-id content: printable ASCII without white space, angle brackets, quotes or backslashes,
// with one '@' that is neither first nor last.
bool valid_msg_id(const std::string& id) {
  if (id.empty() || id.size() > 250) return false;
  for (char c : id) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 32 || u >= 127 || c == '<' || c == '>' || c == '"' || c == '\\' || c == '(' || c == ')' ||
        c == ',')
      return false;
  }
  auto at = id.find('@');
  return at != std::string::npos && at > 0 && at + 1 < id.size() && id.find('@', at + 1) == std::string::npos;
}

}  // namespace

bool valid_message_id(const std::string& id) {
  return valid_msg_id(id);
}

namespace {

result<std::string> msg_id(const std::string& raw, const char* field) {
  std::string id = strip_angles(raw);
  if (!valid_msg_id(id))
    return make_error(failure::data, field,
                      "not a valid message id: '" + message::repair_utf8(id.substr(0, 80)) + "'",
                      "use local@domain without spaces or angle brackets");
  return id;
}

bool reserved_header(const std::string& name) {
  static const char* reserved[] = {"from",
                                   "to",
                                   "cc",
                                   "bcc",
                                   "subject",
                                   "date",
                                   "message-id",
                                   "in-reply-to",
                                   "references",
                                   "mime-version",
                                   "content-type",
                                   "content-transfer-encoding",
                                   "content-disposition",
                                   "sender",
                                   "reply-to",
                                   "auto-submitted"};
  std::string n = text::lower(name);
  return std::any_of(std::begin(reserved), std::end(reserved), [&](const char* r) { return n == r; });
}

result<std::string> address_list(const std::vector<address>& list, const char* field) {
  std::string out;
  for (const auto& a : list) {
    auto m = message::format_mailbox(a.name, a.email);
    if (!m) {
      auto e = m.err();
      e.where = std::string(field) + ": " + e.where;
      return e;
    }
    if (!out.empty()) out += ", ";
    out += *m;
  }
  return out;
}

// The signature or ciphertext gpg made, as CRLF text.
std::string armored(GpgME::Data& d) {
  return message::to_crlf(d.toString());
}

error crypto_failure(const std::string& home, const std::string& op, const GpgME::Error& e) {
  if (detail::environment_failure(e)) return detail::gpg_error(home, op, e);
  if (e.code() == GPG_ERR_NO_SECKEY || e.code() == GPG_ERR_UNUSABLE_SECKEY)
    return make_error(failure::config, home, op + ": the GnuPG home holds no usable secret key for the signer",
                      "import the team's (or coordinator's) secret key into " + home + ", without a passphrase");
  return make_error(failure::config, home, op + ": " + e.asString(),
                    "check that the signing key has no passphrase and the recipients' keys are valid");
}

}  // namespace

result<composed> compose(const std::string& gnupg_home, const outgoing& mail) {
  // Headers first: anything invalid stops here, before gpg is asked anything.
  VMT_TRY(from_line, message::format_mailbox(mail.from.name, mail.from.email));
  if (mail.to.empty() && mail.cc.empty())
    return make_error(failure::data, "to", "a mail needs at least one recipient", "add a To address");
  VMT_TRY(to_line, address_list(mail.to, "to"));
  VMT_TRY(cc_line, address_list(mail.cc, "cc"));
  std::string domain = mail.from.email.substr(mail.from.email.rfind('@') + 1);
  std::string id_raw = mail.message_id.empty() ? message::random_hex(16) + "@" + domain : mail.message_id;
  VMT_TRY(id, msg_id(id_raw, "message_id"));
  std::string in_reply_to;
  if (!mail.in_reply_to.empty()) {
    VMT_TRY(irt, msg_id(mail.in_reply_to, "in_reply_to"));
    in_reply_to = "<" + irt + ">";
  }
  std::string references;
  for (const auto& r : mail.references) {
    VMT_TRY(ref, msg_id(r, "references"));
    references += (references.empty() ? "<" : " <") + ref + ">";
  }
  std::string date = mail.date.empty() ? clock::rfc5322_date(clock::now()) : mail.date;
  if (date.find_first_of("\r\n") != std::string::npos || date.size() > 100)
    return make_error(failure::data, "date", "not an RFC 5322 date", "leave it empty for now");
  std::vector<std::string> extra;
  if (!mail.auto_submitted.empty()) {
    if (mail.auto_submitted != "auto-replied" && mail.auto_submitted != "auto-generated")
      return make_error(failure::data, "auto_submitted", "'" + mail.auto_submitted + "' is not an RFC 3834 value",
                        "use auto-replied or auto-generated");
    extra.push_back("Auto-Submitted: " + mail.auto_submitted);
  }
  for (const auto& [name, value] : mail.headers) {
    if (!message::valid_header_name(name) || reserved_header(name))
      return make_error(failure::data, "headers",
                        "header name not allowed: '" + message::repair_utf8(name.substr(0, 60)) + "'",
                        "use an X- name of printable ASCII without ':'");
    extra.push_back(message::encode_unstructured(name, value));
  }
  if (mail.sign_with.empty())
    return make_error(failure::config, "sign_with", "every mail vmt sends is signed: no signing key given",
                      "set the team key fingerprint (team.key in vmt.yaml)");

  std::vector<std::string> envelope;  // headers that describe the message itself
  envelope.push_back("Date: " + date);
  envelope.push_back(message::fold("From: " + from_line));
  if (!to_line.empty()) envelope.push_back(message::fold("To: " + to_line));
  if (!cc_line.empty()) envelope.push_back(message::fold("Cc: " + cc_line));
  std::string subject_line = message::encode_unstructured("Subject", mail.subject);
  std::string id_line = "Message-ID: <" + id + ">";

  // The content entity.
  bool encrypt = !mail.encrypt_to.empty();
  std::string ph = mail.protected_headers ? message::format_param("protected-headers", "v1") : std::string();
  part content;
  if (mail.attachments.empty()) {
    content = message::text_part(mail.body, ph);
  } else {
    std::vector<part> kids;
    kids.push_back(message::text_part(mail.body));
    for (const auto& a : mail.attachments)
      kids.push_back(message::attachment_part(a.filename, a.content_type, a.data));
    content = message::multipart("mixed", std::move(kids), ph);
  }
  if (mail.protected_headers) {
    std::vector<std::string> lines = envelope;
    lines.push_back(subject_line);
    lines.push_back(id_line);
    if (!in_reply_to.empty()) lines.push_back("In-Reply-To: " + in_reply_to);
    if (!references.empty()) lines.push_back(message::fold("References: " + references));
    lines.insert(lines.end(), content.header_lines.begin(), content.header_lines.end());
    content.header_lines = std::move(lines);
  }
  std::string content_bytes = message::serialize(content);

  VMT_TRY(ctx, detail::open(gnupg_home));
  // The signer and every recipient in one key listing: each gpgme operation costs a gpg process
  // (and, with gpgme 1.18, a `gpg --version` before it).
  std::vector<std::string> wanted = {mail.sign_with};
  wanted.insert(wanted.end(), mail.encrypt_to.begin(), mail.encrypt_to.end());
  VMT_TRY(found, detail::list_keys(*ctx, gnupg_home, wanted));
  auto lookup = [&](const std::string& id) -> GpgME::Key {
    for (const auto& k : found)
      if (detail::key_matches(k, id)) return k;
    return GpgME::Key();
  };
  GpgME::Key signer = lookup(mail.sign_with);
  if (signer.isNull() || !signer.canSign() || signer.isBad())
    return make_error(failure::config, gnupg_home, "no usable secret signing key " + mail.sign_with,
                      "import the team's secret key into the GnuPG home, or fix team.key in vmt.yaml");
  ctx->addSigningKey(signer);
  ctx->setArmor(true);
  ctx->setSender(mail.from.email.c_str());
  GpgME::Data plain(content_bytes.data(), content_bytes.size(), false);

  part outer;
  if (!encrypt) {
    GpgME::Data sig;
    GpgME::SigningResult sr = ctx->sign(plain, sig, GpgME::Detached);
    if (sr.error()) return crypto_failure(gnupg_home, "sign", sr.error());
    if (sr.createdSignatures().size() != 1 || !sr.createdSignature(0).hashAlgorithmAsString())
      return make_error(failure::software, gnupg_home, "sign: gpg made no signature");
    std::string micalg = "pgp-" + text::lower(sr.createdSignature(0).hashAlgorithmAsString());
    part signed_content;
    signed_content.verbatim = true;
    signed_content.body = content_bytes;
    part sig_part;
    sig_part.header_lines = {message::content_type_line("application/pgp-signature",
                                                        message::format_param("name", "signature.asc")),
                             "Content-Description: OpenPGP digital signature",
                             "Content-Disposition: attachment; filename=\"signature.asc\""};
    sig_part.body = armored(sig);
    outer = message::multipart("signed", {signed_content, sig_part},
                               message::format_param("micalg", micalg) +
                                   message::format_param("protocol", "application/pgp-signature"));
  } else {
    std::vector<GpgME::Key> recipients;
    std::vector<std::string> fprs = mail.encrypt_to;
    if (mail.encrypt_to_self && signer.canEncrypt()) fprs.push_back(signer.primaryFingerprint());
    for (const auto& f : fprs) {
      GpgME::Key k = f == signer.primaryFingerprint() ? signer : lookup(f);
      if (k.isNull() || !k.canEncrypt() || k.isBad())
        return make_error(failure::data, gnupg_home, "no usable encryption key " + f,
                          "import the recipient's current key (vmt keys import FILE) or fix the stakeholder entry");
      bool dup = std::any_of(recipients.begin(), recipients.end(), [&](const GpgME::Key& r) {
        return std::string(r.primaryFingerprint()) == k.primaryFingerprint();
      });
      if (!dup) recipients.push_back(k);
    }
    GpgME::Data cipher;
    auto [sr, er] = ctx->signAndEncrypt(recipients, plain, cipher, GpgME::Context::AlwaysTrust);
    if (sr.error()) return crypto_failure(gnupg_home, "sign", sr.error());
    if (er.error()) return crypto_failure(gnupg_home, "encrypt", er.error());
    part version;
    version.header_lines = {"Content-Type: application/pgp-encrypted",
                            "Content-Description: PGP/MIME version identification"};
    version.body = "Version: 1\r\n";
    part data;
    data.header_lines = {message::content_type_line("application/octet-stream",
                                                    message::format_param("name", "encrypted.asc")),
                         "Content-Description: OpenPGP encrypted message",
                         "Content-Disposition: inline; filename=\"encrypted.asc\""};
    data.body = armored(cipher);
    outer = message::multipart("encrypted", {version, data},
                               message::format_param("protocol", "application/pgp-encrypted"));
  }

  std::vector<std::string> head = envelope;
  head.push_back(encrypt && mail.protected_headers && mail.hide_subject ? std::string("Subject: ...") : subject_line);
  head.push_back(id_line);
  if (!in_reply_to.empty()) head.push_back("In-Reply-To: " + in_reply_to);
  if (!references.empty()) head.push_back(message::fold("References: " + references));
  head.push_back("MIME-Version: 1.0");
  head.insert(head.end(), extra.begin(), extra.end());
  head.insert(head.end(), outer.header_lines.begin(), outer.header_lines.end());
  outer.header_lines = std::move(head);
  return composed{message::serialize(outer), id};
}

}  // namespace vmt::crypto
