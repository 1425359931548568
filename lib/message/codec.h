// codec.h: transfer encodings and line endings: base64 and quoted-printable both ways, canonical CRLF,
// and conversion of text in a declared charset to UTF-8.
//
// Decoding goes through mimetic's codecs; the quoted-printable encoder is ours because mimetic 0.9.8's
// text-mode encoder turns line breaks into "=0A" (see docs/mail-parsing.md). Every function is linear
// in its input and never throws on malformed data: bad input gives best-effort output.
#pragma once

#include <string>
#include <string_view>

namespace vmt::message {

// Base64 (RFC 2045): characters outside the alphabet are skipped.
std::string base64_decode(std::string_view in);
// Base64 in CRLF-terminated lines of at most 76 characters (no trailing CRLF after the last line).
std::string base64_encode(std::string_view in);

// Quoted-printable (RFC 2045): malformed escapes are kept literally, soft line breaks removed.
std::string qp_decode(std::string_view in);
// Quoted-printable for a text body: CRLF lines, '=' and non-ASCII escaped, trailing white space and
// a leading "From " or "." escaped so that no transport rewrites a signed body.
std::string qp_encode_text(std::string_view utf8);

// Decode a body by its Content-Transfer-Encoding (7bit, 8bit, binary, base64, quoted-printable;
// unknown encodings are returned as they are).
std::string transfer_decode(std::string_view body, std::string_view encoding);

// Every line ending (CR, LF or CRLF) becomes CRLF: the canonical form RFC 3156 signs.
std::string to_crlf(std::string_view in);
// Every CRLF becomes LF (for text shown to people).
std::string to_lf(std::string_view in);

// Text in `charset` to UTF-8. Unknown charsets and invalid sequences never fail: invalid bytes
// become U+FFFD. An empty charset means US-ASCII (RFC 2045), read as UTF-8.
std::string to_utf8(std::string_view text, std::string_view charset);
// Replace invalid UTF-8 sequences by U+FFFD.
std::string repair_utf8(std::string_view text);

}  // namespace vmt::message
