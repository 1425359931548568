// keys.cpp: which keys the team depends on and whether each is usable (see keys.h).
#include "workflow/keys.h"

#include <algorithm>

#include "core/clock.h"
#include "crypto/keys.h"
#include "message/mime.h"

namespace vmt::workflow {

std::vector<key_use> configured_key_uses(const config::config& cfg) {
  std::vector<key_use> out;
  out.push_back({"team key", cfg.team.vendor + " " + cfg.team.name, cfg.team.address, cfg.team.key, true, false});
  for (const auto& c : cfg.team.coordinators) out.push_back({"coordinator", c.name, c.email, c.key, true, false});
  for (const auto& s : cfg.stakeholders) out.push_back({"stakeholder", s.name, s.email, s.key, false, s.encrypt});
  if (cfg.linux_distros)
    out.push_back({"linux-distros", cfg.linux_distros->name, cfg.linux_distros->email, cfg.linux_distros->key, false, true});
  for (const auto& p : cfg.projects) {
    const auto& display = p.display.empty() ? p.name : p.display;
    if (!p.ptl.email.empty()) out.push_back({"PTL of " + display, p.ptl.name, p.ptl.email, p.ptl.key, false, false});
    if (!p.liaison.email.empty())
      out.push_back({"security liaison of " + display, p.liaison.name, p.liaison.email, p.liaison.key, false, false});
  }
  return out;
}

const char* to_string(key_state s) {
  switch (s) {
    case key_state::ok: return "ok";
    case key_state::expiring: return "expiring";
    case key_state::expired: return "expired";
    case key_state::revoked: return "revoked";
    case key_state::missing: return "missing";
    case key_state::unusable: return "unusable";
    case key_state::no_secret: return "no-secret";
  }
  return "?";
}

namespace {

bool has_secret(const std::string& home, const std::string& fpr) {
  auto secret = crypto::secret_keys(home);
  return secret && std::find(secret->begin(), secret->end(), fpr) != secret->end();
}

// Judge one use. A use without a configured fingerprint is looked up by address: mail to someone
// whose key is unknown goes signed only, which is fine unless it must be encrypted.
result<key_finding> judge(const config::config& cfg, const key_use& u, long within_days) {
  const auto home = cfg.path(cfg.gnupg_home);
  key_finding f;
  f.use = u;
  const std::string who = u.role + (u.email.empty() ? "" : " " + u.email);
  std::optional<crypto::key_info> k;
  if (!u.fingerprint.empty()) {
    VMT_TRY(found, crypto::find_key(home, u.fingerprint));
    k = found;
  } else if (!u.email.empty()) {
    VMT_TRY(found, crypto::keys_for_email(home, u.email));
    if (!found.empty()) k = found.front();
  }
  if (!k) {
    if (u.fingerprint.empty() && !u.must_encrypt && !u.needs_secret) return f;  // nothing configured, nothing needed
    f.state = key_state::missing;
    f.what = who + ": " + (u.fingerprint.empty() ? "no key for this address" : "key " + u.fingerprint + " is not in " + home);
    f.fix = "vmt keys import FILE (their public key), or vmt keys import --from-mail MESSAGE";
    return f;
  }
  f.fingerprint = k->fingerprint;
  bool past = false;
  if (k->expires > 0) {
    auto at = clock::seconds{std::chrono::seconds{k->expires}};
    past = at <= clock::now();
    f.expires = clock::iso_date(std::chrono::floor<std::chrono::days>(at));
    f.days_left = static_cast<long>(std::chrono::floor<std::chrono::days>(at - clock::now()).count());
  }
  const bool encrypts = u.must_encrypt || !u.fingerprint.empty();
  if (k->revoked) {
    f.state = key_state::revoked;
    f.what = who + ": key " + k->fingerprint + " is revoked";
    f.fix = "ask them for their new key, then vmt keys import FILE and update " + cfg.file;
  } else if (k->expired || past) {
    f.state = key_state::expired;
    f.what = who + ": key " + k->fingerprint + " expired on " + f.expires;
    f.fix = "ask them to extend it (gpg --quick-set-expire) and send it again, then vmt keys import FILE";
  } else if (u.needs_secret && !has_secret(home, k->fingerprint)) {
    f.state = key_state::no_secret;
    f.what = who + ": the secret key of " + k->fingerprint + " is not in " + home + ": vmt cannot sign with it";
    f.fix = "import the secret key: vmt keys import FILE (gpg --export-secret-keys --armor " + k->fingerprint + ")";
  } else if (encrypts && !k->usable_for_encryption() && !u.needs_secret) {
    f.state = key_state::unusable;
    f.what = who + ": key " + k->fingerprint + " has no usable encryption subkey";
    f.fix = "ask them for a key with an encryption subkey, then vmt keys import FILE";
  } else if (f.days_left >= 0 && f.days_left <= within_days) {
    f.state = key_state::expiring;
    f.what = who + ": key " + k->fingerprint + " expires on " + f.expires + " (in " + std::to_string(f.days_left) + " days)";
    f.fix = u.needs_secret ? "extend it: gpg --homedir " + home + " --quick-set-expire " + k->fingerprint + " 1y"
                           : "ask them to extend it and send it again, then vmt keys import FILE";
  }
  return f;
}

}  // namespace

result<std::vector<key_finding>> check_keys(const config::config& cfg, long within_days) {
  std::vector<key_finding> out;
  for (const auto& u : configured_key_uses(cfg)) {
    VMT_TRY(f, judge(cfg, u, within_days));
    out.push_back(std::move(f));
  }
  std::stable_partition(out.begin(), out.end(), [](const key_finding& f) { return f.state != key_state::ok; });
  return out;
}

namespace {

void collect_keys(const message::document& d, const message::entity& e, std::string& out) {
  for (const auto& c : e.children) collect_keys(d, c, out);
  if (!e.children.empty()) return;
  const auto body = message::decoded_body(d, e);
  if (e.type.mime() == "application/pgp-keys") {
    out += body + "\n";
    return;
  }
  static constexpr std::string_view begin = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
  static constexpr std::string_view end = "-----END PGP PUBLIC KEY BLOCK-----";
  for (auto b = body.find(begin); b != std::string::npos; b = body.find(begin, b + 1)) {
    auto x = body.find(end, b);
    if (x == std::string::npos) break;
    out += body.substr(b, x + end.size() - b) + "\n";
  }
}

}  // namespace

std::string keys_in_mail(std::string_view raw) {
  auto doc = message::parse(raw, {});
  std::string out;
  collect_keys(doc, doc.root, out);
  return out;
}

}  // namespace vmt::workflow
