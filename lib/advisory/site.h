// site.h: the static advisory site: an index newest first with a section per year, one page per
// advisory and note (with the mailed text beside it), an Atom feed, an OSV record per advisory and a
// CVE JSON 5 CNA container per CVE. Plain HTML and one style sheet, no script.
//
// Layout of DIR:
//   index.html  notes.html  atom.xml  style.css  .vmt-site
//   ossa/OSSA-YYYY-NNN.html  ossa/OSSA-YYYY-NNN.rst  ossa/OSSA-YYYY-NNN.osv.json
//   ossn/OSSN-NNNN.html      ossn/OSSN-NNNN.txt
//   cve/CVE-YYYY-NNNN.json
//
// The site is built in a hidden sibling (PARENT/.NAME.vmt-prev, the previous build, reused) and
// exchanged with DIR atomically, so readers never see half a site and a failed build leaves the
// current one. DIR is replaced only when vmt made it (.vmt-site marker) or it is empty.
#pragma once

#include <string>
#include <vector>

#include "advisory/render.h"
#include "core/status.h"

namespace vmt::advisory {

struct site_stats {
  int advisories = 0;
  int notes = 0;
  int files = 0;
  int cve_records = 0;
  std::vector<std::string> warnings;
};

// Build the site for the YAML files of `source_dir` into `out_dir`. failure::data names every file
// that does not load and every id used twice (nothing is published then); what `check` finds in
// the others is in `warnings`. failure::cant_create when `out_dir` exists and was not made by vmt.
result<site_stats> build_site(const renderer& r, const std::string& source_dir, const std::string& out_dir);

}  // namespace vmt::advisory
