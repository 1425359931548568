// text.h: the small ASCII and UTF-8 string helpers every module needs, kept in one place.
#pragma once

#include <string>
#include <string_view>

namespace vmt::text {

// ASCII lower case. Mail header names, MIME tokens, fingerprints and HTTP header names are
// case-insensitive in ASCII only: std::tolower under a non-C locale would fold other bytes too.
std::string lower(std::string_view s);

// Length of the valid UTF-8 sequence at s[i] (1 to 4), or 0 when none starts there (overlong
// forms, surrogates and code points past U+10FFFF are not valid).
std::size_t utf8_sequence(std::string_view s, std::size_t i);

// The offset of the first byte that is not part of valid UTF-8, or npos when `s` is all valid.
// Trackers' JSON APIs and nlohmann::json refuse invalid UTF-8: check coordinator input with this
// and say where the bad byte is rather than fail deep inside a request.
std::size_t first_invalid_utf8(std::string_view s);

}  // namespace vmt::text
