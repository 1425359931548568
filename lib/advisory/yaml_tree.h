// yaml_tree.h: a bounded YAML reader for advisory and note files (internal to the advisory module).
//
// yaml-cpp parses; we build our own small tree from its event stream because (1) the events tell
// plain scalars from quoted ones, which we need to read values as PyYAML (YAML 1.1) does, since the
// corpus was published through PyYAML (`version: 2014.1` is the float 2014.1, `date: 2026-05-11` a
// date), and (2) counting nesting while the events arrive stops a deeply nested file before
// yaml-cpp's recursive descent can exhaust the stack. Input size is bounded before parsing.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace vmt::advisory::detail {

struct mark {
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
};

// What YAML 1.1 (PyYAML's SafeLoader) makes of a scalar.
enum class scalar_type { string, integer, floating, boolean, null, date, timestamp };

struct node {
  enum class kind { scalar, sequence, map } type = kind::scalar;
  mark at;
  bool plain = false;                      // unquoted plain scalar (implicit typing applies)
  scalar_type resolved = scalar_type::string;
  std::string raw;                         // the scalar as written (after YAML folding)
  std::string text;                        // Python's str() of the resolved value
  std::vector<std::shared_ptr<node>> items;                                   // sequence
  std::vector<std::pair<std::shared_ptr<node>, std::shared_ptr<node>>> pairs;  // map, in order

  bool is_scalar() const { return type == kind::scalar; }
  bool is_null() const { return type == kind::scalar && resolved == scalar_type::null; }
  // Map lookup by key text; nullptr when absent.
  const node* get(const std::string& key) const;
};

struct limits {
  std::size_t max_bytes = 1u << 20;  // an advisory is a few KiB; the largest in the corpus is 9 KiB
  int max_depth = 32;                // the advisory schema nests 4 deep
  std::size_t max_nodes = 100000;
};

// Parse `text` (from `file`, for messages) into a tree. failure::data with "file:line:column: ..."
// on malformed YAML, too deep nesting, too large input, several documents, anchors or aliases.
result<std::shared_ptr<node>> parse(const std::string& file, const std::string& text,
                                    const limits& lim = {});

// Read and parse a file (size checked before reading the whole of it).
result<std::shared_ptr<node>> parse_file(const std::string& file, const limits& lim = {});

// YAML 1.1 implicit resolution of a plain scalar, as PyYAML does it; sets resolved and text.
void resolve_plain(node& n);

// Python's repr() of a double (shortest round-trip form, "2014.1", "1.0", "1e+20").
std::string python_float_repr(double v);

}  // namespace vmt::advisory::detail
