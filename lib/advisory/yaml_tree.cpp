// yaml_tree.cpp: bounded YAML reading with PyYAML's implicit typing (see yaml_tree.h).
#include "advisory/yaml_tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <regex>
#include <sstream>

#include "core/fs.h"
#include "core/text.h"

namespace vmt::advisory::detail {

const node* node::get(const std::string& key) const {
  if (type != kind::map) return nullptr;
  const node* found = nullptr;
  for (const auto& [k, v] : pairs)
    if (k->is_scalar() && k->raw == key) found = v.get();  // PyYAML keeps the last duplicate
  return found;
}

namespace {

// Thrown from the event handler to stop yaml-cpp at once; parse() turns it into an error.
struct stop_parsing {
  mark at;
  std::string what;
  std::string fix;
};

mark to_mark(const YAML::Mark& m) {
  if (m.line < 0) return {};
  return {m.line + 1, m.column + 1};
}

// Builds the tree from yaml-cpp's events, counting depth and nodes as they come.
class builder : public YAML::EventHandler {
 public:
  explicit builder(const limits& lim) : lim_(lim) {}
  std::shared_ptr<node> root;
  int documents = 0;

  void OnDocumentStart(const YAML::Mark&) override {
    if (++documents > 1) throw stop_parsing{last_, "more than one YAML document", "keep one advisory per file"};
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t a) override {
    check_anchor(m, a);
    auto n = make(m);
    n->plain = true;
    n->resolved = scalar_type::null;
    n->text = "None";
    attach(n);
  }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override {
    throw stop_parsing{to_mark(m), "YAML aliases are not accepted in advisories",
                       "write the value out in full"};
  }
  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t a,
                const std::string& value) override {
    check_anchor(m, a);
    auto n = make(m);
    n->raw = value;
    n->text = value;
    // yaml-cpp reports "?" for plain scalars and "!" for quoted or block ones; an explicit tag
    // other than those is not part of the advisory format.
    if (tag == "?") {
      n->plain = true;
      resolve_plain(*n);
      if (n->resolved == scalar_type::date && n->text.empty())
        throw stop_parsing{n->at, "'" + value + "' is not a real calendar date", "write YYYY-MM-DD"};
    } else if (tag != "!" && !tag.empty() && tag != "tag:yaml.org,2002:str") {
      throw stop_parsing{n->at, "explicit YAML tag '" + tag + "' is not accepted", "remove the tag"};
    }
    attach(n);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                       YAML::EmitterStyle::value) override {
    open(m, a, node::kind::sequence);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t a,
                  YAML::EmitterStyle::value) override {
    open(m, a, node::kind::map);
  }
  void OnMapEnd() override { close(); }

 private:
  struct frame {
    std::shared_ptr<node> n;
    std::shared_ptr<node> pending_key;  // maps: the key waiting for its value
  };
  const limits& lim_;
  std::vector<frame> stack_;
  mark last_;
  std::size_t count_ = 0;

  void check_anchor(const YAML::Mark& m, YAML::anchor_t a) {
    if (a != YAML::NullAnchor)
      throw stop_parsing{to_mark(m), "YAML anchors are not accepted in advisories", "remove the &anchor"};
  }
  std::shared_ptr<node> make(const YAML::Mark& m) {
    if (++count_ > lim_.max_nodes)
      throw stop_parsing{to_mark(m), "more than " + std::to_string(lim_.max_nodes) + " YAML nodes",
                         "an advisory is a short document; check that this is the right file"};
    auto n = std::make_shared<node>();
    n->at = to_mark(m);
    last_ = n->at;
    return n;
  }
  void open(const YAML::Mark& m, YAML::anchor_t a, node::kind k) {
    check_anchor(m, a);
    if (static_cast<int>(stack_.size()) >= lim_.max_depth)
      throw stop_parsing{to_mark(m), "nesting deeper than " + std::to_string(lim_.max_depth) + " levels",
                         "an advisory nests at most 4 levels; check the indentation"};
    auto n = make(m);
    n->type = k;
    attach(n);
    stack_.push_back({n, nullptr});
  }
  void close() {
    if (!stack_.empty() && stack_.back().pending_key)
      throw stop_parsing{stack_.back().pending_key->at, "mapping key without a value", "add the value"};
    if (!stack_.empty()) stack_.pop_back();
  }
  void attach(const std::shared_ptr<node>& n) {
    if (stack_.empty()) {
      root = n;
      return;
    }
    auto& f = stack_.back();
    if (f.n->type == node::kind::sequence) {
      f.n->items.push_back(n);
    } else if (!f.pending_key) {
      if (!n->is_scalar())
        throw stop_parsing{n->at, "a list or mapping where a key was expected (an unclosed [ or {?)",
                           "keys are plain words; close every bracket"};
      f.pending_key = n;
    } else {
      f.n->pairs.emplace_back(std::move(f.pending_key), n);
      f.pending_key = nullptr;
    }
  }
};

// The key path around `line` of a document that did not parse ("reporters.reported"), read from
// the indentation of the lines before it, so that a syntax error can name its field too.
std::string field_at(const std::string& text, int line) {
  std::vector<std::pair<std::size_t, std::string>> stack;  // (indent, key)
  std::size_t pos = 0;
  for (int n = 1; n <= line && pos <= text.size(); ++n) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string l = text.substr(pos, std::min<std::size_t>(end - pos, 512));
    pos = end + 1;
    std::size_t i = 0;
    while (i < l.size() && (l[i] == ' ' || (l[i] == '-' && i + 1 < l.size() && l[i + 1] == ' '))) ++i;
    std::size_t k = i;
    while (k < l.size() && (std::isalnum(static_cast<unsigned char>(l[k])) || std::strchr("_-./ ()", l[k]))) ++k;
    if (k == i || k >= l.size() || l[k] != ':' || (k + 1 < l.size() && l[k + 1] != ' ')) continue;
    while (!stack.empty() && stack.back().first >= i) stack.pop_back();
    stack.emplace_back(i, l.substr(i, k - i));
  }
  std::string path;
  for (const auto& [indent, key] : stack) path += (path.empty() ? "" : ".") + key;
  return path;
}

// "what" prefixed with the field it is in, when known.
std::string in_field(const std::string& text, const mark& m, const std::string& what) {
  std::string f = m.line > 0 ? field_at(text, m.line) : std::string();
  return f.empty() ? what : f + ": " + what;
}

std::string located(const std::string& file, const mark& m) {
  if (m.line <= 0) return file;
  return file + ":" + std::to_string(m.line) + ":" + std::to_string(m.column);
}

bool all_match(const std::string& s, const std::regex& re) { return std::regex_match(s, re); }

// PyYAML's implicit resolvers (yaml/resolver.py), YAML 1.1.
const std::regex& bool_re() {
  static const std::regex r("yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
  return r;
}
const std::regex& float_re() {
  static const std::regex r(
      "[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
      "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
      "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
      "|[-+]?\\.(?:inf|Inf|INF)"
      "|\\.(?:nan|NaN|NAN)");
  return r;
}
const std::regex& int_re() {
  static const std::regex r(
      "[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
      "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
  return r;
}
const std::regex& null_re() {
  static const std::regex r("~|null|Null|NULL|");
  return r;
}
const std::regex& date_re() {
  static const std::regex r("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  return r;
}
const std::regex& timestamp_re() {
  static const std::regex r(
      "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]*)?"
      "(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?");
  return r;
}

std::string strip_underscores(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
  return s;
}

// Value of a sexagesimal "1:20:30" part list (YAML 1.1 base 60).
double sexagesimal(const std::string& digits) {
  double v = 0;
  std::stringstream ss(digits);
  std::string part;
  while (std::getline(ss, part, ':')) v = v * 60 + std::stod(part.empty() ? "0" : part);
  return v;
}

}  // namespace

std::string python_float_repr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string s(buf, r.ptr);
  bool neg = s[0] == '-';
  if (neg) s.erase(0, 1);
  auto e = s.find('e');
  int exp = std::stoi(s.substr(e + 1));
  std::string digits;
  for (char c : s.substr(0, e))
    if (c != '.') digits += c;
  std::string out;
  // Python's repr switches to exponent form below 1e-4 and from 1e16.
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      if (static_cast<int>(digits.size()) <= exp + 1) {
        out = digits + std::string(exp + 1 - digits.size(), '0') + ".0";
      } else {
        out = digits.substr(0, exp + 1) + "." + digits.substr(exp + 1);
      }
    } else {
      out = "0." + std::string(-exp - 1, '0') + digits;
    }
    return neg ? "-" + out : out;
  }
  out = digits.substr(0, 1);
  if (digits.size() > 1) out += "." + digits.substr(1);
  {
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    out += eb;
  }
  return neg ? "-" + out : out;
}

void resolve_plain(node& n) {
  const std::string& v = n.raw;
  n.resolved = scalar_type::string;
  n.text = v;
  if (v.size() > 64) return;  // no implicit type is that long; keeps regex work bounded
  // PyYAML picks resolvers by the first character; most text starts with a letter no type uses.
  char first = v.empty() ? '\0' : v[0];
  if (!v.empty() && !std::strchr("yYnNtTfFoO~-+.0123456789", first)) return;
  if (all_match(v, bool_re())) {
    n.resolved = scalar_type::boolean;
    char c = v[0];
    n.text = (c == 'y' || c == 'Y' || c == 't' || c == 'T' || v == "on" || v == "On" || v == "ON")
                 ? "True" : "False";
    return;
  }
  if (all_match(v, float_re())) {
    n.resolved = scalar_type::floating;
    std::string s = strip_underscores(v);
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    double sign = 1;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
      if (s[0] == '-') sign = -1;
      s.erase(0, 1);
    }
    double d;
    if (s == ".inf") d = INFINITY;
    else if (s == ".nan") d = NAN;
    else if (s.find(':') != std::string::npos) d = sexagesimal(s);
    else d = std::strtod(s.c_str(), nullptr);
    n.text = python_float_repr(sign * d);
    return;
  }
  if (all_match(v, int_re())) {
    n.resolved = scalar_type::integer;
    std::string s = strip_underscores(v);
    bool neg = false;
    if (s[0] == '-' || s[0] == '+') {
      neg = s[0] == '-';
      s.erase(0, 1);
    }
    unsigned long long x = 0;
    bool exact = true;
    try {
      if (s == "0") x = 0;
      else if (s.rfind("0b", 0) == 0) x = std::stoull(s.substr(2), nullptr, 2);
      else if (s.rfind("0x", 0) == 0) x = std::stoull(s.substr(2), nullptr, 16);
      else if (s[0] == '0') x = std::stoull(s, nullptr, 8);
      else if (s.find(':') != std::string::npos) x = static_cast<unsigned long long>(sexagesimal(s));
      else x = std::stoull(s, nullptr, 10);
    } catch (const std::exception&) {
      exact = false;  // beyond 64 bits: keep the digits as written
    }
    n.text = exact ? (neg && x ? "-" : "") + std::to_string(x) : v;
    return;
  }
  if (all_match(v, null_re())) {
    n.resolved = scalar_type::null;
    n.text = "None";
    return;
  }
  if (all_match(v, date_re())) {
    using namespace std::chrono;
    year_month_day ymd{year{std::stoi(v.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(v.substr(5, 2)))},
                       day{static_cast<unsigned>(std::stoi(v.substr(8, 2)))}};
    n.resolved = scalar_type::date;
    n.text = ymd.ok() ? v : "";
    return;
  }
  if (all_match(v, timestamp_re())) {
    n.resolved = scalar_type::timestamp;
    return;
  }
}

result<std::shared_ptr<node>> parse(const std::string& file, const std::string& text, const limits& lim) {
  if (text.size() > lim.max_bytes)
    return make_error(failure::data, file,
                      "file is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                          std::to_string(lim.max_bytes),
                      "an advisory is a short YAML document; check that this is the right file");
  if (text.find('\0') != std::string::npos) {
    auto off = text.find('\0');
    int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(off), '\n'));
    return make_error(failure::data, file + ":" + std::to_string(line),
                      "binary data (a NUL byte) in a YAML file", "check that this is the right file");
  }
  // The page, the mail and the JSON records all carry UTF-8: a Latin-1 byte would be written raw
  // into the mail and make the JSON writer throw. Refused here, with its place.
  if (auto bad = vmt::text::first_invalid_utf8(text); bad != std::string::npos) {
    std::size_t line_start = bad == 0 ? std::string::npos : text.rfind('\n', bad - 1);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    mark m;
    m.line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(bad), '\n'));
    m.column = static_cast<int>(bad - line_start) + 1;
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
    return make_error(failure::data, located(file, m), in_field(text, m, std::string("not UTF-8 (byte ") + hex + ")"),
                      "save the file as UTF-8 (iconv -f latin1 -t utf-8, or fix the character in an editor)");
  }
  std::istringstream in(text);
  builder b(lim);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(b)) {
    }
  } catch (const stop_parsing& s) {
    return make_error(failure::data, located(file, s.at), in_field(text, s.at, s.what), s.fix);
  } catch (const YAML::DeepRecursion& e) {
    return make_error(failure::data, located(file, to_mark(e.mark)), in_field(text, to_mark(e.mark), "nesting too deep"),
                      "check the indentation");
  } catch (const YAML::Exception& e) {
    return make_error(failure::data, located(file, to_mark(e.mark)),
                      in_field(text, to_mark(e.mark), "malformed YAML: " + e.msg),
                      "fix the YAML syntax at that place (quote values that contain ': ' or start with a special character)");
  } catch (const std::bad_alloc&) {
    return make_error(failure::data, file, "out of memory while reading the YAML", "check that this is the right file");
  }
  if (!b.root)
    return make_error(failure::data, file, "empty file", "an advisory is a YAML mapping (date:, id:, title:, ...)");
  return b.root;
}

result<std::shared_ptr<node>> parse_file(const std::string& file, const limits& lim) {
  struct stat st {};
  if (::stat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > lim.max_bytes)
    return make_error(failure::data, file,
                      "file is " + std::to_string(st.st_size) + " bytes, more than the limit of " +
                          std::to_string(lim.max_bytes),
                      "an advisory is a short YAML document; check that this is the right file");
  VMT_TRY(text, fs::read_file(file, lim.max_bytes));
  return parse(file, text, lim);
}

}  // namespace vmt::advisory::detail
