// openpgp.h: the OpenPGP operations the inbound path needs: decrypt (with every secret key of the
// home), verify detached and opaque (clearsigned) signatures. Plain structs only; gpgme stays in
// lib/crypto.
//
// Expected failures (no secret key, tampered or unprotected ciphertext, bad signature, unknown key)
// are values. An error is returned only when the environment fails (failure::temporary) or the home
// is missing (failure::config). Plaintext is returned only when decryption succeeded with integrity
// protection: whatever gpg wrote before failing is thrown away.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vmt::crypto {

enum class sig_result { good, bad, unknown_key, error };
const char* to_string(sig_result r);

struct signature_check {
  sig_result result = sig_result::error;
  std::string fingerprint;              // primary key fingerprint when the key is known, else what gpg gave
  std::vector<std::string> uid_emails;  // lower-case, from valid (not revoked) user ids
  bool certified = false;               // validity full or ultimate in the home's web of trust
  bool key_expired = false;
  bool key_revoked = false;
  bool sig_expired = false;
  std::int64_t created = 0;  // signature creation time (Unix seconds)
};

enum class decrypt_status { ok, no_key, integrity, failed };
const char* to_string(decrypt_status s);

struct decrypt_outcome {
  decrypt_status status = decrypt_status::failed;
  std::string plaintext;                    // only when status == ok
  std::vector<std::string> recipients;      // key ids the ciphertext names ("0000000000000000": hidden)
  std::vector<signature_check> signatures;  // signatures inside the ciphertext (signed+encrypted)
  std::string detail;                       // gpgme's reason, for logs (never text)
};

// Decrypt an OpenPGP message (armored or binary). Integrity: a message without MDC/AEAD, a failed
// MDC or any decryption error after the session key was found is decrypt_status::integrity.
result<decrypt_outcome> decrypt(const std::string& gnupg_home, std::string_view ciphertext);

// Verify `signature` (armored or binary) over exactly `signed_data`.
result<std::vector<signature_check>> verify_detached(const std::string& gnupg_home,
                                                     std::string_view signed_data,
                                                     std::string_view signature);

struct opaque_outcome {
  std::vector<signature_check> signatures;
  std::string plaintext;  // the signed text (clearsigned: dash-escaping removed)
};
// Verify a clearsigned text or an opaque signed message.
result<opaque_outcome> verify_opaque(const std::string& gnupg_home, std::string_view signed_data);

// Stop the home's gpg-agent (tests, and `vmt` after key generation).
void stop_agent(const std::string& gnupg_home);

}  // namespace vmt::crypto
