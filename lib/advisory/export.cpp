// export.cpp: machine-readable forms of an advisory: an OSV record (osv-schema 1.7) and, per CVE,
// a CVE JSON 5 CNA container (definitions/cnaPublishedContainer), built from the structured version
// ranges where the advisory has them (see render.h, versions.h).
#include <set>

#include "advisory/layout.h"
#include "advisory/render.h"
#include "advisory/versions.h"
#include "core/text.h"

namespace vmt::advisory {

namespace {

using nlohmann::json;

std::string timestamp(const advisory& a) { return a.date.value + "T00:00:00Z"; }

// The latest "YYYY-MM-DD - ..." of the errata history, else the publication date.
std::string modified(const advisory& a) {
  std::string best = a.date.value;
  for (const auto& h : a.errata_history) {
    std::string d = h.value.substr(0, 10);
    if (clock::parse_iso_date(d) && d > best) best = d;
  }
  return best + "T00:00:00Z";
}

std::string url_of(const std::string& s) {
  std::string t = layout::strip(s);
  return t.substr(0, t.find_first_of(" \t"));
}

// Cut to at most `n` bytes on a UTF-8 boundary (CVE descriptions are limited to 4096 characters).
std::string cut(const std::string& s, std::size_t n) {
  if (s.size() <= n) return s;
  std::size_t e = n;
  while (e > 0 && (static_cast<unsigned char>(s[e]) & 0xC0) == 0x80) --e;
  return s.substr(0, e);
}

std::string details(const advisory& a) {
  std::string d = layout::strip(a.description.value);
  if (a.errata.present && !a.errata.value.empty()) d += "\n\nErrata: " + layout::strip(a.errata.value);
  return d;
}

// Products of one affected entry with their parsed ranges ("Cinder, Glance" gives two).
struct product_view {
  std::string name;  // as written
  const product_ranges* ranges = nullptr;
  std::string text;  // the version field
  bool structured = false;
};

std::vector<product_view> products(const affected_product& p, version_field& f) {
  std::vector<product_view> out;
  f = parse_field(p.product.value, p.version.value);
  if (f.structured) {
    for (const auto& g : f.groups) out.push_back({g.product, &g, p.version.value, true});
  } else {
    std::string cur;
    for (char c : p.product.value + ",") {
      if (c == ',') {
        if (!layout::strip(cur).empty()) out.push_back({layout::strip(cur), nullptr, p.version.value, false});
        cur.clear();
      } else {
        cur += c;
      }
    }
  }
  return out;
}

}  // namespace

nlohmann::json renderer::osv(const advisory& a) const {
  json j;
  j["schema_version"] = "1.7.0";
  j["id"] = opts_.osv_prefix + a.id.value;
  j["modified"] = modified(a);
  j["published"] = timestamp(a);
  json aliases = json::array();
  for (const auto& v : a.vulnerabilities)
    if (auto id = cve_id_of(v.cve.value)) aliases.push_back(*id);
  if (!aliases.empty()) j["aliases"] = aliases;
  j["summary"] = layout::strip(a.title.value);
  j["details"] = details(a);
  json affected = json::array();
  for (const auto& p : a.affected) {
    version_field f;
    for (const auto& pv : products(p, f)) {
      json e;
      e["package"] = {{"ecosystem", opts_.osv_ecosystem}, {"name", normalized_product(pv.name)}};  // PEP 503
      json db = {{"affected_text", pv.text}};
      if (pv.structured) {
        json ranges = json::array();
        json versions = json::array();
        for (const auto& r : pv.ranges->ranges)
          for (const auto& b : to_bounds(r)) {
            if (!b.exact.empty()) {
              versions.push_back(b.exact);
              continue;
            }
            json events = json::array({{{"introduced", b.introduced}}});
            if (!b.fixed.empty()) events.push_back({{"fixed", b.fixed}});
            if (!b.last_affected.empty()) events.push_back({{"last_affected", b.last_affected}});
            ranges.push_back({{"type", "ECOSYSTEM"}, {"events", events}});
          }
        if (!ranges.empty()) e["ranges"] = ranges;
        if (!versions.empty()) e["versions"] = versions;
      } else {
        db["undecidable"] = true;  // free text: no machine-readable range
      }
      e["database_specific"] = db;
      affected.push_back(e);
    }
  }
  j["affected"] = affected;
  json refs = json::array();
  std::set<std::string> seen;
  auto ref = [&](const std::string& type, const std::string& url) {
    if (!url.empty() && seen.insert(url).second) refs.push_back({{"type", type}, {"url", url}});
  };
  ref("ADVISORY", advisory_url(a.id.value));
  for (const auto& l : a.issue_links) ref("REPORT", url_of(l.value));
  for (const auto* b : sorted_branches(a.reviews))
    for (const auto& l : b->links) ref("FIX", url_of(l.value));
  j["references"] = refs;
  json credits = json::array();
  for (const auto& r : a.reporters)
    if (!layout::strip(r.name.value).empty()) credits.push_back({{"name", layout::strip(r.name.value)}, {"type", "REPORTER"}});
  if (!credits.empty()) j["credits"] = credits;
  j["database_specific"] = {{"source", advisory_url(a.id.value)}};
  return j;
}

std::map<std::string, nlohmann::json> renderer::cna(const advisory& a) const {
  std::map<std::string, json> out;
  json affected = json::array();
  for (const auto& p : a.affected) {
    version_field f;
    for (const auto& pv : products(p, f)) {
      json e = {{"vendor", opts_.vendor}, {"product", layout::capitalize(pv.name)}};
      json versions = json::array();
      if (pv.structured) {
        e["defaultStatus"] = "unaffected";
        for (const auto& r : pv.ranges->ranges)
          for (const auto& b : to_bounds(r)) {
            if (!b.exact.empty()) {
              versions.push_back({{"version", b.exact}, {"status", "affected"}});
              continue;
            }
            json v = {{"version", b.introduced}, {"status", "affected"}, {"versionType", "python"}};
            if (!b.fixed.empty()) v["lessThan"] = b.fixed;
            else if (!b.last_affected.empty()) v["lessThanOrEqual"] = b.last_affected;
            else v["lessThan"] = "*";
            versions.push_back(v);
          }
      } else {
        // Free text cannot be compared: say what was published and leave the rest unknown.
        e["defaultStatus"] = "unknown";
        versions.push_back({{"version", cut(pv.text.empty() ? "unknown" : pv.text, 1024)}, {"status", "affected"}});
      }
      // uniqueItems: the same exact version twice would make the record invalid.
      json unique = json::array();
      for (const auto& v : versions)
        if (std::find(unique.begin(), unique.end(), v) == unique.end()) unique.push_back(v);
      e["versions"] = unique;
      affected.push_back(e);
    }
  }
  if (affected.empty())
    affected.push_back({{"vendor", opts_.vendor}, {"product", "unknown"}, {"defaultStatus", "unknown"}});
  json refs = json::array();
  std::set<std::string> seen;
  auto ref = [&](const std::string& url, const std::string& tag) {
    if (url.empty() || !seen.insert(url).second) return;
    json r = {{"url", url}};
    if (!tag.empty()) r["tags"] = json::array({tag});
    refs.push_back(r);
  };
  ref(advisory_url(a.id.value), "vendor-advisory");
  for (const auto& l : a.issue_links) ref(url_of(l.value), "issue-tracking");
  for (const auto* b : sorted_branches(a.reviews))
    for (const auto& l : b->links) ref(url_of(l.value), "patch");

  for (const auto& v : a.vulnerabilities) {
    auto cve = cve_id_of(v.cve.value);
    if (!cve) continue;  // "Requested" (or a placeholder): no record until MITRE assigns one
    json c;
    json meta = {{"orgId", opts_.cna_org_id}};
    if (!opts_.cna_short_name.empty()) meta["shortName"] = opts_.cna_short_name;
    c["providerMetadata"] = meta;
    std::string title = layout::strip(a.title.value);
    if (!title.empty()) c["title"] = cut(title, 256);
    c["datePublic"] = timestamp(a);
    std::string desc = details(a);
    if (v.note.present && !v.note.value.empty()) desc += " (" + *cve + ": " + v.note.value + ")";
    c["descriptions"] = json::array({{{"lang", "en"}, {"value", cut(desc.empty() ? title : desc, 4096)}}});
    c["affected"] = affected;
    c["references"] = refs;
    json credits = json::array();
    std::set<std::string> names;
    for (const auto& r : a.reporters) {
      bool named = r.reported.empty() || r.reported_is_text;
      for (const auto& x : r.reported)
        if (cve_id_of(x.value) == cve) named = true;
      std::string who = layout::strip(r.name.value);
      if (!named || who.empty()) continue;
      if (!r.affiliation.value.empty() && r.affiliation.value != "UNKNOWN") who += " (" + r.affiliation.value + ")";
      if (names.insert(who).second) credits.push_back({{"lang", "en"}, {"value", who}, {"type", "finder"}});
    }
    if (!credits.empty()) c["credits"] = credits;
    out[*cve] = json{{"cnaContainer", c}};
  }
  return out;
}

nlohmann::json renderer::records(const advisory& a) const {
  nlohmann::json j;
  j["id"] = a.id.value;
  j["osv"] = osv(a);
  nlohmann::json cves = nlohmann::json::object();
  for (auto& [id, c] : cna(a)) cves[id] = c;
  j["cve"] = cves;
  return j;
}

}  // namespace vmt::advisory
