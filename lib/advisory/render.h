// render.h: advisories and notes as the texts people read (rST mail, HTML page, plain-text note)
// and as the records machines read (OSV, CVE JSON 5 CNA container).
//
// Every layout lives in templates/advisory/ (ctemplate) so that a team changes its wording and
// layout there, not here; this code only fills dictionaries (sorting patches, choosing which credit
// form applies) and registers the text modifiers of layout.h.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "advisory/advisory.h"
#include "core/status.h"

namespace vmt::tmpl {
class engine;
}
namespace vmt::config {
struct config;
}

namespace vmt::advisory {

struct render_options {
  std::vector<std::string> template_roots;  // searched in order, then the shipped (compiled-in) ones
  std::string vendor = "OpenStack";
  std::string team = "OpenStack Vulnerability Management Team";
  std::string site_url = "https://security.openstack.org";  // absolute links in exports and the feed
  std::string osv_prefix = "x_";  // OSV ids need a registered prefix; "x_" is the private one
  std::string osv_ecosystem = "PyPI";
  std::string cna_org_id = "00000000-0000-4000-8000-000000000000";  // the CNA's UUID (placeholder)
  std::string cna_short_name;
};

// Renderer settings for a team: its templates folder first, vendor, team name and site URL.
render_options options_for(const config::config& cfg);

// Links of a page to the rest of the site; empty when the page stands alone.
struct page_links {
  std::string root;  // "../" from a page to the site root
  std::string prev_id, prev_title, next_id, next_title;
  bool standalone = true;  // inline the style sheet instead of linking it
};

class renderer {
 public:
  explicit renderer(render_options opts);
  ~renderer();
  renderer(const renderer&) = delete;
  renderer& operator=(const renderer&) = delete;

  const render_options& options() const { return opts_; }

  // The announcement text (templates/advisory/advisory.rst.tpl).
  result<std::string> rst(const advisory& a) const;
  // One HTML page (templates/advisory/advisory.html.tpl).
  result<std::string> html(const advisory& a, const page_links& links = {}) const;
  // The security note as mailed (templates/advisory/note.txt.tpl) and as a page.
  result<std::string> text(const note& n) const;
  result<std::string> html(const note& n, const page_links& links = {}) const;

  // OSV record (id PREFIX + advisory id) and one CNA container per CVE id.
  nlohmann::json osv(const advisory& a) const;
  std::map<std::string, nlohmann::json> cna(const advisory& a) const;
  // Both, as `vmt advisory render --format json` prints them.
  nlohmann::json records(const advisory& a) const;

  // Render any template of the advisory folder with a prepared dictionary (site pages, feed).
  const tmpl::engine& engine() const { return *engine_; }

  // Absolute URL of an advisory page / note page on the site.
  std::string advisory_url(const std::string& id) const;
  std::string note_url(const std::string& id) const;

 private:
  render_options opts_;
  std::unique_ptr<tmpl::engine> engine_;
  std::string style_;  // the style sheet, for standalone pages
};

// Paragraphs of a description for HTML: blank lines separate paragraphs when there are any,
// else every line is one (a folded YAML scalar keeps a newline only where the author left a blank
// line).
std::vector<std::string> paragraphs(const std::string& s);

// The CVE id a cve-id field names, for links and records: "CVE-2016-0737 (client to proxy)" names
// CVE-2016-0737; "Requested" and "CVE-2026-pending" name none.
std::optional<std::string> cve_id_of(const std::string& field);

// Patches in the order the rST layout lists them: branches sorted as plain strings (code points).
std::vector<const review_branch*> sorted_branches(const std::vector<review_branch>& reviews);

}  // namespace vmt::advisory
