// sync.h: `vmt tracker sync CASE`: make the bug look like what the store says it should, after an
// outage or after someone changed it by hand. The differences are reported before anything is
// written, and only what the store knows is re-applied: subscribers the store does not know of are
// reported, never removed.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/status.h"
#include "store/store.h"
#include "tracker/tracker.h"

namespace vmt::tracker {

struct difference {
  std::string field;  // title, description, information_type, task:ossa, subscriber, cve
  std::string have;
  std::string want;
  bool report_only = false;  // shown, never written (e.g. a subscriber the store does not know)
};

// What the store says the bug should look like.
struct wanted_bug {
  std::string title;
  std::string information_type;
  std::string reminder;          // the embargo reminder text recorded at reception
  bool reminder_present = true;  // at the head of the description while private; removed after
  std::vector<std::pair<std::string, std::string>> tasks;  // (project, status)
  std::vector<std::string> subscribers;
  std::vector<std::string> cves;
};

// The case's title without what the process adds to it: the Title line of the impact description
// when there is one, else the case title; a "[OSSA-...] " prefix or " (CVE-...)" suffix that an
// older store kept in the title is taken off, so that it is never added twice.
std::string base_title(const store::case_record& c, const std::string& advisory_prefix = "OSSA");

// The title the process gives a case's bug: "$TITLE ($CVE)" once a CVE is assigned,
// "[OSSA-$NUM] $TITLE" once the advisory is out (the case is public and has an advisory id).
std::string process_title(const store::case_record& c, const std::string& advisory_prefix = "OSSA");

result<wanted_bug> wanted(const config::config& cfg, store::store& st, const store::case_record& c);

// Compare the bug with what the store wants.
result<std::vector<difference>> compare(const config::config& cfg, store::store& st, tracker& t,
                                        const store::case_record& c);

// Compare, then write what differs (unless `write` is false). Privacy first: a bug that should be
// private is made private before anything else is written; one that should be public is made
// public last. Records a ledger event when it wrote something.
result<std::vector<difference>> sync(const config::config& cfg, store::store& st, tracker& t,
                                     const std::string& case_id, bool write, const std::string& actor);

}  // namespace vmt::tracker
