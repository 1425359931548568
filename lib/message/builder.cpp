// builder.cpp: outbound MIME entities (see builder.h).
#include "message/builder.h"

#include <sys/random.h>

#include <stdexcept>

#include "message/codec.h"
#include "message/header.h"

namespace vmt::message {

std::string random_hex(std::size_t bytes) {
  static const char hex[] = "0123456789abcdef";
  std::string raw(bytes, '\0');
  std::size_t got = 0;
  while (got < bytes) {
    ssize_t n = ::getrandom(raw.data() + got, bytes - got, 0);
    if (n < 0) throw std::runtime_error("getrandom failed");  // a broken system, not bad input
    got += static_cast<std::size_t>(n);
  }
  std::string out;
  for (unsigned char c : raw) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

std::string make_boundary() {
  return "=_vmt_" + random_hex(12);
}

std::string content_type_line(std::string_view mime_type, std::string_view params) {
  return fold("Content-Type: " + std::string(mime_type) + std::string(params));
}

namespace {
// Can this text travel as 7bit inside a signed entity, untouched by any transport? ASCII only,
// lines under 998 octets, no trailing white space (some relays strip it, breaking the signature),
// no line an mbox writer would escape ("From ").
bool seven_bit_safe(std::string_view text) {
  std::size_t line_start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n') {
      auto line = text.substr(line_start, i - line_start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.size() > 990 || line.substr(0, 5) == "From ") return false;
      if (!line.empty() && (line.back() == ' ' || line.back() == '\t')) return false;
      line_start = i + 1;
      continue;
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x7f || (c < 0x20 && c != '\t' && c != '\r')) return false;
  }
  return true;
}
}  // namespace

part text_part(std::string_view utf8, std::string_view extra_params) {
  part p;
  p.header_lines.push_back(
      content_type_line("text/plain", format_param("charset", "utf-8") + std::string(extra_params)));
  // Quoted-printable only where needed: an announcement's plain rST stays readable as sent.
  if (seven_bit_safe(utf8)) {
    p.header_lines.push_back("Content-Transfer-Encoding: 7bit");
    p.body = to_crlf(utf8);
    if (!p.body.empty() && p.body.size() >= 2 && p.body.compare(p.body.size() - 2, 2, "\r\n") != 0) p.body += "\r\n";
    return p;
  }
  p.header_lines.push_back("Content-Transfer-Encoding: quoted-printable");
  p.body = qp_encode_text(repair_utf8(utf8));
  return p;
}

part attachment_part(std::string_view filename, std::string_view content_type, std::string_view data) {
  part p;
  std::string type(content_type);
  // Only a plain type/subtype is accepted from callers; anything else becomes octet-stream.
  auto ct = parse_content_type(type);
  bool plain = ct.valid && ct.params.list.empty() && type.find_first_of(";\r\n\"") == std::string::npos;
  p.header_lines.push_back(
      content_type_line(plain ? ct.mime() : "application/octet-stream", format_param("name", filename)));
  p.header_lines.push_back(fold("Content-Disposition: attachment" + format_param("filename", filename)));
  p.header_lines.push_back("Content-Transfer-Encoding: base64");
  p.body = base64_encode(data);
  return p;
}

part multipart(std::string_view subtype, std::vector<part> children, std::string_view params) {
  part p;
  p.boundary = make_boundary();
  p.header_lines.push_back(content_type_line("multipart/" + std::string(subtype),
                                             std::string(params) + format_param("boundary", p.boundary)));
  p.children = std::move(children);
  return p;
}

std::string serialize(const part& p) {
  if (p.verbatim) return p.body;
  std::string out;
  for (const auto& h : p.header_lines) out += h + "\r\n";
  out += "\r\n";
  if (p.children.empty()) {
    out += p.body;
    return out;
  }
  for (const auto& c : p.children) {
    out += "--" + p.boundary + "\r\n";
    out += serialize(c);
    out += "\r\n";
  }
  out += "--" + p.boundary + "--\r\n";
  return out;
}

}  // namespace vmt::message
