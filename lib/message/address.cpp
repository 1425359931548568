// address.cpp: RFC 5322 address lists, read strictly and written safely (see address.h).
#include "message/address.h"

#include <cctype>

#include "message/codec.h"
#include "message/header.h"

namespace vmt::message {

namespace {

constexpr std::size_t max_mailboxes = 1000;

bool is_atext(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x80) return true;  // RFC 6532: UTF-8 in atoms
  if (std::isalnum(u)) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

enum class tok_kind { atom, quoted, special, literal };

struct token {
  tok_kind kind;
  std::string text;  // atom text, quoted content (unescaped), the special char, or [literal]
  bool space_before = false;
};

// Split an address-list value into tokens; comments are dropped (they never carry identity).
// Returns false when the value cannot be tokenised (unterminated quote, comment or literal).
bool tokenize(std::string_view v, std::vector<token>& out, std::vector<std::string>& problems) {
  std::size_t i = 0;
  bool space = false;
  while (i < v.size()) {
    char c = v[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = true;
      ++i;
    } else if (c == '(') {
      int depth = 0;
      bool closed = false;
      while (i < v.size()) {
        char d = v[i++];
        if (d == '\\' && i < v.size()) {
          ++i;
        } else if (d == '(') {
          if (++depth > 16) return false;
        } else if (d == ')' && --depth == 0) {
          closed = true;
          break;
        }
      }
      if (!closed) {
        problems.push_back("unterminated comment");
        return false;
      }
      space = true;
    } else if (c == '"') {
      std::string q;
      bool closed = false;
      ++i;
      while (i < v.size()) {
        char d = v[i++];
        if (d == '"') {
          closed = true;
          break;
        }
        if (d == '\\' && i < v.size()) d = v[i++];
        q += d;
      }
      if (!closed) {
        problems.push_back("unterminated quoted string");
        return false;
      }
      out.push_back({tok_kind::quoted, q, space});
      space = false;
    } else if (c == '[') {
      auto e = v.find(']', i);
      if (e == std::string_view::npos) {
        problems.push_back("unterminated domain literal");
        return false;
      }
      out.push_back({tok_kind::literal, std::string(v.substr(i, e - i + 1)), space});
      space = false;
      i = e + 1;
    } else if (is_atext(c)) {
      std::size_t b = i;
      while (i < v.size() && is_atext(v[i])) ++i;
      out.push_back({tok_kind::atom, std::string(v.substr(b, i - b)), space});
      space = false;
    } else {
      out.push_back({tok_kind::special, std::string(1, c), space});
      space = false;
      ++i;
    }
    if (out.size() > 20000) return false;
  }
  return true;
}

bool is_special(const token& t, char c) {
  return t.kind == tok_kind::special && t.text[0] == c;
}

// addr-spec from tokens [b, e): local-part "@" domain, no white space inside dot-atoms.
bool parse_addr_spec(const std::vector<token>& t, std::size_t b, std::size_t e, std::string& out) {
  out.clear();
  std::size_t at = e;
  for (std::size_t k = b; k < e; ++k)
    if (is_special(t[k], '@')) {
      if (at != e) return false;  // two '@'
      at = k;
    }
  if (at == e || at == b || at + 1 == e) return false;
  // local-part: quoted-string alone, or atom ("." atom)*
  std::string local;
  if (at - b == 1 && t[b].kind == tok_kind::quoted) {
    local = "\"";
    for (char c : t[b].text) {
      if (c == '"' || c == '\\') local += '\\';
      local += c;
    }
    local += "\"";
  } else {
    bool want_atom = true;
    for (std::size_t k = b; k < at; ++k) {
      if (want_atom && t[k].kind == tok_kind::atom) {
        local += t[k].text;
      } else if (!want_atom && is_special(t[k], '.')) {
        local += '.';
      } else {
        return false;
      }
      want_atom = !want_atom;
    }
    if (want_atom) return false;  // trailing dot
  }
  std::string domain;
  if (e - at - 1 == 1 && t[at + 1].kind == tok_kind::literal) {
    domain = t[at + 1].text;
  } else {
    bool want_atom = true;
    for (std::size_t k = at + 1; k < e; ++k) {
      if (want_atom && t[k].kind == tok_kind::atom) {
        domain += t[k].text;
      } else if (!want_atom && is_special(t[k], '.')) {
        domain += '.';
      } else {
        return false;
      }
      want_atom = !want_atom;
    }
    if (want_atom) return false;
  }
  out = local + "@" + domain;
  return true;
}

// display-name (phrase) from tokens [b, e): atoms and quoted strings, '.' tolerated (obs-phrase).
bool parse_phrase(const std::vector<token>& t, std::size_t b, std::size_t e, std::string& out,
                  std::vector<std::string>& problems) {
  std::string raw;
  bool ok = true;
  for (std::size_t k = b; k < e; ++k) {
    if (!raw.empty() && t[k].space_before) raw += ' ';
    if (t[k].kind == tok_kind::atom) {
      raw += t[k].text;
    } else if (t[k].kind == tok_kind::quoted) {
      raw += t[k].text;
    } else if (is_special(t[k], '.')) {
      raw += '.';
    } else {
      raw += t[k].text;
      ok = false;
    }
  }
  if (!ok) problems.push_back("display name holds special characters");
  out = decode_words(raw);
  return ok;
}

// One mailbox from tokens [b, e).
bool parse_mailbox(const std::vector<token>& t, std::size_t b, std::size_t e, mailbox& mb,
                   std::vector<std::string>& problems) {
  std::size_t lt = e;
  for (std::size_t k = b; k < e; ++k)
    if (is_special(t[k], '<')) {
      lt = k;
      break;
    }
  if (lt == e) {
    // Bare addr-spec.
    if (!parse_addr_spec(t, b, e, mb.addr)) {
      problems.push_back("not an address");
      // Best effort for reporting: the raw tokens.
      std::string raw;
      for (std::size_t k = b; k < e; ++k) raw += (k > b && t[k].space_before ? " " : "") + t[k].text;
      mb.name = decode_words(raw);
      mb.addr.clear();
      return false;
    }
    return true;
  }
  std::size_t gt = e;
  for (std::size_t k = lt + 1; k < e; ++k)
    if (is_special(t[k], '>')) {
      gt = k;
      break;
    }
  bool ok = parse_phrase(t, b, lt, mb.name, problems);
  if (gt == e) {
    problems.push_back("unterminated angle address");
    return false;
  }
  if (gt + 1 != e) {
    problems.push_back("text after the angle address");
    ok = false;
  }
  std::size_t ab = lt + 1;
  // obs-route "@a,@b:" before the addr-spec.
  for (std::size_t k = ab; k < gt; ++k)
    if (is_special(t[k], ':')) {
      problems.push_back("source route");
      ab = k + 1;
      ok = false;
      break;
    }
  if (ab == gt) {
    problems.push_back("empty angle address");
    return false;
  }
  if (!parse_addr_spec(t, ab, gt, mb.addr)) {
    problems.push_back("malformed addr-spec");
    mb.addr.clear();
    return false;
  }
  return ok;
}

}  // namespace

address_list parse_address_list(std::string_view value) {
  address_list out;
  std::vector<token> t;
  if (!tokenize(value, t, out.problems)) {
    out.well_formed = false;
    return out;
  }
  // Split at top-level commas; a group "name : a, b ;" keeps its commas inside.
  std::size_t b = 0;
  while (b < t.size() && out.mailboxes.size() < max_mailboxes) {
    std::size_t e = b;
    bool in_angle = false, in_group = false;
    for (; e < t.size(); ++e) {
      if (is_special(t[e], '<')) in_angle = true;
      if (is_special(t[e], '>')) in_angle = false;
      if (!in_angle && is_special(t[e], ':')) in_group = true;
      if (in_group && is_special(t[e], ';')) {
        in_group = false;
        ++e;
        break;
      }
      if (!in_angle && !in_group && is_special(t[e], ',')) break;
    }
    if (e == b) {  // empty element ("a@b,,c@d"): obsolete but harmless
      ++b;
      continue;
    }
    // Group?
    std::size_t colon = e;
    for (std::size_t k = b; k < e; ++k) {
      if (is_special(t[k], '<')) break;
      if (is_special(t[k], ':')) {
        colon = k;
        break;
      }
    }
    if (colon != e) {
      out.has_group = true;
      std::size_t end = e;
      if (end > colon && is_special(t[end - 1], ';')) --end;
      std::size_t mb_b = colon + 1;
      for (std::size_t k = colon + 1; k <= end; ++k) {
        if (k == end || is_special(t[k], ',')) {
          if (k > mb_b) {
            mailbox mb;
            if (!parse_mailbox(t, mb_b, k, mb, out.problems)) out.well_formed = false;
            out.mailboxes.push_back(std::move(mb));
          }
          mb_b = k + 1;
        }
      }
    } else {
      mailbox mb;
      if (!parse_mailbox(t, b, e, mb, out.problems)) out.well_formed = false;
      out.mailboxes.push_back(std::move(mb));
    }
    b = e < t.size() && is_special(t[e], ',') ? e + 1 : e;
  }
  return out;
}

bool valid_addr_spec(std::string_view addr) {
  std::vector<token> t;
  std::vector<std::string> problems;
  if (addr.empty() || addr.size() > 320) return false;
  // A quoted local part may legally hold folding white space (CRLF SP) and obsolete control
  // characters; none of them may reach an outbound header (fuzz_headers found CRLF passing through).
  for (char c : addr)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  if (!tokenize(addr, t, problems)) return false;
  for (const auto& k : t)
    if (k.space_before) return false;  // no white space or comments inside
  std::string out;
  if (!parse_addr_spec(t, 0, t.size(), out)) return false;
  return out == addr;
}

std::string normalize_addr(std::string_view addr) {
  std::string r(addr);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

std::vector<std::string> addresses_in_text(std::string_view text) {
  std::vector<std::string> found;
  for (std::size_t at = text.find('@'); at != std::string_view::npos && found.size() < 16;
       at = text.find('@', at + 1)) {
    std::size_t b = at, e = at + 1;
    auto addr_char = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) ||
             std::string_view("._%+-").find(c) != std::string_view::npos;
    };
    while (b > 0 && addr_char(text[b - 1])) --b;
    while (e < text.size() && addr_char(text[e])) ++e;
    std::string_view local = text.substr(b, at - b), domain = text.substr(at + 1, e - at - 1);
    while (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
    if (local.empty() || domain.find('.') == std::string_view::npos) continue;
    found.push_back(normalize_addr(std::string(local) + "@" + std::string(domain)));
  }
  return found;
}

result<std::string> format_mailbox(std::string_view name, std::string_view addr) {
  if (!valid_addr_spec(addr))
    return make_error(failure::data, "address",
                      "not a valid address: '" + repair_utf8(addr.substr(0, 80)) + "'", "use local@domain");
  std::string clean;
  for (char c : name) clean += static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? ' ' : c;
  auto b = clean.find_first_not_of(' ');
  if (b == std::string::npos) return std::string(addr);
  clean = clean.substr(b, clean.find_last_not_of(' ') - b + 1);
  bool ascii = true;
  for (char c : clean)
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
  std::string shown;
  if (!ascii || clean.find("=?") != std::string::npos) {
    shown = encode_words(clean);
  } else {
    shown = "\"";
    for (char c : clean) {
      if (c == '"' || c == '\\') shown += '\\';
      shown += c;
    }
    shown += "\"";
  }
  return shown + " <" + std::string(addr) + ">";
}

}  // namespace vmt::message
