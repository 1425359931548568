// fuzz_mime: the MIME splitter alone (message::parse) on raw bytes, then everything a reader does
// with the tree: entity bytes, transfer decoding, charset conversion, header lookups, address lists
// and RFC 2047 words of From/To/Subject, and the inline OpenPGP block scan.
//
// Invariants checked beyond "no crash, no sanitizer report": every entity's byte range lies inside
// the input and is ordered; the depth and part limits hold.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "intake/armor.h"
#include "message/address.h"
#include "message/header.h"
#include "message/mime.h"

namespace {

using namespace vmt;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_mime: invariant broken: %s\n", what);
    std::abort();
  }
}

void walk(const message::document& d, const message::entity& e, const message::limits& lim, int& seen) {
  ++seen;
  if (!(e.begin <= e.body_begin && e.body_begin <= e.end && e.end <= d.source.size()))
    std::fprintf(stderr, "entity [%zu, %zu, %zu) of %zu bytes\n", e.begin, e.body_begin, e.end,
                 d.source.size());
  check(e.begin <= e.body_begin && e.body_begin <= e.end && e.end <= d.source.size(),
        "entity ranges ordered and inside");
  check(e.depth <= lim.max_depth + 1, "depth limit");
  auto raw = message::raw_bytes(d, e);
  check(raw.size() == e.end - e.begin, "raw_bytes is the range");
  (void)message::body_bytes(d, e);
  if (!e.is_multipart()) {
    auto text = message::text_of(d, e);
    if (e.type.type == "text") {
      bool broken = false;
      auto blocks = intake::detail::find_armor(text, broken);
      for (const auto& b : blocks)
        check(b.begin < b.end && b.end <= text.size(), "armor block inside the text");
    }
  }
  for (const char* h : {"from", "to", "cc", "reply-to", "sender"})
    if (const auto* f = e.header(h)) (void)message::parse_address_list(f->value);
  (void)message::decode_words(e.value("subject"));
  for (const auto& c : e.children) walk(d, c, lim, seen);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view src(reinterpret_cast<const char*>(data), size);
  message::limits lim;
  lim.max_header_bytes = 64 << 10;  // small limits make the limit paths reachable
  lim.max_line_bytes = 4 << 10;
  lim.max_depth = 12;
  lim.max_parts = 300;
  auto d = message::parse(src, lim);
  int seen = 0;
  walk(d, d.root, lim, seen);
  check(seen <= lim.max_parts + 1, "part limit");
  (void)message::all_problems(d.root);
  return 0;
}
