// gpg.h: INTERNAL to lib/crypto (never included from outside it): gpgme contexts bound to one
// GnuPG home, and the conversion of gpgme keys and errors to vmt's plain types.
//
// Every context names its home explicitly (the environment's GNUPGHOME is never used), runs
// offline (no key server lookups) and in loopback pinentry mode without a passphrase provider, so
// a key that wants a passphrase fails at once instead of prompting.
#pragma once

#include <gpgme++/context.h>
#include <gpgme++/error.h>
#include <gpgme++/key.h>

#include <memory>
#include <string>

#include "core/status.h"
#include "crypto/keys.h"

namespace vmt::crypto::detail {

// Hands a context back to the pool of its home (settings reset) when the caller is done.
struct context_return {
  std::string home;
  void operator()(GpgME::Context* c) const;
};
using context_ptr = std::unique_ptr<GpgME::Context, context_return>;

// An OpenPGP context on `gnupg_home`; failure::config when the home is missing, temporary when
// gpgme cannot make a context. Contexts are pooled per home: binding a new context to a home makes
// gpgme run `gpg --version` again, which cost more than most operations themselves.
result<context_ptr> open(const std::string& gnupg_home);

// Does this gpgme error mean the environment failed (agent or engine unreachable) rather than the
// data being bad? Such errors are failure::temporary: the MTA retries later.
bool environment_failure(const GpgME::Error& e);

// A vmt error for a gpgme failure in `op` (no report text: gpgme's messages carry none).
error gpg_error(const std::string& gnupg_home, const std::string& op, const GpgME::Error& e);

key_info to_key_info(const GpgME::Key& k);

// The keys matching any of `ids` (fingerprints or key ids), in one public listing.
result<std::vector<GpgME::Key>> list_keys(GpgME::Context& ctx, const std::string& gnupg_home,
                                          const std::vector<std::string>& ids);
// Does `k` (or one of its subkeys) carry this fingerprint or key id?
bool key_matches(const GpgME::Key& k, const std::string& id);

}  // namespace vmt::crypto::detail
