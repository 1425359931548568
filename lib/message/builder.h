// builder.h: outbound MIME entities, serialised with CRLF line endings so that the bytes built are
// the bytes signed (RFC 3156 canonical form) and the bytes sent.
//
// Header lines stored in a part are complete and already safe ("Name: value", folded): build them
// with header.h (encode_unstructured, format_param) or address.h (format_mailbox).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vmt::message {

struct part {
  std::vector<std::string> header_lines;  // "Content-Type: ...", no trailing CRLF
  std::string body;                       // transfer-encoded, CRLF; ignored for multiparts
  std::vector<part> children;             // non-empty: a multipart (boundary below)
  std::string boundary;
  bool verbatim = false;  // `body` is a complete entity already (headers included): copied as is
};

// A text/plain UTF-8 part, quoted-printable. `extra_params` are appended to the Content-Type
// (e.g. format_param("protected-headers", "v1")).
part text_part(std::string_view utf8, std::string_view extra_params = {});
// An attachment: base64, Content-Disposition: attachment with the (encoded) file name.
part attachment_part(std::string_view filename, std::string_view content_type, std::string_view data);
// A multipart of `subtype` with a fresh boundary; `params` appended to the Content-Type.
part multipart(std::string_view subtype, std::vector<part> children, std::string_view params = {});
// The Content-Type line of a part (multiparts get their boundary).
std::string content_type_line(std::string_view mime_type, std::string_view params);

// The entity as bytes: header lines, blank line, body (or delimited children). CRLF throughout,
// no CRLF after the body (the delimiter that follows owns it, RFC 2046 5.1.1).
std::string serialize(const part& p);

// A boundary that cannot occur in base64 or quoted-printable text ("=_" is in neither alphabet's
// unescaped output) and is unique: "=_vmt_" + 24 random hex digits.
std::string make_boundary();
// 16 random bytes as 32 hex digits (Message-ID local parts, boundaries).
std::string random_hex(std::size_t bytes);

}  // namespace vmt::message
