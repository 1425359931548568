// versions.cpp: version ranges of advisories and `vmt affects` (see versions.h).
//
// Hand-rolled: the grammar is the VMT's own (">=a <b, ==c"), not a package manager's, and the
// comparison only needs the PEP 440 subset OpenStack releases use; see docs/advisories.md.
#include "advisory/versions.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "advisory/layout.h"
#include "core/text.h"

namespace vmt::advisory {

namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

bool read_number(std::string_view s, std::size_t& i, long& out) {
  std::size_t start = i;
  long v = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && i - start < 12) v = v * 10 + (s[i++] - '0');
  if (i == start || (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))) return false;
  out = v;
  return true;
}

// Split on ',' and on the word "and" (as in "<=5.0.3, >=6.0.0 <=6.1.0 and ==7.0.0").
std::vector<std::string> split_ranges(const std::string& s) {
  std::vector<std::string> parts;
  std::string cur;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ',') {
      parts.push_back(trim(cur));
      cur.clear();
      continue;
    }
    if ((i == 0 || std::isspace(static_cast<unsigned char>(s[i - 1]))) && s.compare(i, 3, "and") == 0 &&
        (i + 3 == s.size() || std::isspace(static_cast<unsigned char>(s[i + 3])))) {
      if (!trim(cur).empty()) parts.push_back(trim(cur));
      cur.clear();
      i += 2;
      continue;
    }
    cur += s[i];
  }
  parts.push_back(trim(cur));
  return parts;
}

// One range: constraints "op version" separated by optional spaces. Empty optional = not a range.
std::optional<range> parse_range(const std::string& text, std::string& why) {
  range r;
  r.text = text;
  std::size_t i = 0;
  int constraints = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size()) break;
    std::string op;
    for (const char* o : {">=", "<=", "==", "!=", "<", ">", "="})
      if (text.compare(i, std::strlen(o), o) == 0) {
        op = o;
        break;
      }
    i += op.size();
    if (op == "!=") {
      why = "'!=' is not supported in a range";
      return std::nullopt;
    }
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t start = i;
    while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    auto v = parse_version(std::string_view(text).substr(start, i - start));
    if (!v) {
      why = "'" + text.substr(start, std::max<std::size_t>(i - start, 1)) + "' is not a version number";
      return std::nullopt;
    }
    ++constraints;
    if (op.empty() || op == "==" || op == "=") {
      if (r.exact || r.lower || r.upper) {
        why = "an exact version cannot be combined with other constraints";
        return std::nullopt;
      }
      r.exact = v;
    } else if (op == ">=" || op == ">") {
      if (r.lower || r.exact) {
        why = "two lower bounds in one range";
        return std::nullopt;
      }
      r.lower = v;
      r.lower_inclusive = op == ">=";
    } else {
      if (r.upper || r.exact) {
        why = "two upper bounds in one range";
        return std::nullopt;
      }
      r.upper = v;
      r.upper_inclusive = op == "<=";
    }
  }
  if (constraints == 0) {
    why = "empty range";
    return std::nullopt;
  }
  return r;
}

}  // namespace

std::optional<version> parse_version(std::string_view s) {
  version v;
  v.text = std::string(s);
  std::size_t i = 0;
  long n;
  if (!read_number(s, i, n)) return std::nullopt;
  v.release.push_back(n);
  while (i + 1 < s.size() && s[i] == '.' && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
    ++i;
    if (!read_number(s, i, n)) return std::nullopt;
    v.release.push_back(n);
  }
  if (i == s.size()) return v;
  std::string rest = vmt::text::lower(std::string(s.substr(i)));
  struct tag {
    const char* text;
    int phase;
  };
  for (tag t : {tag{".dev", 0}, tag{"dev", 0}, tag{".post", 5}, tag{"post", 5}, tag{"rc", 3}, tag{"c", 3},
                tag{"alpha", 1}, tag{"beta", 2}, tag{"a", 1}, tag{"b", 2}}) {
    std::size_t len = std::strlen(t.text);
    if (rest.compare(0, len, t.text) != 0) continue;
    std::size_t j = len;
    long serial = 0;
    if (j < rest.size() && !read_number(rest, j, serial)) return std::nullopt;
    if (j != rest.size()) return std::nullopt;
    v.phase = t.phase;
    v.serial = serial;
    return v;
  }
  return std::nullopt;
}

int compare(const version& a, const version& b) {
  std::size_t n = std::max(a.release.size(), b.release.size());
  for (std::size_t i = 0; i < n; ++i) {
    long x = i < a.release.size() ? a.release[i] : 0;
    long y = i < b.release.size() ? b.release[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.phase != b.phase) return a.phase < b.phase ? -1 : 1;
  if (a.serial != b.serial) return a.serial < b.serial ? -1 : 1;
  return 0;
}

scheme scheme_of(const version& v) {
  // Years: the date scheme ran from 2010.1 to 2015.1; no OpenStack package reached major 1000.
  return !v.release.empty() && v.release.front() >= 1000 ? scheme::date : scheme::semantic;
}

std::string normalized_product(std::string_view name) {
  std::string out;
  bool sep = false;
  for (char c : trim(name)) {
    if (c == '-' || c == '_' || c == '.') {
      sep = true;
      continue;
    }
    if (sep && !out.empty()) out += '-';
    sep = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool range::contains(const version& v) const {
  if (exact) return compare(v, *exact) == 0;
  const auto s = scheme_of(v);
  if (lower && upper && scheme_of(*lower) == scheme::date && scheme_of(*upper) == scheme::semantic) {
    // The crossing: date versions from the lower bound on, semantic ones below the upper bound.
    const auto& bound = s == scheme::date ? *lower : *upper;
    int c = compare(v, bound);
    return s == scheme::date ? (c > 0 || (c == 0 && lower_inclusive)) : (c < 0 || (c == 0 && upper_inclusive));
  }
  if ((lower && scheme_of(*lower) != s) || (upper && scheme_of(*upper) != s)) return false;
  if (lower) {
    int c = compare(v, *lower);
    if (c < 0 || (c == 0 && !lower_inclusive)) return false;
  }
  if (upper) {
    int c = compare(v, *upper);
    if (c > 0 || (c == 0 && !upper_inclusive)) return false;
  }
  return true;
}

version_field parse_field(const std::string& product, const std::string& field) {
  version_field out;
  std::vector<std::string> products;
  for (auto& p : split_ranges(product))
    if (!p.empty()) products.push_back(p);
  std::vector<std::string> groups;
  {
    std::string cur;
    for (char c : field) {
      if (c == ';') {
        groups.push_back(trim(cur));
        cur.clear();
      } else {
        cur += c;
      }
    }
    groups.push_back(trim(cur));
  }
  bool named = products.size() > 1 || groups.size() > 1;
  for (const auto& g : groups) {
    product_ranges pr;
    std::string body = g;
    if (named) {
      // "Cinder <19.1.2, ..." : the group starts with one of the product names.
      std::size_t sp = 0;
      while (sp < g.size() && !std::isspace(static_cast<unsigned char>(g[sp])) && g[sp] != '<' && g[sp] != '>' &&
             g[sp] != '=')
        ++sp;
      std::string name = g.substr(0, sp);
      auto it = std::find_if(products.begin(), products.end(), [&](const std::string& p) { return normalized_product(p) == normalized_product(name); });
      if (it == products.end()) {
        out.why_free = "'" + g + "' does not start with one of the products (" + product + ")";
        return out;
      }
      pr.product = *it;
      body = trim(g.substr(sp));
    } else {
      pr.product = products.empty() ? product : products.front();
    }
    for (const auto& part : split_ranges(body)) {
      std::string why;
      auto r = parse_range(part, why);
      if (!r) {
        out.why_free = part.empty() ? "an empty range (two commas?)" : "'" + part + "': " + why;
        return out;
      }
      pr.ranges.push_back(std::move(*r));
    }
    for (std::size_t i = 0; i < pr.ranges.size(); ++i) {
      const auto& r = pr.ranges[i];
      if (r.lower && r.upper && scheme_of(*r.lower) == scheme::semantic && scheme_of(*r.upper) == scheme::date)
        out.warnings.push_back("'" + r.text + "' is empty: its lower bound is a semantic version, its upper bound a "
                               "date version, which came before (2011.1 .. 2015.1, then 12.0.0 ...)");
      else if (r.lower && r.upper && scheme_of(*r.lower) == scheme_of(*r.upper) && compare(*r.lower, *r.upper) > 0)
        out.warnings.push_back("'" + r.text + "' is empty: its lower bound is above its upper bound");
      if (i + 1 < pr.ranges.size()) {
        const auto& nx = pr.ranges[i + 1];
        if (r.lower && !r.upper && !nx.lower && nx.upper && compare(*r.lower, *nx.upper) < 0)
          out.warnings.push_back("'" + r.text + ", " + nx.text +
                                 "': the comma splits one range in two, so every version matches; did you mean '" +
                                 r.text + " " + nx.text + "'?");
        else if (r.lower && !r.upper)
          out.warnings.push_back("'" + r.text + "' has no upper bound but is not the last range");
      }
    }
    out.groups.push_back(std::move(pr));
  }
  out.structured = true;
  return out;
}

std::vector<bounds> to_bounds(const range& r) {
  bounds b;
  if (r.exact) {
    b.exact = r.exact->text;
    return {b};
  }
  auto upper_of = [&](bounds& x) {
    if (r.upper_inclusive) x.last_affected = r.upper->text;
    else x.fixed = r.upper->text;
  };
  if (r.lower && r.upper && scheme_of(*r.lower) != scheme_of(*r.upper)) {
    if (scheme_of(*r.lower) == scheme::semantic) return {};  // empty: check warns
    // The crossing: [lower, end of the date scheme) and [0, upper). Nothing sorts above the date
    // versions in PEP 440 order, so the first one is left open.
    bounds dates;
    dates.introduced = r.lower->text;
    dates.open_ended = true;
    bounds semantic;
    upper_of(semantic);
    return {dates, semantic};
  }
  const bool date = (r.lower && scheme_of(*r.lower) == scheme::date) || (r.upper && scheme_of(*r.upper) == scheme::date);
  if (r.lower) b.introduced = r.lower->text;
  else if (date) b.introduced = first_date_version;
  if (r.upper) upper_of(b);
  else b.open_ended = true;
  return {b};
}

result<affects_answer> affects(const std::vector<advisory>& all, const std::string& product,
                               const std::string& version_text) {
  auto v = parse_version(version_text);
  if (!v)
    return make_error(failure::usage, version_text, "not a version number",
                      "give a release number such as 29.0.1 or 2014.1.3");
  affects_answer ans;
  const std::string want = normalized_product(product);
  for (const auto& a : all) {
    ++ans.advisories;
    for (const auto& ap : a.affected) {
      auto f = parse_field(ap.product.value, ap.version.value);
      // Which products does this entry name? ("Cinder, Glance, Nova" names three.)
      bool names = false;
      for (auto& p : split_ranges(ap.product.value))
        if (normalized_product(p) == want) names = true;
      if (!names) continue;
      ans.product_known = true;
      affects_hit hit{a.id.value, a.title.value, ap.product.value, ap.version.value, "", f.warnings};
      if (!f.structured) {
        hit.detail = f.why_free.empty() ? "free text" : f.why_free;
        ans.undecided.push_back(std::move(hit));
        continue;
      }
      bool in = false;
      for (const auto& g : f.groups) {
        if (normalized_product(g.product) != want) continue;
        for (const auto& r : g.ranges)
          if (r.contains(*v)) {
            in = true;
            hit.detail = r.text;
            break;
          }
      }
      if (in) ans.affected.push_back(std::move(hit));
      else ++ans.not_affected;
    }
  }
  return ans;
}

}  // namespace vmt::advisory
