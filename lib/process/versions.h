// versions.h: AFFECTED_VERSIONS, the "Affects:" line of an impact description and an advisory,
// by the seed's convention:
//   - per supported branch, the highest affected release; the `<` bound is the next patch level
//     (8.1.0 -> <8.1.1), whatever the next tag will really be;
//   - `==V` when a branch's only affected release is V (`==9.0.0`);
//   - end-of-life branches are dropped;
//   - open-ended (no `>=`) when the oldest affected version is unknown;
//   - joined oldest first: ">=2015.1.0 <2015.1.5, >=8.0.0 <8.1.1 and ==9.0.0".
// Inputs are either the branches with their first and highest affected releases, or a git
// repository and the fix commit per branch (read with `git tag --merged` / `git tag --contains`).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/status.h"

namespace vmt::process {

// A three-component release version. OpenStack's date-based versions (2015.1.4, used until Kilo)
// come before the semantic ones that replaced them (8.0.0 is Liberty): see release_before().
struct version {
  int major = 0, minor = 0, patch = 0;
  auto operator<=>(const version&) const = default;
  std::string str() const;
  // The next possible patch level: the `<` bound of the convention.
  version next_patch() const { return {major, minor, patch + 1}; }
  // Date-based (YYYY.N.P) rather than semantic.
  bool date_based() const { return major >= 1000; }
};

// "8.1.0" or "v8.1.0"; nothing else (pre-releases such as 9.0.0.0rc1 or 9.0.0rc1 are not releases).
std::optional<version> parse_version(std::string_view s);
// Release order: date-based versions first (OpenStack moved from 2015.1.x to 8.0.0), then numeric.
bool release_before(const version& a, const version& b);

// One branch as AFFECTED_VERSIONS sees it.
struct branch_versions {
  std::string branch;                 // label ("2015.1/kilo", "liberty", "stable/8")
  std::string status = "maintained";  // maintained | unmaintained | eol (config::branch::status)
  std::optional<version> first;       // oldest affected release on the branch; empty: unknown
  std::optional<version> highest;     // highest affected release; empty: branch not affected
};

// One range of the line, and why other branches are not in it.
struct affected_range {
  std::string branch;
  std::optional<version> first;
  version highest;
  std::string text;  // ">=8.0.0 <8.1.1", "==9.0.0", "<8.1.1"
};
struct affected {
  std::string line;                    // ">=8.0.0 <8.1.1 and ==9.0.0"
  std::vector<affected_range> ranges;  // oldest first
  struct dropped_branch {
    std::string branch, reason;  // "end of life", "not affected"
  };
  std::vector<dropped_branch> dropped;
};

// The line for `branches` (any order). failure::data when a range is backwards, two branches
// overlap, a branch other than the oldest affected one has no first version, or nothing is left.
result<affected> affected_versions(std::vector<branch_versions> branches);

// A branch of a git repository and the commit that fixes it there.
struct git_branch_fix {
  std::string branch;                 // label for the output (config branch name or the ref)
  std::string ref;                    // git ref: "stable/2015.1", "master" (origin/<ref> also tried)
  std::string status = "maintained";  // maintained | unmaintained | eol
  std::string series;                 // release prefix ("8." or "2015.1"); empty: worked out from tags
  std::string commit;                 // the fix on this branch; empty: not fixed there yet
};

// The branches' affected releases read from the repository's release tags: a release tag of the
// branch's series is affected when it does not contain the branch's fix (nor any other listed
// fix) and, if `introduced` is given, contains the commit that introduced the flaw. Without
// `introduced` the oldest affected non-EOL branch is left open-ended and the newer ones start at
// their series' first release. Runs git (`git tag --merged`, `git tag --contains`); failure::data
// for unknown refs or a fix that is not on its branch, failure::unavailable when git cannot run.
result<std::vector<branch_versions>> branches_from_git(const std::string& repo,
                                                       const std::vector<git_branch_fix>& fixes,
                                                       const std::string& introduced = {});

// The configured branch `name` of a project: matched on its name ("2025.1/epoxy"), either half of
// it ("2025.1", "epoxy") or its git_ref ("stable/2025.1"). Null when none matches.
const config::branch* find_branch(const config::project& p, std::string_view name);

// Does the version string `v` belong to the series `prefix` ("8." or "2015.1" -> "2015.1.x")?
bool in_series(std::string_view prefix, const version& v);

}  // namespace vmt::process
