// mime.h: a MIME tree over raw message bytes that keeps the exact byte range of every entity.
//
// Why offsets: RFC 3156 signs the first part of a multipart/signed exactly as it was sent (headers
// included, line endings made CRLF); a parser that rebuilds entities from decoded pieces cannot
// give those bytes back. The tree only holds offsets into the caller's buffer plus parsed headers,
// so memory stays proportional to the number of parts, not to the message size.
//
// Parsing never fails: hostile input gives a tree with `problems` noted on the entities concerned.
// It is bounded by `limits` (header size, line length, depth, number of parts) and linear in the
// input for each nesting level.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "message/header.h"

namespace vmt::message {

struct header_field {
  std::string name;   // as written (compare with iequals / header())
  std::string value;  // unfolded, trimmed, at most limits.max_line_bytes
};

struct limits {
  std::size_t max_header_bytes = 1u << 20;  // one entity's header block
  std::size_t max_line_bytes = 64u << 10;   // one header field after unfolding
  int max_depth = 32;                       // nesting of multiparts and message/rfc822
  int max_parts = 2000;                     // entities in the whole tree
};

struct entity {
  std::size_t begin = 0;       // first byte of the header block
  std::size_t body_begin = 0;  // first byte of the body
  std::size_t end = 0;         // one past the last byte (the CRLF before a delimiter excluded)
  int depth = 0;

  std::vector<header_field> headers;
  content_type type;  // text/plain when absent (message/rfc822 inside multipart/digest)
  bool type_given = false;
  std::string encoding;  // Content-Transfer-Encoding, lower-case, "" when absent
  disposition disp;
  std::string filename;  // Content-Disposition filename, else Content-Type name; decoded

  std::vector<entity> children;  // parts of a multipart; the inner message of message/rfc822
  bool preamble_text = false;    // non-blank text before the first delimiter
  bool epilogue_text = false;    // non-blank text after the close delimiter
  std::vector<std::string> problems;

  // First header `name` (case-insensitive), or nullptr.
  const header_field* header(std::string_view name) const;
  int header_count(std::string_view name) const;
  // The value of the first header `name`, or "".
  std::string value(std::string_view name) const;
  bool is_multipart() const { return type.multipart() && !children.empty(); }
};

struct document {
  std::string_view source;
  entity root;
  int parts = 0;           // entities in the tree
  bool truncated = false;  // a limit stopped the parse somewhere (see the entities' problems)
  bool mbox_from = false;  // a leading "From " line (mbox separator) was skipped
};

// Parse `source` (which must outlive the document).
document parse(std::string_view source, const limits& lim);

// Bytes of an entity: [begin, end), and its body [body_begin, end).
std::string_view raw_bytes(const document& d, const entity& e);
std::string_view body_bytes(const document& d, const entity& e);
// The body with its Content-Transfer-Encoding removed.
std::string decoded_body(const document& d, const entity& e);
// The decoded body of a text part converted to UTF-8 from its charset.
std::string text_of(const document& d, const entity& e);

// Every problem noted in the tree, each once ("missing-close-boundary", ...).
std::vector<std::string> all_problems(const entity& root);

bool iequals(std::string_view a, std::string_view b);

}  // namespace vmt::message
