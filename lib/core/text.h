// text.h: the small ASCII string helpers every module needs, kept in one place.
#pragma once

#include <string>
#include <string_view>

namespace vmt::text {

// ASCII lower case. Mail header names, MIME tokens, fingerprints and HTTP header names are
// case-insensitive in ASCII only: std::tolower under a non-C locale would fold other bytes too.
std::string lower(std::string_view s);

}  // namespace vmt::text
