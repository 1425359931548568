// keys.h: the team's GnuPG home as vmt sees it: find keys, judge whether a key may be encrypted
// to, import and export, and make throwaway keys for demos and tests.
//
// gpgme types stay inside lib/crypto; callers see plain structs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace vmt::crypto {

struct key_info {
  std::string fingerprint;
  std::vector<std::string> emails;  // from the user ids, lower-cased
  std::vector<std::string> uids;    // full user ids
  bool has_secret = false;
  bool can_encrypt = false;
  bool can_sign = false;
  bool expired = false;
  bool revoked = false;
  bool disabled = false;
  bool invalid = false;
  bool certified = false;  // validity full or ultimate in the team's web of trust
  // When the key stops being usable (seconds since the epoch, 0: never): the earlier of the
  // primary key's expiry and, for an encryption-capable key, its longest-lived encryption subkey's.
  long long expires = 0;
  // Usable to encrypt to: not expired, revoked, disabled or invalid, and has an encryption subkey.
  bool usable_for_encryption() const { return can_encrypt && !expired && !revoked && !disabled && !invalid; }
};

// Look up a key by fingerprint (or long key id).
result<std::optional<key_info>> find_key(const std::string& gnupg_home, const std::string& fpr);
// Keys whose user ids carry `email` (case-insensitive), best first (valid, encryption-capable).
result<std::vector<key_info>> keys_for_email(const std::string& gnupg_home, const std::string& email);
// Every public key in the home (has_secret set where the secret key is there too).
result<std::vector<key_info>> all_keys(const std::string& gnupg_home);
// Fingerprints of every secret key in the home.
result<std::vector<std::string>> secret_keys(const std::string& gnupg_home);

// Import armored or binary key material; returns the fingerprints imported or updated.
result<std::vector<std::string>> import_keys(const std::string& gnupg_home, const std::string& data);
// Armored public key.
result<std::string> export_public(const std::string& gnupg_home, const std::string& fpr);

// Generate a key without passphrase (demo and tests only): ed25519 signing, cv25519 encryption
// subkey, valid for `days`. Returns the fingerprint.
result<std::string> generate_key(const std::string& gnupg_home, const std::string& name,
                                 const std::string& email, int days = 365);

// Create the GnuPG home (0700) with a gpg.conf/gpg-agent.conf suited to unattended use.
status prepare_home(const std::string& gnupg_home);

}  // namespace vmt::crypto
