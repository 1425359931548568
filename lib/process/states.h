// states.h: the OSSA task state machine: the statuses a case's advisory task goes through, their
// names in Launchpad and StoryBoard, the step of the process each stands for, and which verb may
// move a case from one status to the next.
//
// Pure logic: nothing here touches a tracker or the store. The workflow verbs ask
// check_transition() before they act, and write the status it returns.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vmt::process {

// The OSSA task statuses, in the order a case normally goes through them (seed "OSSA Task status"
// and the diagram's "OSSA bugtask status" row).
enum class ossa_status {
  incomplete,     // Todo/Incomplete: unclear whether the report warrants an advisory
  confirmed,      // Progress/Confirmed: confirmed, impact description in progress
  triaged,        // Review/Triaged: impact description submitted for review
  in_progress,    // In Progress: CVE requested; embargoed disclosure happens here
  fix_committed,  // Fix Committed: patches public (or, public report, CVE assigned)
  fix_released,   // Merged/Fix Released: all patches merged
  wont_fix,       // Invalid/Won't Fix: no further action to be taken
  invalid,
};

struct status_info {
  ossa_status status;
  std::string_view id;          // "in_progress": stable, for the store and JSON
  std::string_view launchpad;   // "In Progress"
  std::string_view storyboard;  // "review": StoryBoard has five task statuses, several map to one
  std::string_view step;        // the process step(s) of the diagram this status covers
  std::string_view meaning;     // the seed's table where it has a row, else our wording
};

// Every status, in process order.
std::span<const status_info> statuses();
const status_info& info(ossa_status s);
// "In Progress" (the Launchpad name, used in messages).
std::string_view name(ossa_status s);
// From an id, a Launchpad or a StoryBoard name, case-insensitively ("New" reads as Incomplete, as
// reception turns a new bug's task into Todo/Incomplete). StoryBoard names map to the seed's pair:
// todo, inprogress (Confirmed), review (Triaged), merged (Fix Released), invalid.
std::optional<ossa_status> parse_status(std::string_view s);

// Not closed: Fix Released, Won't Fix and Invalid are the closed statuses.
bool is_open(ossa_status s);

// What a coordinator does to a case, as far as the OSSA task is concerned.
enum class verb {
  confirm,      // the VMT confirms an OSSA is warranted
  challenge,    // the need for an OSSA is challenged: back to Incomplete until resolved
  describe,     // the impact description is submitted for review (`vmt review`; alias "describe")
  cve_request,  // the CVE request is sent to MITRE
  cve_assign,   // MITRE assigned the CVE
  notify,       // embargoed disclosure to the downstream stakeholders
  disclose,     // disclosure hour: bug opened, patches pushed
  publish,      // the advisory is sent to the announcement lists
  release,      // every patch merged to its branch
  end_embargo,  // embargo ended early: switch to the public workflow
  wont_fix,     // no OSSA, no benefit to an OSSN: the bug goes public
  invalid,
};

// The verb's command name: "cve-request", "won't-fix", ...
std::string_view verb_name(verb v);
// Command name to verb ("wont-fix", "won't-fix", "wont_fix", "describe" -> review).
std::optional<verb> parse_verb(std::string_view s);
std::span<const verb> all_verbs();

// What the state machine must know besides the status. The caller reads it from the case.
struct case_facts {
  bool embargoed = true;        // private report under embargo (false: public workflow)
  bool cve_assigned = false;    // a CVE id is recorded on the case
  bool patches_merged = false;  // every patch has merged on its branch
};

// The status `v` leads to from `from`, or failure::unavailable whose message says which status the
// case is in (and the step it stands for), why `v` is refused, and what is allowed next. `where`
// names the case in the message ("VMT-2026-001").
result<ossa_status> check_transition(ossa_status from, verb v, const case_facts& facts = {},
                                     std::string_view where = "case");

// The verbs check_transition accepts from `from`, in process order.
std::vector<verb> allowed_verbs(ossa_status from, const case_facts& facts = {});

}  // namespace vmt::process
