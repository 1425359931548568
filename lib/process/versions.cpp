// versions.cpp: AFFECTED_VERSIONS from per-branch versions (see versions.h; the git side is in
// versions_git.cpp).
#include "process/versions.h"

#include <algorithm>
#include <charconv>

namespace vmt::process {

std::string version::str() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

std::optional<version> parse_version(std::string_view s) {
  if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) s.remove_prefix(1);
  int parts[3];
  for (int i = 0; i < 3; ++i) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), parts[i]);
    if (ec != std::errc{} || p == s.data() || parts[i] < 0) return std::nullopt;
    // No leading zeros except "0" itself: "08.1.0" is not a tag we would have written.
    if (*s.data() == '0' && p - s.data() > 1) return std::nullopt;
    s.remove_prefix(p - s.data());
    if (i < 2) {
      if (s.empty() || s[0] != '.') return std::nullopt;
      s.remove_prefix(1);
    }
  }
  if (!s.empty()) return std::nullopt;
  return version{parts[0], parts[1], parts[2]};
}

bool release_before(const version& a, const version& b) {
  if (a.date_based() != b.date_based()) return a.date_based();
  return a < b;
}

bool in_series(std::string_view prefix, const version& v) {
  if (prefix.empty()) return false;
  std::string s = v.str();
  if (prefix.back() == '.') return s.rfind(prefix, 0) == 0;
  return s.rfind(std::string(prefix) + ".", 0) == 0;
}

const config::branch* find_branch(const config::project& p, std::string_view name) {
  for (const auto& b : p.branches) {
    if (b.name == name || b.git_ref == name) return &b;
    auto slash = b.name.find('/');
    if (slash != std::string::npos && (b.name.substr(0, slash) == name || b.name.substr(slash + 1) == name))
      return &b;
  }
  return nullptr;
}

result<affected> affected_versions(std::vector<branch_versions> branches) {
  affected out;
  std::vector<branch_versions> kept;
  for (auto& b : branches) {
    const std::string where = "branch " + b.branch;
    if (b.status != "maintained" && b.status != "unmaintained" && b.status != "eol")
      return make_error(failure::data, where, "unknown status '" + b.status + "'",
                        "use maintained, unmaintained or eol");
    if (b.first && !b.highest)
      return make_error(failure::data, where, "a first affected version without a highest one",
                        "give both, FIRST..HIGHEST");
    if (b.first && b.highest && release_before(*b.highest, *b.first))
      return make_error(
          failure::data, where,
          "first affected version " + b.first->str() + " is after the highest " + b.highest->str(),
          "write FIRST..HIGHEST, oldest first");
    // Seed: "Once kilo reaches end of life, that line becomes: ..." without kilo.
    if (b.status == "eol") {
      out.dropped.push_back({b.branch, "end of life"});
    } else if (!b.highest) {
      out.dropped.push_back({b.branch, "no affected release"});
    } else {
      kept.push_back(std::move(b));
    }
  }
  if (kept.empty())
    return make_error(failure::data, "affected versions", "no supported branch has an affected release",
                      "give the highest affected release of at least one maintained or unmaintained branch");
  std::stable_sort(kept.begin(), kept.end(),
                   [](const auto& a, const auto& b) { return release_before(*a.highest, *b.highest); });
  for (std::size_t i = 0; i < kept.size(); ++i) {
    const auto& b = kept[i];
    if (i > 0) {
      const auto& prev = kept[i - 1];
      // Only the oldest range may be open-ended: "<X" would swallow every older branch.
      if (!b.first)
        return make_error(failure::data, "branch " + b.branch, "the first affected version is unknown",
                          "only the oldest affected branch (" + kept[0].branch +
                              ") may be open-ended; give FIRST..HIGHEST (the series' first release if the "
                              "flaw predates it)");
      if (!release_before(*prev.highest, *b.first))
        return make_error(failure::data, "branch " + b.branch,
                          "overlaps branch " + prev.branch + " (" + b.first->str() + " is not after " +
                              prev.highest->str() + ")",
                          "check the versions given for both branches");
    }
    affected_range r{b.branch, b.first, *b.highest, {}};
    if (!b.first)
      r.text = "<" + b.highest->next_patch().str();
    else if (*b.first == *b.highest)
      r.text = "==" + b.highest->str();
    else
      r.text = ">=" + b.first->str() + " <" + b.highest->next_patch().str();
    out.ranges.push_back(std::move(r));
  }
  // "A, B and C", as in the seed's examples.
  for (std::size_t i = 0; i < out.ranges.size(); ++i) {
    if (i) out.line += i + 1 == out.ranges.size() ? " and " : ", ";
    out.line += out.ranges[i].text;
  }
  return out;
}

}  // namespace vmt::process
