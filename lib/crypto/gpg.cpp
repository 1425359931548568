// gpg.cpp: gpgme contexts bound to one GnuPG home (see gpg.h).
#include "crypto/gpg.h"

#include <gpg-error.h>
#include <gpgme.h>
#include <gpgme++/engineinfo.h>
#include <gpgme++/global.h>
#include <gpgme++/interfaces/passphraseprovider.h>
#include <gpgme++/keylistresult.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <mutex>
#include <vector>

#include "core/text.h"

namespace vmt::crypto::detail {

namespace {

std::once_flag init_once;

// Answers every passphrase request with an empty passphrase. Cancelling would make gpg stop at
// the first passphrase-protected key; a wrong (empty) answer makes it give that key up and try the
// next one, so one protected key in the home cannot block decryption with the others.
class no_passphrase : public GpgME::PassphraseProvider {
 public:
  char* getPassphrase(const char*, const char*, bool, bool& canceled) override {
    canceled = false;
    return ::strdup("");
  }
};
no_passphrase refuse_passphrase;

}  // namespace

namespace {
std::mutex pool_mutex;
std::map<std::string, std::vector<std::unique_ptr<GpgME::Context>>> pool;
}  // namespace

void context_return::operator()(GpgME::Context* c) const {
  if (!c) return;
  // Back to a fresh context's settings, so that the next user inherits nothing.
  c->clearSigningKeys();
  c->setArmor(false);
  c->setTextMode(false);
  c->setSender(nullptr);
  c->setKeyListMode(GpgME::Local);
  std::lock_guard lock(pool_mutex);
  pool[home].emplace_back(c);
}

result<context_ptr> open(const std::string& gnupg_home) {
  std::call_once(init_once, [] {
    // Every context names its home, so gpgme need not ask gpgconf for default folders; without
    // this it runs gpgconf three times at start.
    gpgme_set_global_flag("disable-gpgconf", "1");
    GpgME::initializeLibrary();
  });
  {
    std::lock_guard lock(pool_mutex);
    auto& free = pool[gnupg_home];
    if (!free.empty()) {
      context_ptr c(free.back().release(), context_return{gnupg_home});
      free.pop_back();
      return c;
    }
  }
  struct stat st;
  if (gnupg_home.empty() || ::stat(gnupg_home.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return make_error(failure::config, gnupg_home.empty() ? "gnupg_home" : gnupg_home,
                      "the GnuPG home does not exist", "run `vmt init` or set gnupg_home in vmt.yaml");
  context_ptr ctx(GpgME::Context::createForProtocol(GpgME::OpenPGP), context_return{gnupg_home});
  if (!ctx)
    return make_error(failure::temporary, gnupg_home, "gpgme could not create a context",
                      "check that gpg is installed");
  if (auto e = ctx->setEngineHomeDirectory(gnupg_home.c_str())) return gpg_error(gnupg_home, "set home", e);
  // gpg before 2.2.8 could release plaintext of messages without integrity protection. The
  // context's own engine info: asking for the global one makes gpgme probe every engine (gpgsm...).
  if (!(ctx->engineInfo().engineVersion() >= "2.2.8"))
    return make_error(failure::config, "gpg", "GnuPG 2.2.8 or later is needed (integrity checks)", "upgrade gnupg");
  ctx->setOffline(true);
  ctx->setPinentryMode(GpgME::Context::PinentryLoopback);
  ctx->setPassphraseProvider(&refuse_passphrase);
  ctx->setKeyListMode(GpgME::Local);
  return ctx;
}

bool environment_failure(const GpgME::Error& e) {
  switch (e.code()) {
    case GPG_ERR_NO_AGENT:
    case GPG_ERR_AGENT:
    case GPG_ERR_ASS_CONNECT_FAILED:
    case GPG_ERR_ASS_GENERAL:
    case GPG_ERR_INV_ENGINE:
    case GPG_ERR_ENGINE_TOO_OLD:
    case GPG_ERR_NOT_OPERATIONAL:
    case GPG_ERR_EPIPE:
    case GPG_ERR_ENOMEM:
    case GPG_ERR_ENOSPC:
    case GPG_ERR_EAGAIN:
    case GPG_ERR_TIMEOUT:
    case GPG_ERR_EIO:
    case GPG_ERR_LOCKED:
      return true;
    default:
      return false;
  }
}

error gpg_error(const std::string& gnupg_home, const std::string& op, const GpgME::Error& e) {
  bool temp = environment_failure(e);
  return make_error(
      temp ? failure::temporary : failure::data, gnupg_home, op + ": " + e.asString(),
      temp ? "check that gpg-agent can start for this home (disk space, permissions); retried later"
           : "check the key material");
}

key_info to_key_info(const GpgME::Key& k) {
  key_info ki;
  if (k.isNull()) return ki;
  ki.fingerprint = k.primaryFingerprint() ? k.primaryFingerprint() : "";
  for (const auto& uid : k.userIDs()) {
    if (uid.id()) ki.uids.emplace_back(uid.id());
    if (uid.isRevoked() || uid.isInvalid()) continue;
    std::string email = uid.email() ? uid.email() : "";
    if (!email.empty() && email.front() == '<' && email.back() == '>')
      email = email.substr(1, email.size() - 2);
    email = text::lower(email);
    if (!email.empty() && std::find(ki.emails.begin(), ki.emails.end(), email) == ki.emails.end())
      ki.emails.push_back(email);
    if (uid.validity() >= GpgME::UserID::Full) ki.certified = true;
  }
  ki.has_secret = k.hasSecret();
  ki.can_encrypt = k.canEncrypt();
  ki.can_sign = k.canSign();
  ki.expired = k.isExpired();
  ki.revoked = k.isRevoked();
  ki.disabled = k.isDisabled();
  ki.invalid = k.isInvalid();
  long long primary = 0, encryption = -1;
  const auto subkeys = k.subkeys();
  for (std::size_t i = 0; i < subkeys.size(); ++i) {
    const auto& sk = subkeys[i];
    if (i == 0) primary = sk.neverExpires() ? 0 : static_cast<long long>(sk.expirationTime());
    if (!sk.canEncrypt() || sk.isRevoked() || sk.isInvalid() || sk.isDisabled()) continue;
    long long e = sk.neverExpires() ? 0 : static_cast<long long>(sk.expirationTime());
    if (encryption != 0 && (e == 0 || e > encryption)) encryption = e;
  }
  ki.expires = primary;
  if (ki.can_encrypt && encryption > 0 && (primary == 0 || encryption < primary)) ki.expires = encryption;
  return ki;
}

result<std::vector<GpgME::Key>> list_keys(GpgME::Context& ctx, const std::string& gnupg_home,
                                          const std::vector<std::string>& ids) {
  std::vector<const char*> patterns;
  for (const auto& id : ids)
    if (!id.empty()) patterns.push_back(id.c_str());
  patterns.push_back(nullptr);
  std::vector<GpgME::Key> out;
  if (patterns.size() == 1) return out;
  // Public listing only: --with-secret asks the agent about every key and costs more than the
  // listing itself; a missing secret key shows when signing fails.
  ctx.setKeyListMode(GpgME::Local);
  if (auto e = ctx.startKeyListing(patterns.data(), false)) {
    if (environment_failure(e)) return gpg_error(gnupg_home, "key lookup", e);
    return out;
  }
  for (;;) {
    GpgME::Error e;
    GpgME::Key k = ctx.nextKey(e);
    if (e || k.isNull()) break;
    out.push_back(k);
  }
  auto done = ctx.endKeyListing();
  if (done.error() && environment_failure(done.error())) return gpg_error(gnupg_home, "key lookup", done.error());
  return out;
}

bool key_matches(const GpgME::Key& k, const std::string& id) {
  auto up = [](std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  };
  const std::string want = up(id);
  auto tail_matches = [&](const char* fpr) {
    if (!fpr) return false;
    std::string f = up(fpr);
    return f == want || (want.size() >= 16 && f.size() >= want.size() && f.compare(f.size() - want.size(), want.size(), want) == 0);
  };
  if (tail_matches(k.primaryFingerprint())) return true;
  for (const auto& sk : k.subkeys())
    if (tail_matches(sk.fingerprint())) return true;
  return false;
}

}  // namespace vmt::crypto::detail
