// osv_dump.h: the site's osv/ folder, laid out as osv.dev's own data dumps are, so that osv.dev (or
// any mirror of it) can take the team's records as a source: one <ID>.json per record, all.zip
// holding all of them, modified_id.csv ("<modified>,<id>", newest first: an importer stops at the
// first line it has seen) and index.json (the [{"id", "modified"}] array of osv.dev's REST source
// type). ../shared/docs/forge-and-csaf-api.md, section 4.3.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace vmt::advisory {

struct dump_file {
  std::string path;  // relative to the site, e.g. "osv/x_OSSA-2026-001.json"
  std::string bytes;
};

// The files of the dump for these OSV records. The zip is reproducible: the same records give the
// same bytes (entries in id order, each dated by its record's `modified`), so a rebuild leaves it
// untouched and its signature valid.
result<std::vector<dump_file>> osv_dump(const std::vector<nlohmann::json>& records);

}  // namespace vmt::advisory
