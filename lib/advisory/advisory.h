// advisory.h: the published documents of the VMT process: security advisories (OSSA-YYYY-NNN, one
// YAML file each, as in openstack/ossa) and security notes (OSSN-NNNN, the outcome of the B classes).
//
// Loading reads the YAML exactly as the real publication pipeline (PyYAML, YAML 1.1) reads it, so
// that rendering reproduces the published text byte for byte; `check` then says what is wrong
// (errors) or legal but suspicious (warnings), each with file, line, column and field.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace vmt::advisory {

// A value and where it was written (line and column are 1-based, 0 when absent).
struct text {
  std::string value;
  int line = 0;
  int column = 0;
  bool present = false;
  bool typed = false;  // an unquoted value that YAML 1.1 reads as a number, boolean or date
  std::string type;    // "float", "int", ... when typed
};

struct affected_product {
  text product;  // "nova"; the layout capitalises it
  text version;  // ">=17.0.0 <26.1.7, >=27.0.0 <29.0.6" or free text ("Essex (2012.1)")
};

struct vulnerability {
  text cve;   // CVE-2026-44916 or "Requested"
  text note;  // optional, shown after the id
};

struct reporter {
  text name;
  text affiliation;             // absent, "UNKNOWN" or an organisation
  std::vector<text> reported;   // CVE ids this person reported
  bool reported_present = false;
  bool reported_is_text = false;  // `reported: CVE-...` instead of a list (published letter by letter)
  int line = 0;
  int column = 0;
};

struct review_branch {
  text branch;               // "2025.1/epoxy", "master", "bugfix/34.0"
  std::vector<text> links;   // review URLs, optionally followed by a comment
};

struct problem {
  int line = 0;
  int column = 0;
  std::string field;
  std::string what;
  std::string expected;
  bool warning = false;
};

struct advisory {
  std::string file;
  text id;
  text date;
  std::optional<clock::days> day;  // the date when it is a real calendar date
  text title;
  text description;
  text errata;
  std::vector<affected_product> affected;
  std::vector<vulnerability> vulnerabilities;
  std::vector<reporter> reporters;
  std::vector<text> issue_links;
  std::vector<review_branch> reviews;  // in file order; the rST layout sorts them
  std::vector<text> notes;
  std::vector<text> errata_history;
  // Problems found while reading the structure (wrong types, unknown keys); check() adds more.
  std::vector<problem> problems;

  int year() const;  // from the date (0 when unknown)
};

// A security note (OSSN-NNNN). Sections follow the OSSN template; see templates/advisory/note.txt.tpl.
struct note_link {
  text label;
  text url;
};
struct note {
  std::string file;
  text id;  // OSSN-0097
  text date;
  std::optional<clock::days> day;
  text title;
  text summary;
  std::vector<affected_product> affected;
  text affected_text;  // prose after the affected list
  text discussion;
  text actions;        // recommended actions
  std::vector<review_branch> patches;
  text patches_text;
  text credits;
  std::vector<text> authors;
  std::vector<note_link> references;  // "Original Launchpad bug: URL", ...
  std::vector<text> cves;
  std::vector<problem> problems;
};

// Load an advisory. failure::data (with file:line:column and the field) when the file is not YAML,
// too large, too deep, or lacks what every layout needs (id, title, date); other problems are kept
// in `problems` for check().
result<advisory> load(const std::string& file);
result<advisory> load_text(const std::string& file, const std::string& yaml);
result<note> load_note(const std::string& file);
result<note> load_note_text(const std::string& file, const std::string& yaml);

// Is this YAML file a note (OSSN-...) rather than an advisory? Decided from the file name.
bool is_note_file(const std::string& path);

// Validate: required fields, date, id form, CVE ids, links, version ranges. Returns the problems
// (loading problems included), errors first.
std::vector<problem> check(const advisory& a);
std::vector<problem> check(const note& n);

// "FILE:LINE:COL: error: FIELD: WHAT (expected ...)" for a terminal.
std::string format_problem(const std::string& file, const problem& p);

// Advisory id parts: "OSSA-2026-012" -> {2026, 12}.
std::optional<std::pair<int, int>> parse_id(const std::string& id, const std::string& prefix = "OSSA");
// "OSSN-0097" -> 97.
std::optional<int> parse_note_id(const std::string& id, const std::string& prefix = "OSSN");

// The next free advisory id for `year` among the YAML files in `dir` ("OSSA-2026-013").
result<std::string> next_id(const std::string& dir, int year, const std::string& prefix = "OSSA");

// The next free note id among the YAML files in `dir` ("OSSN-0097"); notes are numbered across years.
result<std::string> next_note_id(const std::string& dir, const std::string& prefix = "OSSN");

// All advisory and note files of a folder, sorted by name.
result<std::vector<std::string>> list_sources(const std::string& dir);

}  // namespace vmt::advisory
