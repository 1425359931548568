// taxonomy.cpp: the report taxonomy table (see taxonomy.h).
#include "process/taxonomy.h"

#include <array>
#include <cctype>

namespace vmt::process {

namespace {
// Copied from the seed's "Report Taxonomy" table; keep the wording exact (advisories and notes
// quote it).
constexpr std::array<report_class, 10> classes{{
    {"A", outcome::ossa, "A vulnerability to be fixed in master and all supported releases"},
    {"B1", outcome::ossn,
     "A vulnerability that can only be fixed in master, security note for stable branches, e.g., "
     "default config value is insecure"},
    {"B2", outcome::ossn,
     "A vulnerability without a complete fix yet, security note for all versions, e.g., poor "
     "architecture / design"},
    {"B3", outcome::ossn,
     "A vulnerability in experimental or debugging features not intended for production use"},
    {"C1", outcome::potential_ossn,
     "Not considered a practical vulnerability (but some people might assign a CVE for it)"},
    {"C2", outcome::potential_ossn,
     "A vulnerability, but not in OpenStack supported code, e.g., in a dependency"},
    {"D", outcome::potential_ossn,
     "Not a vulnerability, just a bug with (some) security implications, e.g., strengthening "
     "opportunities / misleading documentation"},
    {"E", outcome::none, "Neither a vulnerability nor hardening opportunity"},
    {"Y", outcome::none, "Vulnerability only found in development release"},
    {"Z", outcome::none, "When due process fails"},
}};
}  // namespace

std::span<const report_class> taxonomy() {
  return classes;
}

std::string_view outcome_name(outcome o) {
  switch (o) {
    case outcome::ossa:
      return "OSSA";
    case outcome::ossn:
      return "OSSN";
    case outcome::potential_ossn:
      return "Potential OSSN";
    case outcome::none:
      return "none";
  }
  return "none";
}

result<report_class> find_class(std::string_view id) {
  std::string key;
  for (char c : id) key += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (key.rfind("CLASS ", 0) == 0) key.erase(0, 6);
  for (const auto& c : classes)
    if (key == c.id) return c;
  std::string all;
  for (const auto& c : classes) all += (all.empty() ? "" : ", ") + std::string(c.id);
  return make_error(failure::usage, "class", "unknown report class '" + std::string(id) + "'",
                    "use one of " + all + " (vmt taxonomy prints what each means)");
}

}  // namespace vmt::process
