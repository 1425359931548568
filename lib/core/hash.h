// hash.h: SHA-256 through libgcrypt (the GnuPG stack's own, already a dependency of gpgme).
#pragma once

#include <string>
#include <string_view>

namespace vmt::hash {

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace vmt::hash
