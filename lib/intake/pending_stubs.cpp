// pending_stubs.cpp: TEMPORARY link stubs for the inbound analysis and the crypto adapter while
// they are developed on their own branch; removed when that branch lands. They refuse to work
// rather than pretend: analysis quarantines everything, compose fails.
#include "crypto/compose.h"
#include "crypto/keys.h"
#include "intake/analysis.h"

namespace vmt::intake {
const char* to_string(sig_status s) {
  switch (s) {
    case sig_status::none: return "none";
    case sig_status::valid: return "valid";
    case sig_status::partial: return "partial";
    case sig_status::bad: return "bad";
    case sig_status::unknown_key: return "unknown-key";
  }
  return "?";
}
const char* to_string(decryption) { return "none"; }
result<analysis> analyze(std::string_view, const options&) {
  return make_error(failure::temporary, "analysis", "not available in this build");
}
std::string verdict_json(const analysis&) { return "{}"; }
}  // namespace vmt::intake

namespace vmt::crypto {
result<std::optional<key_info>> find_key(const std::string&, const std::string&) { return std::optional<key_info>{}; }
result<std::vector<key_info>> keys_for_email(const std::string&, const std::string&) { return std::vector<key_info>{}; }
result<composed> compose(const std::string&, const outgoing&) {
  return make_error(failure::temporary, "compose", "not available in this build");
}
}  // namespace vmt::crypto

namespace vmt::crypto {
result<std::vector<std::string>> secret_keys(const std::string&) { return std::vector<std::string>{}; }
result<std::vector<std::string>> import_keys(const std::string&, const std::string&) {
  return make_error(failure::temporary, "keys", "not available in this build");
}
result<std::string> export_public(const std::string&, const std::string&) {
  return make_error(failure::temporary, "keys", "not available in this build");
}
result<std::string> generate_key(const std::string&, const std::string&, const std::string&, int) {
  return make_error(failure::temporary, "keys", "not available in this build");
}
status prepare_home(const std::string&) { return make_error(failure::temporary, "keys", "not available in this build"); }
}  // namespace vmt::crypto
