// header.cpp: structured header values and safe header output (see header.h).
//
// The parameter tokenizer is ours rather than mimetic::ContentType's: mimetic 0.9.8 splits
// `boundary="abc;def"` at the quoted ';' and keeps quoted-pairs escaped, so it would read another
// boundary than the sender and every other mail reader - the kind of parser differential that
// signature-wrapping attacks are built on (docs/mail-parsing.md).
#include "message/header.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"
#include "message/codec.h"

namespace vmt::message {

namespace {

constexpr std::size_t max_comment_depth = 16;

bool is_wsp(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// RFC 2045 token character (tspecials and controls excluded).
bool is_token_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u <= 32 || u >= 127) return false;
  return std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

// A cursor over a structured value that skips white space and (nested) comments.
struct cursor {
  std::string_view s;
  std::size_t i = 0;

  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }

  void skip_cfws() {
    while (!done()) {
      if (is_wsp(s[i])) {
        ++i;
      } else if (s[i] == '(') {
        std::size_t depth = 0;
        while (!done()) {
          char c = s[i++];
          if (c == '\\' && !done()) {
            ++i;
          } else if (c == '(') {
            ++depth;
          } else if (c == ')') {
            if (--depth == 0) break;
          }
          if (depth > max_comment_depth) break;
        }
      } else {
        break;
      }
    }
  }

  std::string token() {
    std::size_t b = i;
    while (!done() && is_token_char(s[i])) ++i;
    return std::string(s.substr(b, i - b));
  }

  // A quoted-string starting at '"': quoted-pairs unescaped; an unterminated string runs to the end.
  std::string quoted() {
    std::string out;
    ++i;
    while (!done()) {
      char c = s[i++];
      if (c == '"') break;
      if (c == '\\' && !done()) c = s[i++];
      if (c == '\r' || c == '\n') continue;
      out += c;
    }
    return out;
  }

  // A lenient parameter value: quoted-string, or anything up to ';' or white space (senders often
  // leave '=' or '/' unquoted, e.g. boundary=----=_Part_1).
  std::string value() {
    if (peek() == '"') return quoted();
    std::size_t b = i;
    while (!done() && s[i] != ';' && !is_wsp(s[i])) ++i;
    return std::string(s.substr(b, i - b));
  }
};

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 2231 extended value: charset'language'percent-encoded.
std::string decode_2231(std::string_view v, std::string* charset_out) {
  auto q1 = v.find('\'');
  auto q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
  std::string charset;
  if (q2 != std::string_view::npos) {
    charset = std::string(v.substr(0, q1));
    v.remove_prefix(q2 + 1);
  }
  if (charset_out) *charset_out = charset;
  std::string raw;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '%' && i + 2 < v.size() && hexval(v[i + 1]) >= 0 && hexval(v[i + 2]) >= 0) {
      raw += static_cast<char>(hexval(v[i + 1]) * 16 + hexval(v[i + 2]));
      i += 2;
    } else {
      raw += v[i];
    }
  }
  return raw;
}

// Replace control characters by spaces (decoded text may hold CR/LF; nothing downstream wants them).
std::string no_controls(std::string s) {
  for (auto& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return s;
}

}  // namespace

std::string parameters::get(std::string_view name) const {
  for (const auto& [k, v] : list)
    if (k == name) return v;
  return {};
}

bool parameters::has(std::string_view name) const {
  for (const auto& kv : list)
    if (kv.first == name) return true;
  return false;
}

int parameters::count(std::string_view name) const {
  int n = 0;
  for (const auto& kv : list)
    if (kv.first == name) ++n;
  return n;
}

parameters parse_parameters(std::string_view value) {
  parameters out;
  // RFC 2231 pieces: name -> (index -> (value, extended)).
  struct piece {
    std::string base;
    int index;
    bool extended;
    std::string value;
  };
  std::vector<piece> pieces;
  cursor c{value};
  while (!c.done()) {
    c.skip_cfws();
    if (c.peek() != ';') {
      // Junk between parameters: skip to the next ';'.
      while (!c.done() && c.peek() != ';') {
        if (c.peek() == '"') {
          c.quoted();
        } else {
          ++c.i;
        }
      }
      if (c.done()) break;
    }
    ++c.i;  // ';'
    c.skip_cfws();
    std::string name = text::lower(c.token());
    c.skip_cfws();
    if (name.empty() || c.peek() != '=') continue;
    ++c.i;
    c.skip_cfws();
    std::string v = c.value();
    if (pieces.size() >= 256) break;  // bounded: nobody needs more
    // name*N*, name*N, name*
    piece p{name, -1, false, v};
    auto star = name.find('*');
    if (star != std::string::npos) {
      p.base = name.substr(0, star);
      std::string rest = name.substr(star + 1);
      if (!rest.empty() && rest.back() == '*') {
        p.extended = true;
        rest.pop_back();
      } else if (rest.empty()) {
        p.extended = true;
      }
      if (!rest.empty() && rest.size() <= 3 && std::all_of(rest.begin(), rest.end(), ::isdigit)) {
        p.index = std::stoi(rest);
        if (rest.empty()) p.index = -1;
      } else if (!rest.empty()) {
        p.base = name;  // not RFC 2231: keep as is
        p.extended = false;
      }
    }
    pieces.push_back(std::move(p));
  }
  // Join RFC 2231 continuations in index order; plain parameters keep their position.
  std::vector<std::string> done_bases;
  for (const auto& p : pieces) {
    bool continued = p.index >= 0 || p.extended;
    if (!continued) {
      out.list.emplace_back(p.base, p.value);
      continue;
    }
    if (std::find(done_bases.begin(), done_bases.end(), p.base) != done_bases.end()) continue;
    done_bases.push_back(p.base);
    std::string charset, raw;
    bool any_extended = false;
    for (int idx = -1; idx < 100; ++idx) {
      const piece* found = nullptr;
      for (const auto& q : pieces)
        if (q.base == p.base && q.index == idx && (q.index >= 0 || q.extended)) found = &q;
      if (!found) {
        if (idx >= 0) break;
        continue;
      }
      if (found->extended) {
        std::string cs;
        std::string part = decode_2231(found->value, idx <= 0 ? &cs : nullptr);
        if (idx <= 0) charset = cs;
        raw += part;
        any_extended = true;
      } else {
        raw += found->value;
      }
    }
    out.list.emplace_back(p.base, any_extended ? to_utf8(raw, charset) : raw);
  }
  // Names that came only through RFC 2231 must not shadow a plain one listed earlier: get() returns
  // the first, which is the sender's plain value when both exist.
  return out;
}

content_type parse_content_type(std::string_view value) {
  content_type ct;
  cursor c{value};
  c.skip_cfws();
  std::string type = text::lower(c.token());
  c.skip_cfws();
  if (c.peek() != '/' || type.empty()) {
    ct.valid = false;
    ct.params = parse_parameters(value.substr(std::min(value.find(';'), value.size())));
    return ct;
  }
  ++c.i;
  c.skip_cfws();
  std::string sub = text::lower(c.token());
  if (sub.empty()) {
    ct.valid = false;
    return ct;
  }
  ct.type = type;
  ct.subtype = sub;
  ct.params = parse_parameters(value.substr(c.i));
  return ct;
}

disposition parse_disposition(std::string_view value) {
  disposition d;
  cursor c{value};
  c.skip_cfws();
  d.kind = text::lower(c.token());
  d.params = parse_parameters(value.substr(c.i));
  return d;
}

std::string decode_words(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  std::string pending_ws;  // white space after an encoded word, dropped if another word follows
  bool last_was_word = false;
  std::size_t i = 0;
  while (i < v.size()) {
    if (v[i] == '=' && i + 1 < v.size() && v[i + 1] == '?') {
      // =?charset?enc?text?=
      auto q1 = v.find('?', i + 2);
      std::size_t q2 = q1 == std::string_view::npos ? q1 : q1 + 2;
      bool ok = q2 != std::string_view::npos && q2 < v.size() && v[q2] == '?' && q1 - i < 80;
      auto end = ok ? v.find("?=", q2 + 1) : std::string_view::npos;
      ok = ok && end != std::string_view::npos && end - i < 1024;
      if (ok) {
        std::string_view charset = v.substr(i + 2, q1 - i - 2);
        char enc = static_cast<char>(std::toupper(static_cast<unsigned char>(v[q1 + 1])));
        std::string_view text = v.substr(q2 + 1, end - q2 - 1);
        ok = (enc == 'B' || enc == 'Q') && text.find_first_of(" \t\r\n") == std::string_view::npos &&
             !charset.empty();
        if (ok) {
          std::string raw;
          if (enc == 'B') {
            raw = base64_decode(text);
          } else {
            std::string t(text);
            for (auto& ch : t)
              if (ch == '_') ch = ' ';
            raw = qp_decode(t);
          }
          auto star = charset.find('*');  // RFC 2231 language suffix
          if (star != std::string_view::npos) charset = charset.substr(0, star);
          if (!last_was_word) out += pending_ws;
          pending_ws.clear();
          out += to_utf8(raw, charset);
          last_was_word = true;
          i = end + 2;
          continue;
        }
      }
    }
    if (v[i] == ' ' || v[i] == '\t') {
      pending_ws += v[i];
      ++i;
      continue;
    }
    out += pending_ws;
    pending_ws.clear();
    // Plain text up to the next white space or encoded word start.
    std::size_t b = i;
    while (i < v.size() && v[i] != ' ' && v[i] != '\t' &&
           !(v[i] == '=' && i + 1 < v.size() && v[i + 1] == '?'))
      ++i;
    if (i == b) ++i;  // a lone "=?" that did not decode
    out += repair_utf8(v.substr(b, i - b));
    last_was_word = false;
  }
  out += pending_ws;
  return no_controls(std::move(out));
}

std::string unfold(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (c == '\r' || c == '\n') continue;
    out += c;
  }
  std::size_t b = 0, e = out.size();
  while (b < e && (out[b] == ' ' || out[b] == '\t')) ++b;
  while (e > b && (out[e - 1] == ' ' || out[e - 1] == '\t')) --e;
  return out.substr(b, e - b);
}

bool valid_header_name(std::string_view name) {
  if (name.empty() || name.size() > 76) return false;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126 || c == ':') return false;
  }
  return true;
}

std::string fold(std::string_view line) {
  std::string out;
  std::size_t col = 0;
  std::size_t i = 0;
  while (i < line.size()) {
    // Next word with its leading white space.
    std::size_t b = i;
    while (i < line.size() && line[i] == ' ') ++i;
    while (i < line.size() && line[i] != ' ') ++i;
    std::string_view word = line.substr(b, i - b);
    bool has_lead = !word.empty() && word.front() == ' ';
    if (col > 0 && has_lead && col + word.size() > 78 &&
        word.find_first_not_of(' ') != std::string_view::npos) {
      out += "\r\n";
      col = 0;
    }
    out += word;
    col += word.size();
  }
  return out;
}

std::string encode_words(std::string_view utf8) {
  std::string clean = repair_utf8(no_controls(std::string(utf8)));
  std::string out;
  std::size_t i = 0;
  while (i < clean.size()) {
    // Up to 39 bytes per word, never splitting a UTF-8 sequence.
    std::size_t n = std::min<std::size_t>(39, clean.size() - i);
    while (n > 0 && i + n < clean.size() && (static_cast<unsigned char>(clean[i + n]) & 0xC0) == 0x80) --n;
    if (n == 0) n = 1;
    if (!out.empty()) out += ' ';
    std::string b64 = base64_encode(clean.substr(i, n));
    out += "=?UTF-8?B?" + b64 + "?=";
    i += n;
  }
  return out;
}

std::string encode_unstructured(std::string_view name, std::string_view utf8_value) {
  std::string v = no_controls(std::string(utf8_value));
  // Trim: leading/trailing white space has no meaning in an unstructured field.
  auto b = v.find_first_not_of(' ');
  auto e = v.find_last_not_of(' ');
  v = b == std::string::npos ? std::string() : v.substr(b, e - b + 1);
  bool ascii = true;
  for (char c : v)
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
  if (ascii && v.find("=?") == std::string::npos) return fold(std::string(name) + ": " + v);
  return fold(std::string(name) + ": " + encode_words(v));
}

std::string format_param(std::string_view name, std::string_view value) {
  std::string v = no_controls(std::string(value));
  bool ascii = true, token = !v.empty();
  for (char c : v) {
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
    if (!is_token_char(c)) token = false;
  }
  if (!ascii) {
    static const char hex[] = "0123456789ABCDEF";
    std::string enc = "UTF-8''";
    for (char c : repair_utf8(v)) {
      unsigned char u = static_cast<unsigned char>(c);
      if (std::isalnum(u) || std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos) {
        enc += c;
      } else {
        enc += '%';
        enc += hex[u >> 4];
        enc += hex[u & 15];
      }
    }
    return "; " + std::string(name) + "*=" + enc;
  }
  if (token) return "; " + std::string(name) + "=" + v;
  std::string q = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  q += '"';
  return "; " + std::string(name) + "=" + q;
}

}  // namespace vmt::message
