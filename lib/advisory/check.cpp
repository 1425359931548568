// check.cpp: validation of advisories and notes (see advisory.h).
//
// Errors are what would publish something wrong or unusable; warnings are legal but suspicious
// (a comma that splits one version range in two, a number where text was meant).
#include <algorithm>
#include <regex>
#include <set>

#include "advisory/advisory.h"
#include "advisory/versions.h"

namespace vmt::advisory {

namespace {

class checker {
 public:
  explicit checker(std::vector<problem>& out) : out_(out) {}
  // A value that is absent has no position: such problems point at the start of the document.
  void error(const text& t, const std::string& field, std::string what, std::string expected) {
    out_.push_back({t.line ? t.line : 1, t.line ? t.column : 1, field, std::move(what), std::move(expected), false});
  }
  void warn(const text& t, const std::string& field, std::string what, std::string expected) {
    out_.push_back({t.line ? t.line : 1, t.line ? t.column : 1, field, std::move(what), std::move(expected), true});
  }
  // A value that YAML 1.1 reads as something other than text.
  void typed(const text& t, const std::string& field) {
    if (t.typed)
      warn(t, field, "'" + t.value + "' is read as a " + t.type + ", not text",
           "quote it ('...') so that it is published as written");
  }
  void required(const text& t, const std::string& field, const std::string& expected) {
    if (!t.present || t.value.empty()) error(t, field, "missing or empty", expected);
  }
  // For id, title and date, whose absence load() already reports.
  void not_empty(const text& t, const std::string& field, const std::string& expected) {
    if (t.present && t.value.empty()) error(t, field, "empty", expected);
  }

 private:
  std::vector<problem>& out_;
};

bool is_cve(const std::string& s) {
  static const std::regex re("CVE-[0-9]{4}-[0-9]{4,19}");
  return std::regex_match(s, re);
}

// A link: an http(s) URL with a host, optionally followed by a comment ("URL (MAC)").
bool is_link(const std::string& s, std::string* url = nullptr) {
  static const std::regex re("https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\\s]*)?");
  std::string first = s.substr(0, s.find_first_of(" \t"));
  if (url) *url = first;
  return std::regex_match(first, re);
}

void check_link(checker& c, const text& t, const std::string& field) {
  if (!t.present || t.value.empty()) {
    c.error(t, field, "empty link", "an http(s) URL");
    return;
  }
  if (!is_link(t.value)) c.error(t, field, "'" + t.value + "' is not a link", "an http:// or https:// URL");
  else if (t.value.rfind("http://", 0) == 0 && t.value.find("cve.mitre.org") == std::string::npos)
    c.warn(t, field, "plain http link", "https:// where the site offers it");
}

void check_versions(checker& c, const affected_product& p, const std::string& f) {
  c.required(p.product, f + ".product", "the project name, e.g. nova");
  c.required(p.version, f + ".version", "ranges such as '>=1.0.0 <1.2.3, ==2.0.0'");
  c.typed(p.version, f + ".version");
  if (!p.version.present || p.version.value.empty()) return;
  auto vf = parse_field(p.product.value, p.version.value);
  for (const auto& w : vf.warnings) c.warn(p.version, f + ".version", w, "ranges separated by commas, bounds by spaces");
  if (!vf.structured)
    c.warn(p.version, f + ".version", "free text, not version ranges (" + vf.why_free + "): `vmt affects` cannot decide on it",
           "ranges such as '>=1.0.0 <1.2.3, ==2.0.0'");
}

}  // namespace

std::vector<problem> check(const advisory& a) {
  std::vector<problem> out = a.problems;
  checker c(out);
  c.not_empty(a.id, "id", "OSSA-YYYY-NNN");
  c.typed(a.title, "title");
  c.not_empty(a.title, "title", "a one-line title");
  c.required(a.description, "description", "what the vulnerability is and who reported it");
  if (a.id.present) {
    auto id = parse_id(a.id.value);
    if (!id) {
      c.error(a.id, "id", "'" + a.id.value + "' is not an advisory id", "OSSA-YYYY-NNN, e.g. OSSA-2026-012");
    } else {
      if (a.day && a.year() != id->first)
        c.warn(a.id, "id", "the id's year " + std::to_string(id->first) + " differs from the date's year " +
                               std::to_string(a.year()),
               "the year the advisory is published");
      std::string base = a.file.substr(a.file.rfind('/') == std::string::npos ? 0 : a.file.rfind('/') + 1);
      if (!a.file.empty() && base != a.id.value + ".yaml")
        c.warn(a.id, "id", "the file is named " + base + ", not " + a.id.value + ".yaml", "name the file after the id");
    }
  }
  if (a.title.present && a.title.value.find('\n') != std::string::npos)
    c.error(a.title, "title", "a title on several lines", "one line (the rST heading cannot span lines)");

  if (a.affected.empty()) c.error(text{}, "affected-products", "missing or empty", "a list of {product, version}");
  for (std::size_t i = 0; i < a.affected.size(); ++i)
    check_versions(c, a.affected[i], "affected-products[" + std::to_string(i) + "]");

  std::set<std::string> cves;
  if (a.vulnerabilities.empty()) c.error(text{}, "vulnerabilities", "missing or empty", "a list of {cve-id}");
  for (std::size_t i = 0; i < a.vulnerabilities.size(); ++i) {
    const auto& v = a.vulnerabilities[i];
    std::string f = "vulnerabilities[" + std::to_string(i) + "].cve-id";
    if (!v.cve.present) c.error(v.cve, f, "missing", "CVE-YYYY-NNNN or Requested");
    else if (v.cve.value != "Requested" && !is_cve(v.cve.value))
      c.error(v.cve, f, "'" + v.cve.value + "' is not a CVE id", "CVE-YYYY-NNNN (four or more digits) or Requested");
    else if (!cves.insert(v.cve.value).second && v.cve.value != "Requested")
      c.warn(v.cve, f, v.cve.value + " is listed twice", "each CVE once");
  }

  if (a.reporters.empty()) c.warn(text{}, "reporters", "nobody is credited", "a list of {name, affiliation, reported}");
  for (std::size_t i = 0; i < a.reporters.size(); ++i) {
    const auto& r = a.reporters[i];
    std::string f = "reporters[" + std::to_string(i) + "]";
    text at;
    at.line = r.line;
    at.column = r.column;
    c.required(r.name.present ? r.name : at, f + ".name", "the reporter's name");
    if (r.reported_is_text)
      c.warn(r.reported.front(), f + ".reported",
             "a single value, not a list: the layout prints it one character at a time",
             "a list: 'reported: [" + r.reported.front().value + "]'");
    for (std::size_t j = 0; j < r.reported.size() && !r.reported_is_text; ++j) {
      const auto& x = r.reported[j];
      std::string fj = f + ".reported[" + std::to_string(j) + "]";
      if (!is_cve(x.value) && x.value != "Requested")
        c.error(x, fj, "'" + x.value + "' is not a CVE id", "CVE-YYYY-NNNN");
      else if (!cves.count(x.value))
        c.warn(x, fj, x.value + " is not among the vulnerabilities", "one of the cve-id values");
    }
    if (!r.reported_present && !(r.affiliation.present && !r.affiliation.value.empty() && r.affiliation.value != "UNKNOWN"))
      c.warn(r.name, f, "neither an affiliation nor what was reported: the credit line reads 'Name ()'",
             "an affiliation or a reported list");
  }

  if (a.issue_links.empty()) c.warn(text{}, "issues.links", "no bug links", "the tracker bug(s)");
  for (std::size_t i = 0; i < a.issue_links.size(); ++i)
    check_link(c, a.issue_links[i], "issues.links[" + std::to_string(i) + "]");
  for (const auto& b : a.reviews) {
    std::string f = "reviews." + b.branch.value;
    c.typed(b.branch, f);
    if (b.links.empty()) c.warn(b.branch, f, "a branch without review links", "the review(s) for this branch");
    for (std::size_t j = 0; j < b.links.size(); ++j) check_link(c, b.links[j], f + "[" + std::to_string(j) + "]");
  }
  for (std::size_t i = 0; i < a.notes.size(); ++i) c.typed(a.notes[i], "notes[" + std::to_string(i) + "]");
  if (a.errata.present && a.errata_history.empty())
    c.warn(a.errata, "errata_history", "errata without a history", "a list such as '2014-12-10 - Errata 1'");
  if (!a.errata.present && !a.errata_history.empty())
    c.warn(a.errata_history.front(), "errata_history", "a history without errata: it is not published",
           "an errata: text, or no errata_history");

  // A draft from `vmt advisory new` says TODO where the coordinator has work left.
  auto todo = [&](const text& t, const std::string& field) {
    if (t.value.find("TODO") != std::string::npos) c.warn(t, field, "still says TODO", "the final text");
  };
  todo(a.title, "title");
  todo(a.description, "description");
  for (std::size_t i = 0; i < a.affected.size(); ++i)
    todo(a.affected[i].version, "affected-products[" + std::to_string(i) + "].version");
  for (const auto& b : a.reviews)
    for (const auto& l : b.links) todo(l, "reviews." + b.branch.value);
  for (std::size_t i = 0; i < a.notes.size(); ++i) todo(a.notes[i], "notes[" + std::to_string(i) + "]");

  std::stable_sort(out.begin(), out.end(), [](const problem& x, const problem& y) {
    if (x.warning != y.warning) return !x.warning;
    return x.line < y.line;
  });
  return out;
}

std::vector<problem> check(const note& n) {
  std::vector<problem> out = n.problems;
  checker c(out);
  c.not_empty(n.id, "id", "OSSN-NNNN");
  if (n.id.present && !parse_note_id(n.id.value))
    c.error(n.id, "id", "'" + n.id.value + "' is not a note id", "OSSN-NNNN, e.g. OSSN-0097");
  c.not_empty(n.title, "title", "a one-sentence title");
  c.required(n.summary, "summary", "a few sentences describing the issue");
  c.required(n.discussion, "discussion", "the detailed discussion");
  c.required(n.actions, "recommended-actions", "what operators should do");
  if (n.affected.empty() && !n.affected_text.present)
    c.error(text{}, "affected", "missing", "affected-products and/or affected (text)");
  for (std::size_t i = 0; i < n.affected.size(); ++i)
    check_versions(c, n.affected[i], "affected-products[" + std::to_string(i) + "]");
  for (std::size_t i = 0; i < n.cves.size(); ++i)
    if (!is_cve(n.cves[i].value) && n.cves[i].value != "Requested")
      c.error(n.cves[i], "cve[" + std::to_string(i) + "]", "'" + n.cves[i].value + "' is not a CVE id", "CVE-YYYY-NNNN");
  for (std::size_t i = 0; i < n.references.size(); ++i)
    check_link(c, n.references[i].url, "references[" + std::to_string(i) + "].url");
  for (const auto& b : n.patches)
    for (std::size_t j = 0; j < b.links.size(); ++j) check_link(c, b.links[j], "patches." + b.branch.value);
  if (n.authors.empty()) c.warn(text{}, "authors", "no author", "Name, Organisation");
  const std::pair<const text*, const char*> texts[] = {{&n.title, "title"},
                                                       {&n.summary, "summary"},
                                                       {&n.affected_text, "affected"},
                                                       {&n.discussion, "discussion"},
                                                       {&n.actions, "recommended-actions"}};
  for (const auto& [t, field] : texts)
    if (t->value.find("TODO") != std::string::npos) c.warn(*t, field, "still says TODO", "the final text");
  for (const auto& p : n.affected)
    if (p.version.value.find("TODO") != std::string::npos) c.warn(p.version, "affected-products", "still says TODO", "the final text");
  for (const auto& a : n.authors)
    if (a.value.find("TODO") != std::string::npos) c.warn(a, "authors", "still says TODO", "Name, Organisation");
  std::stable_sort(out.begin(), out.end(), [](const problem& x, const problem& y) {
    if (x.warning != y.warning) return !x.warning;
    return x.line < y.line;
  });
  return out;
}

std::string format_problem(const std::string& file, const problem& p) {
  std::string s = file;
  if (p.line > 0) s += ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
  s += p.warning ? ": warning: " : ": error: ";
  if (!p.field.empty()) s += p.field + ": ";
  s += p.what;
  if (!p.expected.empty()) s += " (expected " + p.expected + ")";
  return s;
}

}  // namespace vmt::advisory
