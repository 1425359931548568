// keys.h: the keys a team depends on, and their health. Every configured party whose mail is
// signed or encrypted (the team key, the coordinators, the stakeholders, linux-distros, each
// project's PTL and security liaison) is looked up in the team's GnuPG home: present, usable,
// not expiring soon. `vmt keys check` prints it; `vmt keys list` shows who uses which key.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/status.h"

namespace vmt::workflow {

// One configured use of a key.
struct key_use {
  std::string role;   // "team key", "coordinator", "stakeholder", "linux-distros", "PTL of Nova", ...
  std::string name;
  std::string email;
  std::string fingerprint;  // as configured; empty when only an address is known
  bool needs_secret = false;  // the team key and the coordinators sign with it
  bool must_encrypt = false;  // mail to them is always encrypted
};

std::vector<key_use> configured_key_uses(const config::config& cfg);

enum class key_state { ok, expiring, expired, revoked, missing, unusable, no_secret };
const char* to_string(key_state s);

struct key_finding {
  key_use use;
  key_state state = key_state::ok;
  std::string fingerprint;  // the key found (may differ from the configured one when looked up by address)
  std::string expires;      // YYYY-MM-DD, empty: never
  long days_left = -1;      // until expiry, -1: never
  std::string what;         // for a person: what is wrong
  std::string fix;          // the command that fixes it
};

// Each configured use, judged against `now`: a key that expires within `within_days` is
// "expiring". Findings other than ok come first.
result<std::vector<key_finding>> check_keys(const config::config& cfg, long within_days);

// The OpenPGP keys a mail carries (an application/pgp-keys part, or an armored public key block in
// a text part, as people paste them), ready for crypto::import_keys. Empty when there are none.
std::string keys_in_mail(std::string_view raw);

}  // namespace vmt::workflow
