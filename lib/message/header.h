// header.h: header field values, both ways: reading structured values (Content-Type and
// Content-Disposition parameters, RFC 2047 encoded words, RFC 2231 continuations) and writing values
// that cannot add header lines.
//
// Writing is the security boundary for outbound mail: every value that may come from report data
// goes through encode_unstructured() or format_param(), which never copy CR, LF or NUL and turn
// non-ASCII text (and anything a reader would decode, such as a literal "=?") into encoded words.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vmt::message {

// Parameters of a structured field, names lower-cased, in order; RFC 2231 continuations joined and
// charset'lang'-encoded values decoded to UTF-8.
struct parameters {
  std::vector<std::pair<std::string, std::string>> list;
  // The first value of `name` (lower-case), or "".
  std::string get(std::string_view name) const;
  bool has(std::string_view name) const;
  int count(std::string_view name) const;
};

struct content_type {
  std::string type = "text";  // lower-case
  std::string subtype = "plain";
  parameters params;
  bool valid = true;  // false: the value was not type/subtype (RFC 2045 then says text/plain)
  std::string mime() const { return type + "/" + subtype; }
  bool is(std::string_view t, std::string_view s) const { return type == t && subtype == s; }
  bool multipart() const { return type == "multipart"; }
};

struct disposition {
  std::string kind;  // "inline", "attachment" or "" (absent)
  parameters params;
};

// Parse an unfolded Content-Type value (RFC 2045/2231). Comments are skipped, quoted-strings honour
// quoted-pairs, ';' inside quotes never splits. Invalid values give text/plain with valid=false.
content_type parse_content_type(std::string_view value);
disposition parse_disposition(std::string_view value);
// Parse "; name=value" parameter lists (exposed for tests).
parameters parse_parameters(std::string_view value);

// Decode RFC 2047 encoded words in an unstructured value to UTF-8; other text is read as UTF-8
// (invalid bytes replaced). Words that do not decode are kept literally. White space between two
// adjacent encoded words is dropped, as the RFC says.
std::string decode_words(std::string_view value);

// Remove folding (CRLF or LF followed by white space) from a raw header value and trim it.
std::string unfold(std::string_view raw);

// A header name a sender may use: printable ASCII without ':' or space, 1..76 characters.
bool valid_header_name(std::string_view name);

// `name: value` for an unstructured field (Subject, X-...): control characters (CR, LF, NUL, ...)
// become spaces; non-ASCII text, or text holding "=?", becomes UTF-8 encoded words; long lines are
// folded at 78 columns. Returns the whole field without the final CRLF.
std::string encode_unstructured(std::string_view name, std::string_view utf8_value);

// One encoded word sequence for `utf8` (used for display names), folded-safe.
std::string encode_words(std::string_view utf8);

// `; name="value"` for a parameter: quoted when needed, RFC 2231 (UTF-8''...) when non-ASCII.
// Control characters are removed.
std::string format_param(std::string_view name, std::string_view value);

// Fold a header line "Name: value" at white space so that lines stay under 78 columns when
// possible; lines are joined by CRLF + space. Never splits inside a word.
std::string fold(std::string_view line);

}  // namespace vmt::message
