// layout.cpp: Python/Jinja2-compatible text transformations for the advisory templates (see layout.h).
//
// Hand-rolled on purpose: the published text was wrapped by Python's textwrap, whose word
// splitting (a regular expression with look-behind on letters before a hyphen) no C++ library
// reproduces; see docs/advisories.md. Character classes come from the C library's UTF-8 locale.
#include "advisory/layout.h"

#include <locale.h>
#include <wctype.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <mutex>

#include "tmpl/tmpl.h"

namespace vmt::advisory::layout {

namespace {

// Decode UTF-8 into code points; a malformed byte stands for itself (as U+DC80+byte would in
// Python's surrogateescape), so lengths stay sensible on bad input.
std::u32string decode(const std::string& s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) {
      out.push_back(0xDC00 + c);
      ++i;
      continue;
    }
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    bool ok = true;
    for (int k = 1; k < n; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 2) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (!ok) {
      out.push_back(0xDC00 + c);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += n;
  }
  return out;
}

std::string encode(char32_t cp) {
  std::string out;
  if (cp >= 0xDC80 && cp <= 0xDCFF) {  // a byte that was not UTF-8: give it back as it was
    out.push_back(static_cast<char>(cp - 0xDC00));
  } else if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  return out;
}

std::string encode(const std::u32string& s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) out += encode(c);
  return out;
}

locale_t utf8_locale() {
  static locale_t loc = [] {
    locale_t l = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
    return l ? l : ::newlocale(LC_CTYPE_MASK, "C", static_cast<locale_t>(0));
  }();
  return loc;
}

bool is_ws(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }
// Python's \d (ASCII digits; other decimal digits are rare enough in advisories to count as letters).
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
// Python's \w: alphanumeric or underscore.
bool is_word(char32_t c) {
  if (c < 0x80) return std::isalnum(static_cast<int>(c)) || c == '_';
  if (c >= 0xDC80 && c <= 0xDCFF) return false;
  return ::iswalnum_l(static_cast<wint_t>(c), utf8_locale());
}
// textwrap's "letter": [^\d\W]
bool is_letter(char32_t c) { return is_word(c) && !is_digit(c); }
// textwrap's word_punct: [\w!"'&.,?]
bool is_word_punct(char32_t c) {
  return is_word(c) || c == '!' || c == '"' || c == '\'' || c == '&' || c == '.' || c == ',' || c == '?';
}
bool is_py_space(char32_t c) {
  return is_ws(c) || (c >= 0x1C && c <= 0x1F) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// Length of a run of two or more hyphens at i followed by a word character, else 0
// (textwrap's "-{2,}(?=\w)").
std::size_t em_dash_at(const std::u32string& s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && s[j] == '-') ++j;
  if (j - i >= 2 && j < s.size() && is_word(s[j])) return j - i;
  return 0;
}

// textwrap.TextWrapper._split with break_on_hyphens=True: whitespace runs, em-dashes between
// words, and words that may end just after a hyphen between letters.
std::vector<std::u32string> split_chunks(const std::u32string& s) {
  std::vector<std::u32string> chunks;
  std::size_t i = 0, n = s.size();
  while (i < n) {
    if (is_ws(s[i])) {
      std::size_t j = i;
      while (j < n && is_ws(s[j])) ++j;
      chunks.emplace_back(s.substr(i, j - i));
      i = j;
      continue;
    }
    if (s[i] == '-' && i > 0 && is_word_punct(s[i - 1])) {
      if (std::size_t d = em_dash_at(s, i)) {
        chunks.emplace_back(s.substr(i, d));
        i += d;
        continue;
      }
    }
    // A word: the shortest run of non-space characters (at least one) that ends at a breakable
    // hyphen, before whitespace or the end, or before an em-dash.
    std::size_t j = i + 1;
    std::size_t end = n;
    for (;; ++j) {
      if (j < n && s[j] == '-') {
        bool before = (j >= 2 && is_letter(s[j - 2]) && is_letter(s[j - 1])) ||
                      (j >= 3 && is_letter(s[j - 3]) && s[j - 2] == '-' && is_letter(s[j - 1]));
        bool after = j + 1 < n && is_letter(s[j + 1]) &&
                     (j + 2 < n && (is_letter(s[j + 2]) || (s[j + 2] == '-' && j + 3 < n && is_letter(s[j + 3]))));
        if (before && after && j - 1 >= i) {
          end = j + 1;
          break;
        }
      }
      if (j >= n || is_ws(s[j])) {
        end = j;
        break;
      }
      if (is_word_punct(s[j - 1]) && s[j] == '-' && em_dash_at(s, j)) {
        end = j;
        break;
      }
    }
    chunks.emplace_back(s.substr(i, end - i));
    i = end;
  }
  return chunks;
}

bool ascii(const std::string& s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

bool blank(const std::u32string& s) {
  for (char32_t c : s)
    if (!is_py_space(c)) return false;
  return true;
}

}  // namespace

std::size_t code_points(const std::string& s) { return ascii(s) ? s.size() : decode(s).size(); }

std::vector<std::string> split_code_points(const std::string& s) {
  std::vector<std::string> out;
  for (char32_t c : decode(s)) out.push_back(encode(c));
  return out;
}

std::string rule(const std::string& s, const std::string& c) {
  std::string out;
  std::size_t n = code_points(s);
  out.reserve(n * c.size());
  for (std::size_t i = 0; i < n; ++i) out += c;
  return out;
}

std::string capitalize(const std::string& s) {
  if (ascii(s)) {  // the common case, without decoding
    std::string out = s;
    for (std::size_t i = 0; i < out.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(out[i]);
      out[i] = static_cast<char>(i == 0 ? std::toupper(c) : std::tolower(c));
    }
    return out;
  }
  auto u = decode(s);
  for (std::size_t i = 0; i < u.size(); ++i) {
    if (u[i] >= 0xDC80 && u[i] <= 0xDCFF) continue;
    wint_t w = static_cast<wint_t>(u[i]);
    u[i] = static_cast<char32_t>(i == 0 ? ::towupper_l(w, utf8_locale()) : ::towlower_l(w, utf8_locale()));
  }
  return encode(u);
}

std::string strip(const std::string& s) {
  if (ascii(s)) {
    std::size_t b = 0, e = s.size();
    while (b < e && is_py_space(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && is_py_space(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
  }
  auto u = decode(s);
  std::size_t b = 0, e = u.size();
  while (b < e && is_py_space(u[b])) ++b;
  while (e > b && is_py_space(u[e - 1])) --e;
  return encode(u.substr(b, e - b));
}

std::vector<std::string> splitlines(const std::string& s) {
  std::vector<std::string> out;
  auto u = decode(s);
  std::u32string cur;
  for (std::size_t i = 0; i < u.size(); ++i) {
    char32_t c = u[i];
    bool brk = c == '\n' || c == '\r' || c == '\v' || c == '\f' || (c >= 0x1C && c <= 0x1E) || c == 0x85 ||
               c == 0x2028 || c == 0x2029;
    if (!brk) {
      cur.push_back(c);
      continue;
    }
    if (c == '\r' && i + 1 < u.size() && u[i + 1] == '\n') ++i;
    out.push_back(encode(cur));
    cur.clear();
  }
  if (!cur.empty()) out.push_back(encode(cur));
  return out;
}

std::vector<std::string> wrap_line(const std::string& line, std::size_t width) {
  auto chunks = split_chunks(decode(line));
  std::vector<std::string> lines;
  std::reverse(chunks.begin(), chunks.end());
  while (!chunks.empty()) {
    std::vector<std::u32string> cur;
    std::size_t len = 0;
    // Whitespace at the start of a line is dropped, except on the first line.
    if (blank(chunks.back()) && !lines.empty()) chunks.pop_back();
    while (!chunks.empty()) {
      std::size_t l = chunks.back().size();
      if (len + l > width) break;
      cur.push_back(std::move(chunks.back()));
      chunks.pop_back();
      len += l;
    }
    // A word longer than the width goes alone on its line (break_long_words=False).
    if (!chunks.empty() && chunks.back().size() > width && cur.empty()) {
      cur.push_back(std::move(chunks.back()));
      chunks.pop_back();
    }
    if (!cur.empty() && blank(cur.back())) cur.pop_back();
    if (!cur.empty()) {
      std::u32string joined;
      for (const auto& c : cur) joined += c;
      lines.push_back(encode(joined));
    }
  }
  return lines;
}

std::string wordwrap(const std::string& s, std::size_t width, const std::string& wrapstring) {
  std::string out;
  bool first_line = true;
  for (const auto& line : splitlines(s)) {
    if (!first_line) out += wrapstring;
    first_line = false;
    bool first = true;
    for (const auto& w : wrap_line(line, width)) {
      if (!first) out += wrapstring;
      out += w;
      first = false;
    }
  }
  return out;
}

std::string indent(const std::string& s, std::size_t width) {
  auto lines = splitlines(s + "\n");
  if (lines.empty()) return "";
  std::string out = lines[0];
  std::string pad(width, ' ');
  for (std::size_t i = 1; i < lines.size(); ++i) out += "\n" + (lines[i].empty() ? "" : pad) + lines[i];
  return out;
}

std::string long_date(int year, unsigned month, unsigned day) {
  static const char* names[] = {"January", "February", "March",     "April",   "May",      "June",
                                "July",    "August",   "September", "October", "November", "December"};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s %02u, %d", month >= 1 && month <= 12 ? names[month - 1] : "?", day, year);
  return buf;
}

std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string html_inline(const std::string& s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    // ``literal`` (rST inline literal)
    if (s.compare(i, 2, "``") == 0) {
      auto close = s.find("``", i + 2);
      if (close != std::string::npos && close > i + 2) {
        out += "<code>" + html_escape(s.substr(i + 2, close - i - 2)) + "</code>";
        i = close + 2;
        continue;
      }
    }
    // A bare link, up to whitespace; trailing punctuation stays outside the link.
    if ((s.compare(i, 7, "http://") == 0 || s.compare(i, 8, "https://") == 0) &&
        (i == 0 || !std::isalnum(static_cast<unsigned char>(s[i - 1])))) {
      std::size_t j = i;
      while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j])) && s[j] != '<' && s[j] != '>' &&
             s[j] != '"' && s[j] != '`')
        ++j;
      while (j > i && std::strchr(".,;:)]'", s[j - 1])) --j;
      std::string url = s.substr(i, j - i);
      out += "<a href=\"" + html_escape(url) + "\">" + html_escape(url) + "</a>";
      i = j;
      continue;
    }
    switch (s[i]) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += s[i];
    }
    ++i;
  }
  return out;
}

namespace {

std::size_t to_size(const std::string& s, std::size_t dflt) {
  char* end = nullptr;
  unsigned long v = std::strtoul(s.c_str(), &end, 10);
  return end == s.c_str() ? dflt : static_cast<std::size_t>(v);
}

std::string mod_capitalize(const std::string& in, const std::string&) { return capitalize(in); }
std::string mod_trim(const std::string& in, const std::string&) { return strip(in); }
// x-rule=C: one C per code point of the value.
std::string mod_rule(const std::string& in, const std::string& arg) { return rule(in, arg.empty() ? "=" : arg); }
// x-wrap=WIDTH[,INDENT]: wrap at WIDTH code points, continuation lines indented by INDENT spaces (2).
std::string mod_wrap(const std::string& in, const std::string& arg) {
  auto comma = arg.find(',');
  std::size_t width = to_size(arg.substr(0, comma), 70);
  std::size_t ind = comma == std::string::npos ? 2 : to_size(arg.substr(comma + 1), 2);
  return wordwrap(in, width ? width : 70, "\n" + std::string(ind, ' '));
}
std::string mod_indent(const std::string& in, const std::string& arg) { return indent(in, to_size(arg, 4)); }
std::string mod_html_text(const std::string& in, const std::string&) { return html_inline(in); }

}  // namespace

void register_modifiers() {
  static std::once_flag once;
  std::call_once(once, [] {
    tmpl::register_modifier("x-capitalize", mod_capitalize);
    tmpl::register_modifier("x-trim", mod_trim);
    tmpl::register_modifier("x-rule=", mod_rule);
    tmpl::register_modifier("x-wrap=", mod_wrap);
    tmpl::register_modifier("x-indent=", mod_indent);
    tmpl::register_modifier("x-html-text", mod_html_text);
  });
}

}  // namespace vmt::advisory::layout
