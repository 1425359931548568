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

// An OpenPGP context on `gnupg_home`; failure::config when the home is missing, temporary when
// gpgme cannot make a context.
result<std::unique_ptr<GpgME::Context>> open(const std::string& gnupg_home);

// Does this gpgme error mean the environment failed (agent or engine unreachable) rather than the
// data being bad? Such errors are failure::temporary: the MTA retries later.
bool environment_failure(const GpgME::Error& e);

// A vmt error for a gpgme failure in `op` (no report text: gpgme's messages carry none).
error gpg_error(const std::string& gnupg_home, const std::string& op, const GpgME::Error& e);

key_info to_key_info(const GpgME::Key& k);

}  // namespace vmt::crypto::detail
