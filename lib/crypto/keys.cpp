// keys.cpp: the team's GnuPG home through gpgme: look-ups, import/export, throwaway keys, and the
// home's unattended configuration (see keys.h).
#include "crypto/keys.h"

#include <gpg-error.h>
#include <gpgme++/data.h>
#include <gpgme++/importresult.h>
#include <gpgme++/keygenerationresult.h>
#include <gpgme++/keylistresult.h>
#include <gpgme.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>

#include "core/fs.h"
#include "core/text.h"
#include "crypto/gpg.h"

namespace vmt::crypto {

namespace {

// A key id or fingerprint: hex only (optionally 0x), so it cannot become a gpg pattern with meaning.
bool plausible_fpr(const std::string& s) {
  std::string t = s.rfind("0x", 0) == 0 ? s.substr(2) : s;
  return t.size() >= 16 && t.size() <= 40 && std::all_of(t.begin(), t.end(), ::isxdigit);
}

// List keys matching `pattern` (nullptr: all); secret_only lists secret keys.
result<std::vector<GpgME::Key>> list(GpgME::Context& ctx, const std::string& home, const char* pattern,
                                     bool secret_only) {
  std::vector<GpgME::Key> keys;
  if (auto e = ctx.startKeyListing(pattern, secret_only)) {
    if (e.code() == GPG_ERR_EOF) return keys;
    return detail::gpg_error(home, "key listing", e);
  }
  for (;;) {
    GpgME::Error e;
    GpgME::Key k = ctx.nextKey(e);
    if (e.code() == GPG_ERR_EOF || k.isNull()) break;
    if (e) {
      ctx.endKeyListing();
      if (detail::environment_failure(e)) return detail::gpg_error(home, "key listing", e);
      break;
    }
    keys.push_back(k);
    if (keys.size() > 10000) break;
  }
  auto r = ctx.endKeyListing();
  if (r.error() && detail::environment_failure(r.error()))
    return detail::gpg_error(home, "key listing", r.error());
  return keys;
}

status write_if_absent(const std::string& path, const std::string& text) {
  if (fs::exists(path)) return ok_v;
  return fs::write_file_atomic(path, text, 0600);
}

}  // namespace

result<std::optional<key_info>> find_key(const std::string& gnupg_home, const std::string& fpr) {
  if (!plausible_fpr(fpr)) return std::optional<key_info>{};
  VMT_TRY(ctx, detail::open(gnupg_home));
  ctx->setKeyListMode(GpgME::Local | GpgME::WithSecret);
  VMT_TRY(keys, list(*ctx, gnupg_home, fpr.c_str(), false));
  if (keys.empty()) return std::optional<key_info>{};
  return std::optional<key_info>{detail::to_key_info(keys.front())};
}

result<std::vector<key_info>> keys_for_email(const std::string& gnupg_home, const std::string& email) {
  std::string want = text::lower(email);
  if (want.empty() || want.find_first_of(" \t\r\n<>") != std::string::npos) return std::vector<key_info>{};
  VMT_TRY(ctx, detail::open(gnupg_home));
  ctx->setKeyListMode(GpgME::Local | GpgME::WithSecret);
  std::string pattern = "<" + want + ">";
  VMT_TRY(keys, list(*ctx, gnupg_home, pattern.c_str(), false));
  std::vector<std::pair<long, key_info>> found;
  for (const auto& k : keys) {
    key_info ki = detail::to_key_info(k);
    if (std::find(ki.emails.begin(), ki.emails.end(), want) == ki.emails.end()) continue;
    found.emplace_back(static_cast<long>(k.subkey(0).creationTime()), std::move(ki));
  }
  // Best first: usable for encryption, then certified, then newest.
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    if (a.second.usable_for_encryption() != b.second.usable_for_encryption())
      return a.second.usable_for_encryption();
    if (a.second.certified != b.second.certified) return a.second.certified;
    return a.first > b.first;
  });
  std::vector<key_info> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

result<std::vector<key_info>> all_keys(const std::string& gnupg_home) {
  VMT_TRY(ctx, detail::open(gnupg_home));
  VMT_TRY(keys, list(*ctx, gnupg_home, nullptr, false));
  VMT_TRY(secret, list(*ctx, gnupg_home, nullptr, true));  // a public listing does not say
  std::vector<key_info> out;
  for (const auto& k : keys) {
    out.push_back(detail::to_key_info(k));
    for (const auto& s : secret)
      if (s.primaryFingerprint() && out.back().fingerprint == s.primaryFingerprint()) out.back().has_secret = true;
  }
  return out;
}

result<std::vector<std::string>> secret_keys(const std::string& gnupg_home) {
  VMT_TRY(ctx, detail::open(gnupg_home));
  VMT_TRY(keys, list(*ctx, gnupg_home, nullptr, true));
  std::vector<std::string> out;
  for (const auto& k : keys)
    if (k.primaryFingerprint()) out.emplace_back(k.primaryFingerprint());
  return out;
}

result<std::vector<std::string>> import_keys(const std::string& gnupg_home, const std::string& data) {
  VMT_TRY(ctx, detail::open(gnupg_home));
  GpgME::Data in(data.data(), data.size(), false);
  GpgME::ImportResult r = ctx->importKeys(in);
  if (r.error()) {
    if (detail::environment_failure(r.error())) return detail::gpg_error(gnupg_home, "import", r.error());
    return make_error(failure::data, gnupg_home, std::string("import: ") + r.error().asString(),
                      "give an armored or binary OpenPGP key");
  }
  std::vector<std::string> out;
  for (const auto& imp : r.imports()) {
    if (imp.error() || !imp.fingerprint()) continue;
    std::string f = imp.fingerprint();
    if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
  }
  if (out.empty())
    return make_error(failure::data, gnupg_home, "import: no OpenPGP key found in the data",
                      "give an armored or binary OpenPGP key");
  return out;
}

result<std::string> export_public(const std::string& gnupg_home, const std::string& fpr) {
  if (!plausible_fpr(fpr))
    return make_error(failure::data, "fingerprint", "not a fingerprint: '" + fpr.substr(0, 60) + "'",
                      "give the 40 hex digits of the key");
  VMT_TRY(ctx, detail::open(gnupg_home));
  ctx->setArmor(true);
  GpgME::Data out;
  if (auto e = ctx->exportPublicKeys(fpr.c_str(), out)) return detail::gpg_error(gnupg_home, "export", e);
  std::string text = out.toString();
  if (text.empty())
    return make_error(failure::data, gnupg_home, "no public key " + fpr,
                      "import the key first (vmt keys import FILE)");
  return text;
}

result<std::string> generate_key(const std::string& gnupg_home, const std::string& name,
                                 const std::string& email, int days) {
  if (email.empty() || email.find_first_of(" \t\r\n<>") != std::string::npos ||
      email.find('@') == std::string::npos)
    return make_error(failure::data, "email", "not an address: '" + email.substr(0, 80) + "'",
                      "use local@domain");
  for (char c : name)
    if (c == '<' || c == '>' || static_cast<unsigned char>(c) < 0x20)
      return make_error(failure::data, "name", "a key name cannot hold '<', '>' or control characters");
  VMT_TRY_STATUS(prepare_home(gnupg_home));
  VMT_TRY(ctx, detail::open(gnupg_home));
  std::string uid = name.empty() ? "<" + email + ">" : name + " <" + email + ">";
  unsigned long expires = days > 0 ? static_cast<unsigned long>(days) * 86400ul : 0ul;
  unsigned flags = GPGME_CREATE_SIGN | GPGME_CREATE_CERT | GPGME_CREATE_NOPASSWD | GPGME_CREATE_FORCE |
                   (days > 0 ? 0u : static_cast<unsigned>(GPGME_CREATE_NOEXPIRE));
  GpgME::KeyGenerationResult gen = ctx->createKeyEx(uid.c_str(), "ed25519", 0, expires, GpgME::Key(), flags);
  if (gen.error() || !gen.fingerprint()) return detail::gpg_error(gnupg_home, "key generation", gen.error());
  std::string fpr = gen.fingerprint();
  GpgME::Error e;
  GpgME::Key key = ctx->key(fpr.c_str(), e, true);
  if (e || key.isNull()) return detail::gpg_error(gnupg_home, "key generation (lookup)", e);
  unsigned sub_flags = GPGME_CREATE_ENCR | GPGME_CREATE_NOPASSWD |
                       (days > 0 ? 0u : static_cast<unsigned>(GPGME_CREATE_NOEXPIRE));
  if (auto se = ctx->createSubkey(key, "cv25519", 0, expires, sub_flags))
    return detail::gpg_error(gnupg_home, "encryption subkey generation", se);
  return fpr;
}

status prepare_home(const std::string& gnupg_home) {
  VMT_TRY_STATUS(fs::make_private_dir(gnupg_home));
  ::chmod(gnupg_home.c_str(), 0700);  // gpg refuses homes others can read
  // Unattended use: never prompt, never ask a key server, SHA-256 or better for signatures.
  VMT_TRY_STATUS(write_if_absent(fs::join(gnupg_home, "gpg.conf"),
                                 "# vmt: unattended use (written by vmt; edit with care)\n"
                                 "pinentry-mode loopback\n"
                                 "no-auto-key-retrieve\n"
                                 "auto-key-locate local\n"
                                 "personal-digest-preferences SHA512 SHA384 SHA256\n"
                                 "cert-digest-algo SHA256\n"
                                 "no-greeting\n"));
  VMT_TRY_STATUS(write_if_absent(fs::join(gnupg_home, "gpg-agent.conf"),
                                 "# vmt: unattended use (written by vmt)\n"
                                 "allow-loopback-pinentry\n"));
  return ok_v;
}

}  // namespace vmt::crypto
