// codec.cpp: transfer encodings, line endings and charsets (see codec.h).
#include "message/codec.h"

#include <iconv.h>
#include <mimetic/codec/base64.h>
#include <mimetic/codec/code.h>
#include <mimetic/codec/qp.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <iterator>

#include "core/text.h"

namespace vmt::message {

namespace {

// Trim spaces and tabs at both ends.
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

constexpr const char* replacement = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

std::string base64_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size() / 4 * 3 + 3);
  mimetic::Base64::Decoder dec;
  mimetic::decode(in.begin(), in.end(), dec, std::back_inserter(out));
  return out;
}

std::string base64_encode(std::string_view in) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  // mimetic's encoder ends lines with a bare LF; the signed and sent form needs CRLF, so the
  // alphabet walk is done here in one pass (a trivial, well-tested transform).
  std::string out;
  out.reserve(in.size() / 3 * 4 + in.size() / 57 * 2 + 8);
  std::size_t col = 0;
  auto put = [&](char c) {
    if (col == 76) {
      out += "\r\n";
      col = 0;
    }
    out += c;
    ++col;
  };
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    put(alphabet[(v >> 18) & 63]);
    put(alphabet[(v >> 12) & 63]);
    put(alphabet[(v >> 6) & 63]);
    put(alphabet[v & 63]);
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    put(alphabet[(v >> 18) & 63]);
    put(alphabet[(v >> 12) & 63]);
    put(i + 1 < in.size() ? alphabet[(v >> 6) & 63] : '=');
    put('=');
  }
  return out;
}

std::string qp_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  mimetic::QP::Decoder dec;
  mimetic::decode(in.begin(), in.end(), dec, std::back_inserter(out));
  return out;
}

std::string qp_encode_text(std::string_view utf8) {
  // Hand-rolled: mimetic 0.9.8's QP::Encoder escapes line breaks as =0A even in text mode, which
  // would turn a text body into one logical line (docs/mail-parsing.md).
  static const char hex[] = "0123456789ABCDEF";
  std::string canon = to_crlf(utf8);
  std::string out;
  out.reserve(canon.size() + canon.size() / 8);
  std::size_t pos = 0;
  while (pos <= canon.size()) {
    auto eol = canon.find("\r\n", pos);
    std::string_view line(canon.data() + pos, (eol == std::string::npos ? canon.size() : eol) - pos);
    std::string enc;
    std::size_t col = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(line[i]);
      bool last = i + 1 == line.size();
      bool escape = c == '=' || c >= 0x7F || (c < 0x20 && c != '\t') || ((c == ' ' || c == '\t') && last) ||
                    (i == 0 && c == 'F' && line.substr(0, 5) == "From ") || (i == 0 && c == '.' && last);
      std::string piece =
          escape ? std::string{'=', hex[c >> 4], hex[c & 15]} : std::string(1, static_cast<char>(c));
      // Soft break: at most 76 characters per line including the trailing '='.
      if (col + piece.size() > 75) {
        enc += "=\r\n";
        col = 0;
      }
      enc += piece;
      col += piece.size();
    }
    out += enc;
    if (eol == std::string::npos) break;
    out += "\r\n";
    pos = eol + 2;
  }
  return out;
}

std::string transfer_decode(std::string_view body, std::string_view encoding) {
  std::string e = text::lower(trim(encoding));
  if (e == "base64") return base64_decode(body);
  if (e == "quoted-printable") return qp_decode(body);
  return std::string(body);
}

std::string to_crlf(std::string_view in) {
  std::string out;
  out.reserve(in.size() + in.size() / 32);
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '\r') {
      out += "\r\n";
      if (i + 1 < in.size() && in[i + 1] == '\n') ++i;
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string to_lf(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\r' && i + 1 < in.size() && in[i + 1] == '\n') continue;
    out += in[i];
  }
  return out;
}

std::string repair_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = text::utf8_sequence(text, i);
    if (n == 0) {
      out += replacement;
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string to_utf8(std::string_view text, std::string_view charset) {
  std::string cs = text::lower(trim(charset));
  if (cs.size() >= 2 && cs.front() == '"' && cs.back() == '"') cs = cs.substr(1, cs.size() - 2);
  if (cs.empty() || cs == "utf-8" || cs == "utf8" || cs == "us-ascii" || cs == "ascii" || cs.size() > 40)
    return repair_utf8(text);
  iconv_t cd = ::iconv_open("UTF-8", cs.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return repair_utf8(text);
  std::string out;
  out.reserve(text.size() + text.size() / 2);
  char buf[4096];
  char* in = const_cast<char*>(text.data());
  std::size_t in_left = text.size();
  while (in_left > 0) {
    char* o = buf;
    std::size_t o_left = sizeof buf;
    std::size_t r = ::iconv(cd, &in, &in_left, &o, &o_left);
    out.append(buf, static_cast<std::size_t>(o - buf));
    if (r == static_cast<std::size_t>(-1)) {
      if (errno == E2BIG) continue;
      // EILSEQ or EINVAL (truncated input): one replacement character, skip one byte.
      out += replacement;
      ++in;
      --in_left;
      ::iconv(cd, nullptr, nullptr, nullptr, nullptr);
    }
  }
  char* o = buf;
  std::size_t o_left = sizeof buf;
  ::iconv(cd, nullptr, nullptr, &o, &o_left);
  out.append(buf, static_cast<std::size_t>(o - buf));
  ::iconv_close(cd);
  return repair_utf8(out);
}

}  // namespace vmt::message
