// embedded.cpp: look-up in the compiled-in templates (see embedded.h).
#include "tmpl/embedded.h"

namespace vmt::tmpl {

std::optional<std::string_view> builtin(std::string_view name) {
  for (const auto& f : detail::builtin_files())
    if (f.name == name) return f.content;
  return std::nullopt;
}

}  // namespace vmt::tmpl
