// hash.cpp: SHA-256 (see hash.h).
#include "core/hash.h"

#include <gcrypt.h>

namespace vmt::hash {

namespace {
void init_gcrypt() {
  static const bool done = [] {
    gcry_check_version(nullptr);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    return true;
  }();
  (void)done;
}
}  // namespace

std::string sha256_hex(std::string_view data) {
  init_gcrypt();
  unsigned char digest[32];
  gcry_md_hash_buffer(GCRY_MD_SHA256, digest, data.data(), data.size());
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(64, '0');
  for (int i = 0; i < 32; ++i) {
    out[2 * i] = hex[digest[i] >> 4];
    out[2 * i + 1] = hex[digest[i] & 15];
  }
  return out;
}

}  // namespace vmt::hash
