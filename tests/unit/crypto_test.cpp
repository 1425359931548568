// crypto_test: keys, decryption (no key, tampered, no MDC), signatures and RFC 3156 composition,
// with real gpg keys made at test time.
#define BOOST_TEST_MODULE crypto
#include <boost/test/unit_test.hpp>

#include "crypto/compose.h"
#include "crypto/keys.h"
#include "crypto/openpgp.h"
#include "gpg_fixture.h"
#include "message/codec.h"
#include "message/mime.h"

using namespace vmt;
using vmt::testing::gpg_home;
using vmt::testing::temp_dir;

namespace {

// Team and reporter homes shared by the tests (key generation is the slow part).
struct world {
  temp_dir dir;
  gpg_home team{dir, "team", "security@example.org"};
  gpg_home alice{dir, "alice", "alice@example.net"};
  world() {
    team.import_from(alice);
    alice.import_from(team);
  }
};

world& w() {
  static world instance;
  return instance;
}

crypto::outgoing sample(bool encrypt) {
  crypto::outgoing m;
  m.from = {"VMT", "security@example.org"};
  m.to = {{"Alice Ä.", "alice@example.net"}};
  m.subject = "[OSSA-2026-001] Nova: ünicode subject";
  m.body = "Hello Alice,\nthe patch is attached.\nFrom here on, lines start oddly.\n.\n";
  m.attachments = {{"fix.patch", "text/x-diff", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"}};
  m.sign_with = w().team.fpr;
  if (encrypt) m.encrypt_to = {w().alice.fpr};
  m.headers = {{"X-VMT-Case", "VMT-2026-001"}};
  return m;
}

}  // namespace

BOOST_AUTO_TEST_CASE(generated_key_is_listed_with_its_capabilities) {
  auto k = crypto::find_key(w().team.home, w().team.fpr);
  BOOST_REQUIRE(k);
  BOOST_REQUIRE(k->has_value());
  BOOST_TEST((*k)->has_secret);
  BOOST_TEST((*k)->can_sign);
  BOOST_TEST((*k)->can_encrypt);
  BOOST_TEST((*k)->usable_for_encryption());
  BOOST_TEST((*k)->emails.at(0) == "security@example.org");
  auto none = crypto::find_key(w().team.home, "0123456789ABCDEF0123456789ABCDEF01234567");
  BOOST_REQUIRE(none);
  BOOST_TEST(!none->has_value());
}

BOOST_AUTO_TEST_CASE(keys_for_email_matches_exact_address_case_insensitively) {
  auto ks = crypto::keys_for_email(w().team.home, "Alice@Example.NET");
  BOOST_REQUIRE(ks);
  BOOST_REQUIRE(ks->size() == 1u);
  BOOST_TEST(ks->front().fingerprint == w().alice.fpr);
  BOOST_TEST(!ks->front().has_secret);
  auto partial = crypto::keys_for_email(w().team.home, "lice@example.net");
  BOOST_REQUIRE(partial);
  BOOST_TEST(partial->empty());
}

BOOST_AUTO_TEST_CASE(secret_keys_lists_only_the_homes_own_keys) {
  auto s = crypto::secret_keys(w().team.home);
  BOOST_REQUIRE(s);
  BOOST_TEST(s->size() == 1u);
  BOOST_TEST(s->front() == w().team.fpr);
}

BOOST_AUTO_TEST_CASE(export_then_import_into_a_fresh_home) {
  temp_dir t;
  auto pub = crypto::export_public(w().alice.home, w().alice.fpr);
  BOOST_REQUIRE(pub);
  BOOST_TEST(pub->find("BEGIN PGP PUBLIC KEY BLOCK") != std::string::npos);
  BOOST_REQUIRE(crypto::prepare_home(t / "h"));
  auto imported = crypto::import_keys(t / "h", *pub);
  BOOST_REQUIRE(imported);
  BOOST_TEST(imported->at(0) == w().alice.fpr);
  auto garbage = crypto::import_keys(t / "h", "not a key");
  BOOST_TEST(!garbage);
  BOOST_TEST(garbage.err().kind == failure::data);
  crypto::stop_agent(t / "h");
}

BOOST_AUTO_TEST_CASE(missing_home_is_a_config_error) {
  auto r = crypto::secret_keys("/nonexistent/vmt/gnupg");
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.err().kind == failure::config);
}

BOOST_AUTO_TEST_CASE(decrypt_round_trip_and_failure_classes) {
  std::string secret = "embargoed detail\n";
  std::string cipher = w().alice.gpg("-a -r " + w().team.fpr + " --trust-model always -e", secret);
  auto ok = crypto::decrypt(w().team.home, cipher);
  BOOST_REQUIRE(ok);
  BOOST_TEST(crypto::to_string(ok->status) == "ok");
  BOOST_TEST(ok->plaintext == secret);

  // Wrong key: the reporter's own home cannot read what was encrypted to the team only.
  auto nokey = crypto::decrypt(w().alice.home, cipher);
  BOOST_REQUIRE(nokey);
  BOOST_TEST(crypto::to_string(nokey->status) == "no-key");
  BOOST_TEST(nokey->plaintext.empty());

  // No MDC: the legacy packet gpg writes with --rfc2440 and a 64-bit cipher.
  std::string nomdc = w().alice.gpg(
      "-a -r " + w().team.fpr + " --trust-model always --rfc2440 --cipher-algo CAST5 -e", secret);
  auto i1 = crypto::decrypt(w().team.home, nomdc);
  BOOST_REQUIRE(i1);
  BOOST_TEST(crypto::to_string(i1->status) == "integrity");
  BOOST_TEST(i1->plaintext.empty());
  // No MDC with a modern cipher: still no integrity protection.
  std::string nomdc_aes = w().alice.gpg(
      "-a -r " + w().team.fpr + " --trust-model always --rfc2440 --cipher-algo AES256 -e", secret);
  auto i2 = crypto::decrypt(w().team.home, nomdc_aes);
  BOOST_REQUIRE(i2);
  BOOST_TEST(crypto::to_string(i2->status) == "integrity");
  BOOST_TEST(i2->plaintext.empty());

  // Tampered ciphertext (binary, so the armor checksum cannot catch it first): flip a byte near the end.
  std::string bin = w().alice.gpg("-r " + w().team.fpr + " --trust-model always -e", std::string(2000, 'x'));
  bin[bin.size() - 30] ^= 0x40;
  auto t = crypto::decrypt(w().team.home, bin);
  BOOST_REQUIRE(t);
  BOOST_TEST(crypto::to_string(t->status) == "integrity");
  BOOST_TEST(t->plaintext.empty());

  // Not OpenPGP at all.
  auto g = crypto::decrypt(w().team.home, "hello world");
  BOOST_REQUIRE(g);
  BOOST_TEST(crypto::to_string(g->status) == "failed");

  // A clearsigned text is not a decryption even though gpg --decrypt prints it.
  std::string clear = w().alice.gpg("--clearsign", "signed words\n");
  auto c = crypto::decrypt(w().team.home, clear);
  BOOST_REQUIRE(c);
  BOOST_TEST(crypto::to_string(c->status) != "ok");
  BOOST_TEST(c->plaintext.empty());
}

BOOST_AUTO_TEST_CASE(signatures_good_bad_and_unknown) {
  std::string data = "line one\r\nline two\r\n";
  std::string sig = w().alice.gpg("-a --detach-sign", data);
  auto good = crypto::verify_detached(w().team.home, data, sig);
  BOOST_REQUIRE(good);
  BOOST_REQUIRE(good->size() == 1u);
  BOOST_TEST(crypto::to_string(good->at(0).result) == "good");
  BOOST_TEST(good->at(0).fingerprint == w().alice.fpr);
  BOOST_TEST(good->at(0).uid_emails.at(0) == "alice@example.net");
  BOOST_TEST(!good->at(0).certified);

  auto bad = crypto::verify_detached(w().team.home, "line one\r\nline 2\r\n", sig);
  BOOST_REQUIRE(bad);
  BOOST_TEST(crypto::to_string(bad->at(0).result) == "bad");

  temp_dir t;
  gpg_home stranger(t, "stranger", "stranger@example.com");
  auto unknown = crypto::verify_detached(stranger.home, data, sig);
  BOOST_REQUIRE(unknown);
  BOOST_TEST(crypto::to_string(unknown->at(0).result) == "unknown-key");

  std::string clear = w().alice.gpg("--clearsign", "- dashed line\nplain\n");
  auto op = crypto::verify_opaque(w().team.home, clear);
  BOOST_REQUIRE(op);
  BOOST_TEST(crypto::to_string(op->signatures.at(0).result) == "good");
  BOOST_TEST(op->plaintext.find("- dashed line") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(certified_key_reports_certified) {
  temp_dir t;
  gpg_home team2(t, "team2", "vmt@example.org");
  team2.import_from(w().alice);
  team2.certify(w().alice);
  std::string sig = w().alice.gpg("-a --detach-sign", "x");
  auto r = crypto::verify_detached(team2.home, "x", sig);
  BOOST_REQUIRE(r);
  BOOST_TEST(r->at(0).certified);
  auto k = crypto::find_key(team2.home, w().alice.fpr);
  BOOST_TEST((*k)->certified);
}

BOOST_AUTO_TEST_CASE(compose_signed_is_rfc3156_and_verifies) {
  auto c = crypto::compose(w().team.home, sample(false));
  BOOST_REQUIRE(c);
  const std::string& m = c->bytes;
  BOOST_TEST(m.find("\n") == m.find("\r\n") + 1);  // CRLF throughout
  auto doc = message::parse(m, {});
  BOOST_TEST(doc.root.type.mime() == "multipart/signed");
  BOOST_TEST(doc.root.type.params.get("protocol") == "application/pgp-signature");
  BOOST_TEST(doc.root.type.params.get("micalg").rfind("pgp-sha", 0) == 0u);
  BOOST_REQUIRE(doc.root.children.size() == 2u);
  BOOST_TEST(doc.root.children[1].type.mime() == "application/pgp-signature");
  auto signed_bytes = message::raw_bytes(doc, doc.root.children[0]);
  auto sigs =
      crypto::verify_detached(w().alice.home, signed_bytes, message::body_bytes(doc, doc.root.children[1]));
  BOOST_REQUIRE(sigs);
  BOOST_TEST(crypto::to_string(sigs->at(0).result) == "good");
  BOOST_TEST(sigs->at(0).fingerprint == w().team.fpr);
  // Outer headers: encoded subject, message id, extra header; the content has the attachment.
  BOOST_TEST(doc.root.value("subject").find("=?UTF-8?B?") != std::string::npos);
  BOOST_TEST(doc.root.value("message-id") == "<" + c->message_id + ">");
  BOOST_TEST(doc.root.value("x-vmt-case") == "VMT-2026-001");
  const auto& content = doc.root.children[0];
  BOOST_TEST(content.type.mime() == "multipart/mixed");
  BOOST_TEST(content.type.params.get("protected-headers") == "v1");
  BOOST_REQUIRE(content.children.size() == 2u);
  BOOST_TEST(content.children[1].filename == "fix.patch");
  BOOST_TEST(message::decoded_body(doc, content.children[1]) == sample(false).attachments[0].data);
  std::string text = message::to_lf(message::text_of(doc, content.children[0]));
  BOOST_TEST(text == sample(false).body);
}

BOOST_AUTO_TEST_CASE(compose_encrypted_can_hide_subject_and_signs_inside) {
  auto m = sample(true);
  m.hide_subject = true;  // templates that say `Outer-Subject: hidden`
  auto c = crypto::compose(w().team.home, m);
  BOOST_REQUIRE(c);
  auto doc = message::parse(c->bytes, {});
  BOOST_TEST(doc.root.type.mime() == "multipart/encrypted");
  BOOST_TEST(doc.root.type.params.get("protocol") == "application/pgp-encrypted");
  BOOST_TEST(doc.root.value("subject") == "...");
  BOOST_TEST(c->bytes.find("ünicode") == std::string::npos);
  BOOST_REQUIRE(doc.root.children.size() == 2u);
  BOOST_TEST(message::decoded_body(doc, doc.root.children[0]).find("Version: 1") == 0u);
  auto d = crypto::decrypt(w().alice.home, message::body_bytes(doc, doc.root.children[1]));
  BOOST_REQUIRE(d);
  BOOST_REQUIRE(crypto::to_string(d->status) == std::string("ok"));
  BOOST_REQUIRE(d->signatures.size() == 1u);
  BOOST_TEST(crypto::to_string(d->signatures[0].result) == "good");
  BOOST_TEST(d->signatures[0].fingerprint == w().team.fpr);
  auto inner = message::parse(d->plaintext, {});
  BOOST_TEST(inner.root.type.params.get("protected-headers") == "v1");
  BOOST_TEST(message::decode_words(inner.root.value("subject")) == "[OSSA-2026-001] Nova: ünicode subject");
  // The team can read its own outbox copy (encrypt_to_self).
  auto self = crypto::decrypt(w().team.home, message::body_bytes(doc, doc.root.children[1]));
  BOOST_REQUIRE(self);
  BOOST_TEST(crypto::to_string(self->status) == "ok");
}

// The seed's subjects ([pre-OSSA], [vs]) are what lists and linux-distros filter on: an
// encrypted mail keeps its real outer Subject unless its template asks to hide it; the protected
// header repeats it inside, and the Auto-Submitted header a template asks for is on the outside.
BOOST_AUTO_TEST_CASE(compose_encrypted_keeps_the_real_subject_by_default) {
  auto m = sample(true);
  m.subject = "[pre-OSSA] Vulnerability in OpenStack Nova (CVE-2026-12345)";
  m.auto_submitted = "auto-generated";
  auto c = crypto::compose(w().team.home, m);
  BOOST_REQUIRE(c);
  auto doc = message::parse(c->bytes, {});
  BOOST_TEST(doc.root.type.mime() == "multipart/encrypted");
  BOOST_TEST(message::decode_words(doc.root.value("subject")) == m.subject);
  BOOST_TEST(doc.root.value("auto-submitted") == "auto-generated");
  auto d = crypto::decrypt(w().alice.home, message::body_bytes(doc, doc.root.children[1]));
  BOOST_REQUIRE(d);
  auto inner = message::parse(d->plaintext, {});
  BOOST_TEST(message::decode_words(inner.root.value("subject")) == m.subject);
}

BOOST_AUTO_TEST_CASE(compose_never_lets_report_data_add_header_lines) {
  auto m = sample(false);
  m.subject = "Hi\r\nBcc: victim@example.com\r\n\r\nbody injection";
  m.to = {{"Eve\r\nBcc: x@y.z", "alice@example.net"}};
  m.headers = {{"X-VMT-Note", "a\nX-Evil: 1"}, {"X-Trick", "=?utf-8?b?QmNjOiBldmls?= literal"}};
  auto c = crypto::compose(w().team.home, m);
  BOOST_REQUIRE(c);
  auto doc = message::parse(c->bytes, {});
  BOOST_TEST(doc.root.header_count("bcc") == 0);
  BOOST_TEST(doc.root.header_count("x-evil") == 0);
  BOOST_TEST(message::decode_words(doc.root.value("subject")) ==
             "Hi  Bcc: victim@example.com    body injection");
  // A literal "=?...?=" from report data is itself encoded, so readers show it literally.
  BOOST_TEST(message::decode_words(doc.root.value("x-trick")) == "=?utf-8?b?QmNjOiBldmls?= literal");
  for (const char* bad_addr : {"alice@example.net>\r\nBcc: x@y", "no-at-sign", "a b@c.d", ""}) {
    auto mm = sample(false);
    mm.to = {{"x", bad_addr}};
    auto r = crypto::compose(w().team.home, mm);
    BOOST_TEST(!r, bad_addr);
    if (!r) BOOST_TEST(r.err().kind == failure::data);
  }
  auto bad_name = sample(false);
  bad_name.headers = {{"Bcc", "x@y.z"}};
  BOOST_TEST(!crypto::compose(w().team.home, bad_name));
  auto bad_id = sample(false);
  bad_id.message_id = "a b@c";
  BOOST_TEST(!crypto::compose(w().team.home, bad_id));
}

BOOST_AUTO_TEST_CASE(compose_refuses_missing_keys) {
  auto m = sample(true);
  m.sign_with = w().alice.fpr;  // no secret key for Alice in the team home
  auto r = crypto::compose(w().team.home, m);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.err().kind == failure::config);
  auto m2 = sample(true);
  m2.encrypt_to = {"0123456789ABCDEF0123456789ABCDEF01234567"};
  auto r2 = crypto::compose(w().team.home, m2);
  BOOST_REQUIRE(!r2);
  BOOST_TEST(r2.err().kind == failure::data);
}
