// openpgp.cpp: decryption and signature verification through gpgme (see openpgp.h).
//
// SECURITY: gpg writes plaintext as it decrypts and only reports a missing or failed MDC at the
// end, so the output buffer may hold unauthenticated text when the operation fails; it is dropped
// here on every failure path and never reaches the caller.
#include "crypto/openpgp.h"

#include <fcntl.h>
#include <gpg-error.h>
#include <gpgme++/data.h>
#include <gpgme++/decryptionresult.h>
#include <gpgme++/interfaces/dataprovider.h>
#include <gpgme++/verificationresult.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "crypto/gpg.h"

extern char** environ;

namespace vmt::crypto {

namespace {

// Output of gpg written straight into a std::string (GpgME::Data's own buffer would need a second
// copy of a possibly large plaintext).
class string_sink : public GpgME::DataProvider {
 public:
  std::string text;
  bool isSupported(Operation op) const override { return op == Write || op == Release || op == Seek; }
  ssize_t read(void*, size_t) override { return -1; }
  ssize_t write(const void* buffer, size_t size) override {
    text.append(static_cast<const char*>(buffer), size);
    return static_cast<ssize_t>(size);
  }
  off_t seek(off_t offset, int whence) override {
    // gpgme only rewinds an empty sink or asks for the current end.
    if (offset == 0 && (whence == SEEK_END || whence == SEEK_CUR)) return static_cast<off_t>(text.size());
    if (offset == 0 && whence == SEEK_SET) return 0;
    return -1;
  }
  void release() override {}
};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// One gpgme signature as a plain verdict; the signer's key is looked up in the same home (never
// through Signature::key(), which would open a context on the default home).
signature_check convert(GpgME::Context& ctx, const GpgME::Signature& sig) {
  signature_check sc;
  sc.created = static_cast<std::int64_t>(sig.creationTime());
  sc.fingerprint = sig.fingerprint() ? sig.fingerprint() : "";
  auto code = sig.status().code();
  auto summary = sig.summary();
  switch (code) {
    case GPG_ERR_NO_ERROR:
      sc.result = sig_result::good;
      break;
    case GPG_ERR_KEY_EXPIRED:
      sc.result = sig_result::good;
      sc.key_expired = true;
      break;
    case GPG_ERR_SIG_EXPIRED:
      sc.result = sig_result::good;
      sc.sig_expired = true;
      break;
    case GPG_ERR_CERT_REVOKED:
      sc.result = sig_result::good;
      sc.key_revoked = true;
      break;
    case GPG_ERR_BAD_SIGNATURE:
      sc.result = sig_result::bad;
      break;
    case GPG_ERR_NO_PUBKEY:
      sc.result = sig_result::unknown_key;
      break;
    default:
      sc.result = sig_result::error;
  }
  if (summary & GpgME::Signature::KeyMissing) sc.result = sig_result::unknown_key;
  if (summary & GpgME::Signature::KeyRevoked) sc.key_revoked = true;
  if (summary & GpgME::Signature::KeyExpired) sc.key_expired = true;
  if (summary & GpgME::Signature::SigExpired) sc.sig_expired = true;
  sc.certified = sig.validity() == GpgME::Signature::Full || sig.validity() == GpgME::Signature::Ultimate;
  if (sc.result != sig_result::unknown_key && !sc.fingerprint.empty()) {
    GpgME::Error e;
    GpgME::Key k = ctx.key(sc.fingerprint.c_str(), e, false);
    if (!e && !k.isNull()) {
      key_info ki = detail::to_key_info(k);
      sc.fingerprint = ki.fingerprint;
      sc.uid_emails = ki.emails;
      if (ki.revoked) sc.key_revoked = true;
    }
  }
  return sc;
}

std::vector<signature_check> convert_all(GpgME::Context& ctx, const GpgME::VerificationResult& vr) {
  std::vector<signature_check> out;
  for (const auto& s : vr.signatures()) out.push_back(convert(ctx, s));
  return out;
}

}  // namespace

const char* to_string(sig_result r) {
  switch (r) {
    case sig_result::good:
      return "good";
    case sig_result::bad:
      return "bad";
    case sig_result::unknown_key:
      return "unknown-key";
    case sig_result::error:
      return "error";
  }
  return "error";
}

const char* to_string(decrypt_status s) {
  switch (s) {
    case decrypt_status::ok:
      return "ok";
    case decrypt_status::no_key:
      return "no-key";
    case decrypt_status::integrity:
      return "integrity";
    case decrypt_status::failed:
      return "failed";
  }
  return "failed";
}

result<decrypt_outcome> decrypt(const std::string& gnupg_home, std::string_view ciphertext) {
  VMT_TRY(ctx, detail::open(gnupg_home));
  GpgME::Data in(ciphertext.data(), ciphertext.size(), false);
  string_sink sink;
  GpgME::Data out(&sink);
  auto [dr, vr] = ctx->decryptAndVerify(in, out);
  decrypt_outcome res;
  for (const auto& r : dr.recipients())
    if (r.keyID()) res.recipients.emplace_back(r.keyID());
  // gpgme reports the session key's algorithm only once a session key was found ("?" when unknown).
  const char* sym = dr.symkeyAlgo();
  if (sym && (!*sym || *sym == '?')) sym = nullptr;
  // "ALGO.PGPCFB" is the old encrypted-data packet without MDC: no integrity protection at all.
  bool unprotected = dr.isLegacyCipherNoMDC() || (sym && ends_with(sym, ".PGPCFB"));
  GpgME::Error e = dr.error();
  if (e) {
    if (detail::environment_failure(e)) return detail::gpg_error(gnupg_home, "decrypt", e);
    res.detail = e.asString();
    bool all_no_key = !dr.recipients().empty();
    for (const auto& r : dr.recipients())
      if (r.status().code() != GPG_ERR_NO_SECKEY) all_no_key = false;
    auto code = e.code();
    if (unprotected) {
      res.status = decrypt_status::integrity;
    } else if (code == GPG_ERR_NO_SECKEY || all_no_key) {
      res.status = decrypt_status::no_key;
    } else if (code == GPG_ERR_NO_PASSPHRASE || code == GPG_ERR_BAD_PASSPHRASE || code == GPG_ERR_CANCELED) {
      res.status = decrypt_status::no_key;  // a key that wants a passphrase is not usable unattended
      res.detail = "secret key needs a passphrase";
    } else if (sym) {
      res.status = decrypt_status::integrity;  // the session key was found, then the data failed
    } else {
      res.status = decrypt_status::failed;
    }
    return res;
  }
  // Success means gpg saw a good MDC or AEAD tag: since 2.2.8 it fails any message without one
  // (open() refuses older engines). gpgme's mode string cannot tell AEAD from the unprotected
  // packet on 2.2 (both read "PGPCFB"), so only the legacy-cipher flag is checked here.
  if (dr.isLegacyCipherNoMDC()) {
    res.status = decrypt_status::integrity;
    res.detail = "no integrity protection";
    return res;
  }
  if (!sym && dr.recipients().empty()) {
    // gpg "decrypted" something that was not encrypted (a clearsigned text): not a decryption.
    res.status = decrypt_status::failed;
    res.detail = "no encrypted data";
    return res;
  }
  res.status = decrypt_status::ok;
  res.plaintext = std::move(sink.text);
  res.signatures = convert_all(*ctx, vr);
  if (vr.error() && detail::environment_failure(vr.error()))
    return detail::gpg_error(gnupg_home, "verify", vr.error());
  return res;
}

result<std::vector<signature_check>> verify_detached(const std::string& gnupg_home,
                                                     std::string_view signed_data,
                                                     std::string_view signature) {
  VMT_TRY(ctx, detail::open(gnupg_home));
  GpgME::Data sig(signature.data(), signature.size(), false);
  GpgME::Data text(signed_data.data(), signed_data.size(), false);
  GpgME::VerificationResult vr = ctx->verifyDetachedSignature(sig, text);
  if (vr.error() && detail::environment_failure(vr.error()))
    return detail::gpg_error(gnupg_home, "verify", vr.error());
  return convert_all(*ctx, vr);
}

result<opaque_outcome> verify_opaque(const std::string& gnupg_home, std::string_view signed_data) {
  VMT_TRY(ctx, detail::open(gnupg_home));
  GpgME::Data in(signed_data.data(), signed_data.size(), false);
  GpgME::Data out;
  GpgME::VerificationResult vr = ctx->verifyOpaqueSignature(in, out);
  if (vr.error() && detail::environment_failure(vr.error()))
    return detail::gpg_error(gnupg_home, "verify", vr.error());
  opaque_outcome res;
  res.signatures = convert_all(*ctx, vr);
  if (!res.signatures.empty()) res.plaintext = out.toString();
  return res;
}

namespace {

// Run gpgconf with `args` for this home; its standard output (up to 4 KiB), or "" on failure.
std::string gpgconf(const std::string& gnupg_home, std::initializer_list<const char*> args) {
  std::vector<const char*> argv{"gpgconf", "--homedir", gnupg_home.c_str()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(nullptr);
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return {};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  std::string text;
  if (posix_spawnp(&pid, "gpgconf", &fa, nullptr, const_cast<char* const*>(argv.data()), environ) == 0) {
    ::close(out[1]);
    char buf[4096];
    ssize_t n;
    while (text.size() < sizeof buf && (n = ::read(out[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
    int st;
    ::waitpid(pid, &st, 0);
  } else {
    ::close(out[1]);
  }
  ::close(out[0]);
  posix_spawn_file_actions_destroy(&fa);
  return text;
}

}  // namespace

void stop_agent(const std::string& gnupg_home) {
  std::string socket = gpgconf(gnupg_home, {"--list-dirs", "agent-socket"});
  while (!socket.empty() && (socket.back() == '\n' || socket.back() == '\r')) socket.pop_back();
  (void)gpgconf(gnupg_home, {"--kill", "gpg-agent"});
  // --kill only asks: the agent exits a moment later and removes its socket. Wait for that (up
  // to two seconds), so that "no agent left running" holds when the caller returns.
  for (int i = 0; i < 40 && !socket.empty() && ::access(socket.c_str(), F_OK) == 0; ++i) ::usleep(50 * 1000);
}

}  // namespace vmt::crypto
