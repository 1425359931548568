// gpg.cpp: gpgme contexts bound to one GnuPG home (see gpg.h).
#include "crypto/gpg.h"

#include <gpg-error.h>
#include <gpgme++/engineinfo.h>
#include <gpgme++/global.h>
#include <gpgme++/interfaces/passphraseprovider.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>

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

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

result<std::unique_ptr<GpgME::Context>> open(const std::string& gnupg_home) {
  std::call_once(init_once, [] { GpgME::initializeLibrary(); });
  // gpg before 2.2.8 could release plaintext of messages without integrity protection.
  static const bool engine_ok = [] {
    auto info = GpgME::engineInfo(GpgME::OpenPGP);
    auto v = info.engineVersion();
    return v >= "2.2.8";
  }();
  if (!engine_ok)
    return make_error(failure::config, "gpg", "GnuPG 2.2.8 or later is needed (integrity checks)",
                      "upgrade gnupg");
  struct stat st;
  if (gnupg_home.empty() || ::stat(gnupg_home.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return make_error(failure::config, gnupg_home.empty() ? "gnupg_home" : gnupg_home,
                      "the GnuPG home does not exist", "run `vmt init` or set gnupg_home in vmt.yaml");
  std::unique_ptr<GpgME::Context> ctx(GpgME::Context::createForProtocol(GpgME::OpenPGP));
  if (!ctx)
    return make_error(failure::temporary, gnupg_home, "gpgme could not create a context",
                      "check that gpg is installed");
  if (auto e = ctx->setEngineHomeDirectory(gnupg_home.c_str())) return gpg_error(gnupg_home, "set home", e);
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
    email = lower(email);
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
  return ki;
}

}  // namespace vmt::crypto::detail
