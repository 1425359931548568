// tracker.h: the bug tracker as the process uses it, whatever it is: the embedded local tracker,
// Launchpad or StoryBoard.
//
// Every operation the VMT process performs on a bug goes through this interface. Operations that
// create something are idempotent by looking first (a retried reception must not open a second
// bug); failures are classified: failure::temporary for outages (the filter then exits 75),
// failure::permission / unavailable for what a person must fix, with the fix in the message.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/status.h"

namespace vmt::tracker {

// OSSA task status, named as Launchpad names them; StoryBoard maps them (todo, inprogress, ...).
// Incomplete, Confirmed, Triaged, In Progress, Fix Committed, Fix Released, Won't Fix, Invalid.

struct bug_ref {
  std::string id;   // "2148307" or a story id
  std::string url;  // web link
};

struct bug_state {
  bug_ref ref;
  std::string title;
  std::string description;
  std::string information_type;  // Private Security, Public Security, Public
  std::vector<std::string> tags;
  std::vector<std::string> subscribers;  // team and person names
  std::string owner;                     // who filed it (the VMT's own account for bugs it opened)
  std::vector<std::pair<std::string, std::string>> tasks;  // (project, status)
  std::vector<std::string> cves;
  std::vector<std::string> comments;
  std::vector<std::string> attachments;  // file names
};

struct new_bug {
  std::string case_id;  // lets find_bug_for_case() find it again after a crash
  std::string project;
  std::string title;
  std::string description;
  std::string information_type = "Private Security";
};

class tracker {
 public:
  virtual ~tracker() = default;
  virtual std::string kind() const = 0;

  // The bug opened earlier for `case_id`, if any (look-first for idempotent creation).
  virtual result<std::optional<bug_ref>> find_bug_for_case(const std::string& case_id,
                                                           const std::string& project) = 0;
  virtual result<bug_ref> create_bug(const new_bug& bug) = 0;
  virtual result<bug_state> get_bug(const std::string& id) = 0;

  virtual status set_title(const std::string& id, const std::string& title) = 0;
  virtual status set_description(const std::string& id, const std::string& description) = 0;
  virtual status set_information_type(const std::string& id, const std::string& type) = 0;
  virtual status set_tags(const std::string& id, const std::vector<std::string>& tags) = 0;

  // Add a task for `project` (the ossa task) if missing, then set its status.
  virtual status ensure_task(const std::string& id, const std::string& project, const std::string& status) = 0;
  virtual status set_task_status(const std::string& id, const std::string& project, const std::string& status) = 0;
  // Subscribe a team or person by tracker name; no-op when already subscribed.
  virtual status subscribe(const std::string& id, const std::string& who) = 0;
  // Post a comment. `key` identifies it for idempotency: a second call with the same key is a no-op.
  virtual status comment(const std::string& id, const std::string& key, const std::string& text) = 0;
  virtual status attach(const std::string& id, const std::string& filename, const std::string& data,
                        bool is_patch, const std::string& comment) = 0;
  // Link a CVE; trackers that do not know it fall back to a comment naming it.
  virtual status link_cve(const std::string& id, const std::string& cve) = 0;
  // Undo link_cve for a CVE recorded in error (vmt cve-assign --replace). Not linked: nothing to do.
  virtual status unlink_cve(const std::string& id, const std::string& cve) = 0;
  // Mark an existing bug as the one of `case_id`, so that find_bug_for_case() finds it (a report
  // that arrived as a bug). The default adds the case tag.
  virtual status link_case(const std::string& id, const std::string& case_id);
  // The tracker's name for the person with this address, when the tracker knows them (the
  // reporter is subscribed to the private bug, seed "Patch development"). Default: unknown.
  virtual result<std::optional<std::string>> person_for_email(const std::string& email);

  // A value as this tracker can hold it, for comparisons (`vmt tracker sync`): StoryBoard has five
  // task statuses and a private flag, so several Launchpad values read back as one. field is
  // "status" or "information_type".
  virtual std::string canonical(const std::string& field, const std::string& value) const { return value; }
};

// The tag that finds the bug of a case again ("vmt-case-vmt-2026-001"): tracker tags are
// lower-case words.
std::string case_tag(const std::string& case_id);

// The tracker the configuration names.
result<std::unique_ptr<tracker>> open(const config::config& cfg);

}  // namespace vmt::tracker

namespace vmt::http {
struct options;
}

namespace vmt::tracker {

// The HTTP settings of the remote backends from the configuration (timeouts, retries, dry run).
http::options http_options(const config::config& cfg);

}  // namespace vmt::tracker
