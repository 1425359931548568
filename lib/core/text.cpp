// text.cpp: ASCII string helpers (see text.h).
#include "core/text.h"

namespace vmt::text {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace vmt::text
