// fuzz_advisory: the advisory and note YAML loaders (advisory::load_text, load_note_text), the
// checker, and the renderers a loaded advisory goes through (rST mail, HTML page, OSV and CVE JSON
// records, the note text), with the shipped templates. An advisory file is written by a person,
// but it is parsed by the site build and by `vmt affects`, which must fail with a message, never
// crash or hang, whatever the file holds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "advisory/advisory.h"
#include "advisory/render.h"

namespace {
vmt::advisory::renderer* r = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  vmt::advisory::render_options o;
  o.template_roots = {std::string(VMT_SOURCE_DIR) + "/templates"};
  r = new vmt::advisory::renderer(o);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vmt::advisory;
  std::string yaml(reinterpret_cast<const char*>(data), size);
  if (auto a = load_text("OSSA-2026-001.yaml", yaml)) {
    for (const auto& p : check(*a)) (void)format_problem("OSSA-2026-001.yaml", p);
    (void)r->rst(*a);
    (void)r->html(*a);
    (void)r->records(*a);
  }
  if (auto n = load_note_text("OSSN-0001.yaml", yaml)) {
    (void)check(*n);
    (void)r->text(*n);
    (void)r->html(*n);
  }
  return 0;
}
