// armor.h: INTERNAL to lib/intake: finding inline OpenPGP blocks (RFC 4880 ASCII armor) in text.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace vmt::intake::detail {

struct armor_block {
  enum kind_t { message, signed_message } kind;
  std::size_t begin;  // first byte of the "-----BEGIN" line
  std::size_t end;    // one past the end of the "-----END" line (its line break included)
};

// Complete armored blocks in `text`, in order (at most `max_blocks`). A BEGIN line without its END
// line is not a block. Marker lines must start at the beginning of a line; trailing white space is
// tolerated. `broken` is set when a BEGIN line had no matching END.
std::vector<armor_block> find_armor(std::string_view text, bool& broken, std::size_t max_blocks = 16);

}  // namespace vmt::intake::detail
