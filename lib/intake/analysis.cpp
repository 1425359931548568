// analysis.cpp: one inbound message from raw bytes to a verdict (see analysis.h and
// docs/mail-parsing.md for the rules and why).
//
// The walk keeps one question in view at every entity: is it still "the whole content"? The root
// is; a multipart/signed passes that on to its first part and a multipart/encrypted to its
// decrypted payload; every other multipart ends it. Signatures and ciphertexts met on that path
// cover the message; anything met below another multipart covers only a part (partial signature,
// nested encryption). Leaves are collected with where their bytes came from (inside which
// decrypted payload, under which good signature) and the body is built from them afterwards,
// never mixing decrypted text with text from outside the ciphertext.
//
// The signature verdict and the text-free JSON form live in verdict.cpp.
//
// SECURITY: nothing here logs; decrypted text only lives in the returned analysis.
#include "intake/analysis.h"

#include <algorithm>
#include <deque>
#include <memory>

#include "core/text.h"
#include "crypto/openpgp.h"
#include "intake/armor.h"
#include "intake/envelope.h"
#include "intake/verdict.h"
#include "message/address.h"
#include "message/codec.h"
#include "message/header.h"
#include "message/mime.h"

namespace vmt::intake {

namespace {

using detail::add_flag;
using detail::sig_event;
using message::document;
using message::entity;

constexpr int max_crypto_ops = 16;  // gpg runs per message: bounds time on crafted mail

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// The decoded body of `e`: a view into the message when no transfer encoding applies, else the
// decoded bytes kept in `storage` (large messages must not be copied more than needed).
std::string_view decoded_view(const document& d, const entity& e, std::string& storage) {
  if (e.encoding == "base64" || e.encoding == "quoted-printable") {
    storage = message::decoded_body(d, e);
    return storage;
  }
  return message::body_bytes(d, e);
}

// CRLF -> LF without a copy.
std::string lf(std::string s) {
  std::size_t o = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
    s[o++] = s[i];
  }
  s.resize(o);
  return s;
}

// The "mixed-up" mangling of PGP/MIME: multipart/mixed of an empty text part, the
// application/pgp-encrypted version part and the application/octet-stream ciphertext.
bool mixed_up(const document& d, const entity& e) {
  if (!e.type.is("multipart", "mixed") || e.children.size() != 3) return false;
  const auto& c = e.children;
  return c[0].type.is("text", "plain") && blank(message::decoded_body(d, c[0])) &&
         c[1].type.is("application", "pgp-encrypted") &&
         message::decoded_body(d, c[1]).find("Version: 1") != std::string::npos &&
         c[2].type.is("application", "octet-stream");
}

// Where a walk stands.
struct state {
  bool top = true;                   // still the whole content of the message
  bool encrypted = false;            // inside a successfully decrypted payload
  int payload = -1;                  // index of that payload
  std::string signer;                // fingerprint of a good signature covering this entity
  bool hidden = false;               // an alternative (or legacy display part) not used for the body
  bool sig_whole = true;             // false below a signature layer vmt cannot check (S/MIME): a signature
                                     // found there covers the part, never "the whole message"
  bool legacy_display_slot = false;  // first child of a multipart/mixed decrypted payload root
};

struct leaf {
  std::string path;
  std::string content_type;
  std::string filename;
  bool attachment = false;
  bool encrypted = false;
  int payload = -1;
  std::string signer;
  bool hidden = false;
  std::string text;  // body text (UTF-8) for text leaves
  std::string data;  // decoded bytes for attachments
  std::size_t size = 0;
};

struct enc_event {
  bool whole;
  crypto::decrypt_status status;
  bool inside_payload = false;  // the ciphertext itself came out of a decrypted payload
  bool nested = false;          // below a multipart that is not a crypto layer (and not encrypted)
};

class walker {
 public:
  walker(const options& opt, analysis& a) : opt_(opt), a_(a) {}

  status walk(const document& d, const entity& e, const std::string& path, state st);

  std::vector<leaf> leaves;
  std::vector<sig_event> sigs;
  std::vector<enc_event> encs;
  int payloads = 0;
  // Protected headers: the first non-crypto entity on the whole-content path inside a payload.
  const entity* ph_entity = nullptr;
  bool smime_top = false;

 private:
  status signed_part(const document& d, const entity& e, const std::string& path, state st);
  status encrypted_part(const document& d, const entity& e, const std::string& path, state st);
  status decrypt_payload(const document& d, const entity& e, const entity& cpart, const std::string& cpath,
                         state st);
  status text_leaf(const document& d, const entity& e, const std::string& path, const state& st);
  status inline_pgp(const document& d, const entity& e, const std::string& path, const state& st,
                    std::string_view bytes, const std::vector<detail::armor_block>& blocks);
  void add_leaf(const document& d, const entity& e, const std::string& path, const state& st,
                bool attachment);
  bool budget() {
    if (ops_ >= max_crypto_ops) {
      add_flag(a_.flags, "too-many-crypto-parts");
      return false;
    }
    ++ops_;
    return true;
  }
  // Limits for a decrypted payload found at `depth` levels down: what the message has left.
  message::limits remaining(int depth) const {
    message::limits l;
    l.max_header_bytes = opt_.limits.max_header_bytes;
    l.max_line_bytes = opt_.limits.max_line_bytes;
    l.max_depth = std::max(1, opt_.limits.max_depth - depth);
    l.max_parts = std::max(1, opt_.limits.max_parts - parts_used_);
    return l;
  }

  const options& opt_;
  analysis& a_;
  int ops_ = 0;
  int depth_base_ = 0;
  int parts_used_ = 0;
  std::deque<std::string> plaintexts_;  // decrypted payloads the nested documents point into
  std::deque<document> docs_;
};

status walker::walk(const document& d, const entity& e, const std::string& path, state st) {
  const auto& ct = e.type;
  if (ct.is("multipart", "signed") && !e.children.empty()) return signed_part(d, e, path, st);
  if (ct.is("multipart", "encrypted") && !e.children.empty()) return encrypted_part(d, e, path, st);
  if (st.top && mixed_up(d, e)) {
    // PGP/MIME that Exchange rewrote as multipart/mixed (empty text, version part, ciphertext):
    // repaired as notmuch and Thunderbird do, and flagged.
    add_flag(a_.flags, "repaired-mixed-up");
    return decrypt_payload(d, e, e.children[2], path + ".3", st);
  }
  if (st.top && ct.is("message", "rfc822") && text::lower(ct.params.get("forwarded")) == "no" &&
      !e.children.empty())
    return walk(d, e.children[0], path + ".1", st);  // header protection by wrapping (RFC 8551 3.1)
  if (st.top && st.encrypted && !ph_entity) ph_entity = &e;
  if ((ct.type == "application" && (ct.subtype == "pkcs7-mime" || ct.subtype == "x-pkcs7-mime"))) {
    add_flag(a_.flags, "smime-unsupported");
    if (st.top) smime_top = true;
    add_leaf(d, e, path, st, true);
    return ok_v;
  }
  if (e.is_multipart()) {
    bool alternative = ct.subtype == "alternative";
    std::size_t chosen = 0;
    if (alternative) {
      // The body uses one alternative: the last text/plain, else the last one.
      chosen = e.children.size() - 1;
      for (std::size_t i = 0; i < e.children.size(); ++i)
        if (e.children[i].type.is("text", "plain")) chosen = i;
    }
    for (std::size_t i = 0; i < e.children.size(); ++i) {
      state cs = st;
      cs.top = false;
      cs.legacy_display_slot = st.encrypted && &e == ph_entity && ct.subtype == "mixed" && i == 0;
      if (alternative && i != chosen) cs.hidden = true;
      VMT_TRY_STATUS(walk(d, e.children[i], path + "." + std::to_string(i + 1), cs));
    }
    return ok_v;
  }
  if (ct.type == "text" && e.disp.kind != "attachment" &&
      (ct.subtype == "plain" || ct.subtype == "html" || !e.type_given))
    return text_leaf(d, e, path, st);
  add_leaf(d, e, path, st, true);
  return ok_v;
}

status walker::signed_part(const document& d, const entity& e, const std::string& path, state st) {
  std::string protocol = text::lower(e.type.params.get("protocol"));
  if (protocol == "application/pkcs7-signature" || protocol == "application/x-pkcs7-signature") {
    // S/MIME: no CMS support, so the content counts as unsigned (never as signed, never a crash).
    add_flag(a_.flags, "smime-signature-unchecked");
    state cs = st;
    cs.sig_whole = false;
    return walk(d, e.children[0], path + ".1", cs);
  }
  bool well_formed = protocol == "application/pgp-signature" && e.children.size() == 2 &&
                     e.children[1].type.is("application", "pgp-signature");
  if (!well_formed || !budget()) {
    if (!well_formed) add_flag(a_.flags, "malformed-signature");
    sigs.push_back({st.top && st.sig_whole, {}});
    state cs = st;
    cs.signer.clear();
    VMT_TRY_STATUS(walk(d, e.children[0], path + ".1", cs));
    for (std::size_t i = 1; i < e.children.size(); ++i)
      if (!e.children[i].type.is("application", "pgp-signature")) {
        state other = cs;
        other.top = false;
        VMT_TRY_STATUS(walk(d, e.children[i], path + "." + std::to_string(i + 1), other));
      }
    return ok_v;
  }
  // RFC 3156 5: the first part exactly as sent, line endings made CRLF.
  std::string signed_bytes = message::to_crlf(message::raw_bytes(d, e.children[0]));
  std::string signature = message::decoded_body(d, e.children[1]);
  VMT_TRY(checks, crypto::verify_detached(opt_.gnupg_home, signed_bytes, signature));
  bool all_good = !checks.empty() && std::all_of(checks.begin(), checks.end(), [](const auto& c) {
    return c.result == crypto::sig_result::good && !c.key_revoked && !c.sig_expired;
  });
  sigs.push_back({st.top && st.sig_whole, checks});
  state cs = st;
  if (all_good) cs.signer = checks.front().fingerprint;
  return walk(d, e.children[0], path + ".1", cs);
}

status walker::encrypted_part(const document& d, const entity& e, const std::string& path, state st) {
  std::string protocol = text::lower(e.type.params.get("protocol"));
  if (protocol != "application/pgp-encrypted" || e.children.size() != 2 ||
      !e.children[0].type.is("application", "pgp-encrypted"))
    add_flag(a_.flags, "malformed-encryption");
  std::size_t ci = e.children.size() >= 2 ? 1 : 0;
  return decrypt_payload(d, e, e.children[ci], path + "." + std::to_string(ci + 1), st);
}

status walker::decrypt_payload(const document& d, const entity& e, const entity& cpart,
                               const std::string& cpath, state st) {
  if (!budget()) {
    encs.push_back({st.top, crypto::decrypt_status::failed, st.encrypted, !st.top && !st.encrypted});
    return ok_v;
  }
  std::string storage;
  VMT_TRY(out, crypto::decrypt(opt_.gnupg_home, decoded_view(d, cpart, storage)));
  storage = std::string();
  for (const auto& r : out.recipients)
    if (std::find(a_.encrypted_to.begin(), a_.encrypted_to.end(), r) == a_.encrypted_to.end())
      a_.encrypted_to.push_back(r);
  encs.push_back({st.top, out.status, st.encrypted, !st.top && !st.encrypted});
  if (out.status != crypto::decrypt_status::ok) return ok_v;
  state cs = st;
  cs.encrypted = true;
  cs.payload = payloads++;
  if (!out.signatures.empty()) {
    sigs.push_back({st.top && st.sig_whole, out.signatures});
    bool all_good = std::all_of(out.signatures.begin(), out.signatures.end(), [](const auto& c) {
      return c.result == crypto::sig_result::good && !c.key_revoked && !c.sig_expired;
    });
    cs.signer = all_good ? out.signatures.front().fingerprint : std::string();
  }
  // The payload is a MIME entity of its own; it inherits what is left of the limits.
  plaintexts_.push_back(std::move(out.plaintext));
  int saved_base = depth_base_;
  depth_base_ += e.depth + 2;
  docs_.push_back(message::parse(plaintexts_.back(), remaining(depth_base_)));
  parts_used_ += docs_.back().parts;
  if (docs_.back().truncated) add_flag(a_.flags, "limits-reached");
  status r = walk(docs_.back(), docs_.back().root, cpath + ".1", cs);
  depth_base_ = saved_base;
  return r;
}

void walker::add_leaf(const document& d, const entity& e, const std::string& path, const state& st,
                      bool attachment) {
  leaf l;
  l.path = path;
  l.content_type = e.type.mime();
  l.filename = e.filename;
  l.attachment = attachment;
  l.encrypted = st.encrypted;
  l.payload = st.payload;
  l.signer = st.signer;
  l.hidden = st.hidden;
  if (attachment) {
    l.data = message::decoded_body(d, e);
    l.size = l.data.size();
  } else {
    std::string storage;
    l.text = lf(message::to_utf8(decoded_view(d, e, storage), e.type.params.get("charset")));
    l.size = l.text.size();
  }
  leaves.push_back(std::move(l));
}

status walker::text_leaf(const document& d, const entity& e, const std::string& path, const state& st) {
  state s = st;
  // A legacy-display part of protected headers repeats the headers for old readers: not body text.
  if (st.legacy_display_slot &&
      (e.type.params.get("protected-headers") == "v1" || e.type.is("text", "rfc822-headers")))
    s.hidden = true;
  if (e.type.subtype == "plain" || !e.type_given) {
    std::string storage;
    std::string_view bytes = decoded_view(d, e, storage);
    bool broken = false;
    auto blocks = detail::find_armor(bytes, broken);
    if (broken) add_flag(a_.flags, "broken-armor");
    if (!blocks.empty()) return inline_pgp(d, e, path, s, bytes, blocks);
  }
  add_leaf(d, e, path, s, false);
  return ok_v;
}

status walker::inline_pgp(const document& d, const entity& e, const std::string& path, const state& st,
                          std::string_view bytes, const std::vector<detail::armor_block>& blocks) {
  std::string charset = e.type.params.get("charset");
  // Text around the blocks: attacker-controlled unless it came out of a ciphertext itself.
  std::vector<std::pair<std::size_t, std::size_t>> gaps;
  std::size_t pos = 0;
  for (const auto& b : blocks) {
    gaps.emplace_back(pos, b.begin);
    pos = b.end;
  }
  gaps.emplace_back(pos, bytes.size());
  bool surrounded = std::any_of(gaps.begin(), gaps.end(), [&](const auto& g) {
    return !blank(bytes.substr(g.first, g.second - g.first));
  });
  bool whole = st.top && blocks.size() == 1 && !surrounded;
  bool sig_whole = whole && st.sig_whole;
  if (surrounded) add_flag(a_.flags, "inline-pgp-with-text");
  if (blocks.size() > 1) add_flag(a_.flags, "multiple-inline-blocks");
  std::string around;
  for (const auto& g : gaps) {
    auto piece = bytes.substr(g.first, g.second - g.first);
    if (!blank(piece)) {
      around.append(piece);
      around += '\n';
    }
  }
  if (!around.empty()) {
    leaf l;
    l.path = path + "/text";
    l.content_type = "text/plain";
    l.encrypted = st.encrypted;
    l.payload = st.payload;
    l.hidden = st.hidden;
    l.text = lf(message::to_utf8(around, charset));
    around = std::string();
    l.size = l.text.size();
    leaves.push_back(std::move(l));
  }
  int n = 0;
  for (const auto& b : blocks) {
    std::string bpath = path + "/pgp" + std::to_string(++n);
    std::string_view block = bytes.substr(b.begin, b.end - b.begin);
    leaf l;
    l.path = bpath;
    l.content_type = "text/plain";
    l.hidden = st.hidden;
    if (!budget()) {
      if (b.kind == detail::armor_block::message)
        encs.push_back({whole, crypto::decrypt_status::failed, st.encrypted, !st.top && !st.encrypted});
      continue;
    }
    if (b.kind == detail::armor_block::message) {
      VMT_TRY(out, crypto::decrypt(opt_.gnupg_home, block));
      for (const auto& r : out.recipients)
        if (std::find(a_.encrypted_to.begin(), a_.encrypted_to.end(), r) == a_.encrypted_to.end())
          a_.encrypted_to.push_back(r);
      encs.push_back({whole, out.status, st.encrypted, !st.top && !st.encrypted});
      if (out.status != crypto::decrypt_status::ok) continue;
      l.encrypted = true;
      l.payload = payloads++;
      if (!out.signatures.empty()) {
        sigs.push_back({sig_whole, out.signatures});
        if (std::all_of(out.signatures.begin(), out.signatures.end(),
                        [](const auto& c) { return c.result == crypto::sig_result::good && !c.key_revoked; }))
          l.signer = out.signatures.front().fingerprint;
      }
      l.text = lf(message::to_utf8(out.plaintext, charset));
    } else {
      VMT_TRY(out, crypto::verify_opaque(opt_.gnupg_home, block));
      sigs.push_back({sig_whole, out.signatures});
      l.encrypted = st.encrypted;
      l.payload = st.payload;
      l.signer = st.signer;
      if (!out.signatures.empty() &&
          std::all_of(out.signatures.begin(), out.signatures.end(),
                      [](const auto& c) { return c.result == crypto::sig_result::good && !c.key_revoked; }))
        l.signer = out.signatures.front().fingerprint;
      l.text =
          lf(message::to_utf8(out.signatures.empty() ? block : std::string_view(out.plaintext), charset));
    }
    l.size = l.text.size();
    leaves.push_back(std::move(l));
  }
  return ok_v;
}

// Quarantine reasons, most specific first.
const char* reason_for(crypto::decrypt_status s) {
  switch (s) {
    case crypto::decrypt_status::no_key:
      return "no-key";
    case crypto::decrypt_status::integrity:
      return "integrity";
    default:
      return "decrypt-failed";
  }
}

decryption to_decryption(crypto::decrypt_status s) {
  switch (s) {
    case crypto::decrypt_status::ok:
      return decryption::ok;
    case crypto::decrypt_status::no_key:
      return decryption::no_key;
    case crypto::decrypt_status::integrity:
      return decryption::integrity;
    default:
      return decryption::failed;
  }
}

// Headers-only view of a message too large to analyse.
void headers_only(std::string_view raw, const options& opt, analysis& a) {
  message::limits lim;
  lim.max_header_bytes = opt.limits.max_header_bytes;
  lim.max_line_bytes = opt.limits.max_line_bytes;
  lim.max_depth = 1;
  lim.max_parts = 1;
  std::string_view head = raw.substr(0, std::min(raw.size(), opt.limits.max_header_bytes + 1024));
  auto doc = message::parse(head, lim);
  detail::read_envelope(doc.root, a);
}

// Mostly binary data with no header at all is not mail.
bool looks_like_garbage(std::string_view raw, const message::document& doc) {
  if (blank(raw)) return true;
  if (!doc.root.headers.empty()) return false;
  std::string_view sample = raw.substr(0, 4096);
  std::size_t bad = std::count_if(sample.begin(), sample.end(), [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u == 0 || (u < 0x20 && c != '\r' && c != '\n' && c != '\t') || u == 0x7F;
  });
  return bad * 10 > sample.size();
}

}  // namespace

result<analysis> analyze(std::string_view raw, const options& opt) {
  analysis a;
  if (raw.size() > opt.limits.max_message_bytes) {
    headers_only(raw, opt, a);
    a.readable = false;
    a.quarantine_reason = "too-large";
    add_flag(a.flags, "too-large");
    return a;
  }
  message::limits lim;
  lim.max_header_bytes = opt.limits.max_header_bytes;
  lim.max_line_bytes = opt.limits.max_line_bytes;
  lim.max_depth = opt.limits.max_depth;
  lim.max_parts = opt.limits.max_parts;
  auto doc = message::parse(raw, lim);
  detail::read_envelope(doc.root, a);
  if (looks_like_garbage(raw, doc)) {
    a.readable = false;
    a.quarantine_reason = "garbage";
    return a;
  }
  if (doc.root.headers.empty()) add_flag(a.flags, "no-headers");
  auto problems = message::all_problems(doc.root);
  if (!problems.empty()) add_flag(a.flags, "malformed-mime");
  for (const auto& p : problems) add_flag(a.flags, "mime:" + p);
  if (doc.truncated) add_flag(a.flags, "limits-reached");
  if (std::find(doc.root.problems.begin(), doc.root.problems.end(), "header-too-large") !=
      doc.root.problems.end()) {
    a.readable = false;
    a.quarantine_reason = "too-large";
    return a;
  }

  walker w(opt, a);
  VMT_TRY_STATUS(w.walk(doc, doc.root, "1", state{}));

  // Encryption: where the confidential bytes came from.
  bool any_failed = false, any_ok = false, nested = false, partial_cipher = false;
  crypto::decrypt_status first_failure = crypto::decrypt_status::ok;
  for (const auto& ev : w.encs) {
    if (ev.status == crypto::decrypt_status::ok) {
      any_ok = true;
      if (!ev.whole && !ev.inside_payload) partial_cipher = true;
      if (ev.nested) nested = true;
    } else if (!any_failed) {
      any_failed = true;
      first_failure = ev.status;
    }
  }
  a.decrypt = w.encs.empty() ? decryption::none : any_failed ? to_decryption(first_failure) : decryption::ok;
  auto content = [](const leaf& l) { return l.attachment || !blank(l.text); };
  bool enc_leaf = false, plain_leaf = false;
  for (const auto& l : w.leaves) {
    if (!content(l)) continue;
    (l.encrypted ? enc_leaf : plain_leaf) = true;
  }
  a.mixed = (enc_leaf && plain_leaf) || partial_cipher;
  a.encrypted = any_ok && !any_failed && !a.mixed && enc_leaf;
  if (enc_leaf && plain_leaf) add_flag(a.flags, "mixed-content");
  if (nested) add_flag(a.flags, "nested-encryption");
  if (w.payloads > 1 && a.mixed) add_flag(a.flags, "multiple-encrypted-parts");

  // Signatures.
  a.signature = detail::judge_signatures(w.sigs, a.flags);
  if (a.signature.status == sig_status::valid) {
    const auto* c = detail::find_check(w.sigs, a.signature.fingerprint);
    if (c && a.from.well_formed) {
      std::string from = message::normalize_addr(a.from.mailboxes.front().addr);
      for (const auto& e : c->uid_emails)
        if (e == from) {
          a.signature.uid_email = e;
          a.signature.matches_from = true;
        }
    }
    if (c && detail::date_mismatch(a.date, c->created)) {
      add_flag(a.flags, "signature-date-mismatch");
      a.signature.matches_from = false;  // possibly a replayed old mail: the signer vouched for another
    }
    if (!a.signature.matches_from) add_flag(a.flags, "signer-not-from");
  }

  // Protected headers: only from a decrypted whole payload whose signatures (if any) are all good.
  if (w.ph_entity && a.encrypted && w.ph_entity->type.params.get("protected-headers") == "v1") {
    bool sigs_ok = std::all_of(w.sigs.begin(), w.sigs.end(), [](const sig_event& ev) {
      return !ev.whole ||
             (!ev.checks.empty() && std::all_of(ev.checks.begin(), ev.checks.end(), [](const auto& c) {
               return c.result == crypto::sig_result::good && !c.key_revoked;
             }));
    });
    if (sigs_ok) {
      add_flag(a.flags, "protected-headers");
      if (const auto* s = w.ph_entity->header("subject")) {
        a.subject = message::decode_words(s->value);
        add_flag(a.flags, "protected-subject");
      }
      if (const auto* f = w.ph_entity->header("from")) {
        auto inner = message::parse_address_list(f->value);
        if (!a.from.well_formed || inner.mailboxes.size() != 1 ||
            message::normalize_addr(inner.mailboxes[0].addr) !=
                message::normalize_addr(a.from.mailboxes.front().addr))
          add_flag(a.flags, "protected-from-differs");
      }
    }
  }

  // Body: decrypted text of the first payload only; unencrypted text beside it goes to `plain`.
  int body_payload = -1;
  for (const auto& l : w.leaves)
    if (l.encrypted && !l.attachment && !l.hidden && !blank(l.text)) {
      body_payload = l.payload;
      break;
    }
  auto append = [](std::string& to, std::string& text) {
    if (to.empty()) {
      to = std::move(text);
      return;
    }
    if (to.back() != '\n') to += '\n';
    to += text;
  };
  for (auto& l : w.leaves) {
    part_verdict pv{l.path, l.content_type, l.filename, l.size, l.encrypted, !l.signer.empty(), l.signer};
    a.parts.push_back(pv);
    if (l.attachment) {
      a.attachments.push_back(
          {l.filename, l.content_type, std::move(l.data), l.encrypted, !l.signer.empty()});
      continue;
    }
    if (l.hidden) continue;
    if (body_payload < 0) {
      append(a.body, l.text);
    } else if (l.encrypted && l.payload == body_payload) {
      append(a.body, l.text);
    } else if (!l.encrypted) {
      append(a.plain, l.text);
    }
  }

  // Quarantine: what cannot be read in full is kept for a coordinator, with no text exposed.
  if (any_failed) {
    a.readable = false;
    a.quarantine_reason = reason_for(first_failure);
  } else if (w.smime_top) {
    a.readable = false;
    a.quarantine_reason = "decrypt-failed";
  }
  if (!a.readable) {
    a.body.clear();
    a.plain.clear();
    for (auto& at : a.attachments) at.data.clear();
  }
  return a;
}

}  // namespace vmt::intake
