// fuzz_versions: the version parsers and range logic: process::parse_version (the release numbers
// of AFFECTED_VERSIONS), advisory::parse_version / parse_field (the "version" field of advisories,
// PEP 440 forms and free text) and the affects question. Invariants: compare() is antisymmetric
// and reflexive, a parsed process version prints back to something that parses to itself, and a
// range's bounds are well formed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "advisory/versions.h"
#include "process/versions.h"

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vmt;
  std::string in(reinterpret_cast<const char*>(data), size);
  // "A|B": two versions to compare, or a product field and a version field.
  auto bar = in.find('|');
  std::string a = in.substr(0, bar), b = bar == std::string::npos ? "" : in.substr(bar + 1);

  if (auto v = process::parse_version(a)) {
    auto back = process::parse_version(v->str());
    check(back && *back == *v);
    (void)v->next_patch();
    (void)process::in_series(b, *v);
    if (auto w = process::parse_version(b)) {
      bool ab = process::release_before(*v, *w), ba = process::release_before(*w, *v);
      check(!(ab && ba));
    }
  }
  auto va = advisory::parse_version(a), vb = advisory::parse_version(b);
  if (va) check(advisory::compare(*va, *va) == 0);
  if (va && vb) {
    int x = advisory::compare(*va, *vb), y = advisory::compare(*vb, *va);
    check((x < 0 && y > 0) || (x > 0 && y < 0) || (x == 0 && y == 0));
  }
  for (const auto& field : {in, b}) {
    auto f = advisory::parse_field(a.empty() ? "Nova" : a, field);
    for (const auto& g : f.groups)
      for (const auto& r : g.ranges) {
        auto bd = advisory::to_bounds(r);
        (void)bd;
        if (va) (void)r.contains(*va);
      }
  }
  return 0;
}
