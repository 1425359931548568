// render.cpp: fill the advisory and note templates (see render.h).
//
// The data decisions that the published layout makes (which credit form applies, which CVE gets a
// reference link, the order of patches) are taken here because they follow from the data model;
// everything about how the result looks is in templates/advisory/.
#include "advisory/render.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "advisory/layout.h"
#include "config/config.h"
#include "tmpl/tmpl.h"

namespace vmt::advisory {

render_options options_for(const config::config& cfg) {
  render_options o;
  o.template_roots = {cfg.path(cfg.templates)};
  o.vendor = cfg.team.vendor;
  o.team = cfg.team.vendor + " " + cfg.team.name;
  if (!cfg.team.site_url.empty()) o.site_url = cfg.team.site_url;
  return o;
}

namespace {

std::string date_long(const std::optional<clock::days>& d, const text& raw) {
  if (!d) return raw.value;
  std::chrono::year_month_day ymd{*d};
  return layout::long_date(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                           static_cast<unsigned>(ymd.day()));
}

// Python truthiness of a YAML value as the layout tests it ({% if reporter['affiliation'] %}).
bool truthy(const text& t) {
  if (!t.present || t.value.empty()) return false;
  if (t.typed && (t.value == "0" || t.value == "0.0" || t.value == "False" || t.value == "None")) return false;
  return true;
}

// ", ".join(value): a list joins its items; a single text joins its characters (as published).
std::string csv(const reporter& r) {
  std::string out;
  std::vector<std::string> items;
  if (r.reported_is_text) items = layout::split_code_points(r.reported.front().value);
  else
    for (const auto& x : r.reported) items.push_back(x.value);
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

void set_links(tmpl::dictionary& d, const page_links& links, const std::string& style) {
  d.set("ROOT", links.root);
  if (links.standalone) {
    d.add("INLINE_STYLE").set("CSS", style);
  } else {
    d.show("SITE");
    d.add("STYLE_LINK").set("HREF", links.root + "style.css");
    if (!links.prev_id.empty()) d.add("PREV").set("PREV_ID", links.prev_id).set("PREV_TITLE", links.prev_title);
    if (!links.next_id.empty()) d.add("NEXT").set("NEXT_ID", links.next_id).set("NEXT_TITLE", links.next_title);
  }
}

void add_paragraphs(tmpl::dictionary& d, const std::string& section, const std::string& s) {
  for (const auto& p : paragraphs(s)) d.add(section).set("PARA", p);
}

}  // namespace

std::vector<std::string> paragraphs(const std::string& s) {
  std::vector<std::string> out;
  auto lines = layout::splitlines(s);
  bool blank_separated = std::any_of(lines.begin(), lines.end(), [](const std::string& l) { return layout::strip(l).empty(); });
  std::string cur;
  for (const auto& l : lines) {
    std::string t = layout::strip(l);
    if (t.empty() || !blank_separated) {
      if (!blank_separated && !t.empty()) out.push_back(t);
      else if (!cur.empty()) out.push_back(cur);
      cur.clear();
      continue;
    }
    cur += (cur.empty() ? "" : " ") + t;
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::optional<std::string> cve_id_of(const std::string& field) {
  std::string t = layout::strip(field);
  t = t.substr(0, t.find_first_of(" \t"));
  // CVE-YYYY-NNNN with four or more digits.
  if (t.size() < 13 || t.compare(0, 4, "CVE-") != 0 || t[8] != '-') return std::nullopt;
  for (std::size_t i = 4; i < t.size(); ++i)
    if (i != 8 && !std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
  return t;
}

std::vector<const review_branch*> sorted_branches(const std::vector<review_branch>& reviews) {
  std::vector<const review_branch*> v;
  for (const auto& b : reviews) v.push_back(&b);
  // std::string compares bytes as unsigned char: UTF-8 byte order is code point order, as Python's.
  std::stable_sort(v.begin(), v.end(), [](const review_branch* x, const review_branch* y) {
    return x->branch.value < y->branch.value;
  });
  return v;
}

renderer::renderer(render_options opts) : opts_(std::move(opts)) {
  layout::register_modifiers();
  engine_ = std::make_unique<tmpl::engine>(opts_.template_roots);
  auto css = engine_->source("advisory/style.css");
  style_ = css ? *css : std::string();
}

renderer::~renderer() = default;

std::string renderer::advisory_url(const std::string& id) const { return opts_.site_url + "/ossa/" + id + ".html"; }
std::string renderer::note_url(const std::string& id) const { return opts_.site_url + "/ossn/" + id + ".html"; }

result<std::string> renderer::rst(const advisory& a) const {
  tmpl::dictionary d;
  d.set("ID", a.id.value).set("TITLE", a.title.value).set("DATE", date_long(a.day, a.date));
  for (const auto& v : a.vulnerabilities) {
    auto& c = d.add("CVE");
    c.set("CVE_ID", v.cve.value);
    if (v.note.present) c.add("CVE_NOTE").set("CVE_NOTE_TEXT", v.note.value);
  }
  for (const auto& p : a.affected) d.add("AFFECTED").set("PRODUCT", p.product.value).set("VERSION", p.version.value);
  d.set("DESCRIPTION", a.description.value);
  if (truthy(a.errata)) {
    d.add("ERRATA").set("ERRATA_TEXT", a.errata.value);
    auto& h = d.add("HISTORY");
    for (const auto& c : a.errata_history) h.add("CHANGE").set("CHANGE_TEXT", c.value);
  }
  for (const auto* b : sorted_branches(a.reviews))
    for (const auto& l : b->links) d.add("PATCH").set("LINK", l.value).set("BRANCH", b->branch.value);
  for (const auto& r : a.reporters) {
    auto& c = d.add("REPORTER");
    c.set("NAME", r.name.value);
    bool from = truthy(r.affiliation) && r.affiliation.value != "UNKNOWN";
    if (from) c.add("FROM").set("AFFILIATION", r.affiliation.value);
    if (!from || r.reported_present) c.add("REPORTED").set("REPORTED_LIST", csv(r));
  }
  for (const auto& l : a.issue_links) d.add("LINK").set("URL", l.value);
  for (const auto& v : a.vulnerabilities)
    if (v.cve.value != "Requested") d.add("CVE_LINK").set("CVE_ID", v.cve.value);
  if (!a.notes.empty()) {
    auto& n = d.add("NOTES");
    for (const auto& x : a.notes) n.add("NOTE").set("NOTE_TEXT", x.value);
  }
  return engine_->render("advisory/advisory.rst.tpl", d);
}

result<std::string> renderer::html(const advisory& a, const page_links& links) const {
  tmpl::dictionary d;
  set_links(d, links, style_);
  d.set("ID", a.id.value).set("TITLE", a.title.value).set("DATE", date_long(a.day, a.date));
  d.set("DATE_ISO", a.date.value).set("VENDOR", opts_.vendor).set("TEAM", opts_.team);
  for (const auto& v : a.vulnerabilities) {
    auto& c = d.add("CVE");
    c.set("CVE_ID", v.cve.value);
    if (v.note.present) c.add("CVE_NOTE").set("CVE_NOTE_TEXT", v.note.value);
  }
  for (const auto& p : a.affected) d.add("AFFECTED").set("PRODUCT", p.product.value).set("VERSION", p.version.value);
  add_paragraphs(d, "DESCRIPTION", a.description.value);
  if (truthy(a.errata)) {
    auto& e = d.add("ERRATA");
    add_paragraphs(e, "ERRATA_PARA", a.errata.value);
    for (const auto& c : a.errata_history) e.add("CHANGE").set("CHANGE_TEXT", c.value);
  }
  if (!a.reviews.empty()) {
    auto& ps = d.add("PATCHES");
    for (const auto* b : sorted_branches(a.reviews)) {
      auto& br = ps.add("BRANCH");
      br.set("BRANCH_NAME", layout::strip(layout::capitalize(b->branch.value)));
      // The whole line, links marked up where they are: some entries are prose with a link.
      for (const auto& l : b->links) br.add("PATCH").set("LINE", layout::strip(l.value));
    }
  }
  for (const auto& r : a.reporters) {
    auto& c = d.add("REPORTER");
    c.set("NAME", layout::strip(r.name.value));
    if (truthy(r.affiliation) && r.affiliation.value != "UNKNOWN") c.add("FROM").set("AFFILIATION", r.affiliation.value);
    if (!r.reported.empty()) c.add("REPORTED").set("REPORTED_LIST", csv(r));
  }
  for (const auto& l : a.issue_links) d.add("LINK").set("LINE", layout::strip(l.value));
  for (const auto& v : a.vulnerabilities)
    if (auto id = cve_id_of(v.cve.value)) d.add("CVE_LINK").set("CVE_ID", *id);
  if (!a.notes.empty()) {
    auto& n = d.add("NOTES");
    for (const auto& x : a.notes) n.add("NOTE").set("NOTE_TEXT", x.value);
  }
  if (!links.standalone) {
    auto& src = d.add("SOURCES");
    src.set("ID", a.id.value);
    for (const auto& v : a.vulnerabilities)
      if (auto id = cve_id_of(v.cve.value)) src.add("CVE_RECORD").set("CVE_ID", *id);
  }
  return engine_->render("advisory/advisory.html.tpl", d);
}

namespace {
void fill_note(tmpl::dictionary& d, const note& n, const std::string& date) {
  d.set("ID", n.id.value).set("TITLE", n.title.value).set("DATE", date).set("DATE_ISO", n.date.value);
  d.set("SUMMARY", n.summary.value).set("DISCUSSION", n.discussion.value).set("ACTIONS", n.actions.value);
  for (const auto& p : n.affected) d.add("AFFECTED").set("PRODUCT", p.product.value).set("VERSION", p.version.value);
  if (n.affected_text.present) d.add("AFFECTED_TEXT").set("TEXT", n.affected_text.value);
  if (!n.patches.empty() || n.patches_text.present) {
    auto& p = d.add("PATCHES");
    if (n.patches_text.present) p.add("PATCHES_TEXT").set("TEXT", n.patches_text.value);
    for (const auto* b : sorted_branches(n.patches))
      for (const auto& l : b->links) p.add("PATCH").set("BRANCH", b->branch.value).set("URL", l.value);
  }
  if (n.credits.present) d.add("CREDITS").set("TEXT", n.credits.value);
  for (const auto& a : n.authors) d.add("AUTHOR").set("AUTHOR_NAME", a.value);
  for (const auto& r : n.references) d.add("REFERENCE").set("LABEL", r.label.value).set("URL", r.url.value);
  std::string cves;
  for (const auto& c : n.cves) cves += (cves.empty() ? "" : ", ") + c.value;
  if (!cves.empty()) d.add("CVES").set("CVE_LIST", cves);
}
}  // namespace

result<std::string> renderer::text(const note& n) const {
  tmpl::dictionary d;
  fill_note(d, n, date_long(n.day, n.date));
  d.set("NOTE_URL", note_url(n.id.value));
  return engine_->render("advisory/note.txt.tpl", d);
}

result<std::string> renderer::html(const note& n, const page_links& links) const {
  tmpl::dictionary d;
  set_links(d, links, style_);
  fill_note(d, n, date_long(n.day, n.date));
  d.set("VENDOR", opts_.vendor).set("TEAM", opts_.team);
  if (!links.standalone) d.add("SOURCES").set("ID", n.id.value);
  return engine_->render("advisory/note.html.tpl", d);
}

}  // namespace vmt::advisory
