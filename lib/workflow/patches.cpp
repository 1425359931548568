// patches.cpp: privately developed patches: attached to the private bug, pre-approved by a core
// reviewer, later merged (see workflow.h).
#include <algorithm>

#include "core/fs.h"
#include "core/hash.h"
#include "workflow/internal.h"
#include "workflow/workflow.h"

namespace vmt::workflow {

namespace {

// The supported branch a patch targets, from the project's configuration.
result<std::string> check_branch(session& s, const store::case_record& c, const std::string& branch) {
  const auto* p = s.cfg.find_project(c.project);
  if (!p || p->branches.empty()) {
    if (branch.empty()) return std::string("master");
    return branch;  // no branch list configured: take the coordinator's word
  }
  std::string names;
  for (const auto& b : p->branches) {
    if (b.name == branch || b.git_ref == branch) {
      if (b.status == "eol")
        return make_error(failure::data, "--branch " + branch, "is end of life: no patches are provided for it",
                          "drop it, or change its status in " + s.cfg.file);
      return b.name;
    }
    names += (names.empty() ? "" : ", ") + b.name;
  }
  return make_error(failure::data, "--branch " + branch, "is not a supported branch of " + p->name,
                    "use one of: " + names);
}

result<store::patch_record> find_patch(session& s, const std::string& id, std::int64_t patch) {
  VMT_TRY(patches, s.st.case_patches(id));
  for (auto& p : patches)
    if (p.id == patch) return p;
  return make_error(failure::data, id + " patch " + std::to_string(patch), "no such patch",
                    "see `vmt patch list " + id + "`");
}

}  // namespace

std::string patch_mail_name(const std::string& cve, const std::string& branch, const config::project* p) {
  std::string lower_cve = cve;
  std::transform(lower_cve.begin(), lower_cve.end(), lower_cve.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  if (branch == "master" || branch == "main") {
    std::string series;
    if (p)
      for (const auto& b : p->branches)
        if (b.name == branch) series = b.series;
    return lower_cve + "-master" + (series.empty() ? "" : "-" + series) + ".patch";
  }
  auto slash = branch.find('/');
  std::string series = slash == std::string::npos ? branch : branch.substr(slash + 1);
  std::replace(series.begin(), series.end(), '/', '-');
  return lower_cve + "-stable-" + series + ".patch";
}

result<store::patch_record> add_patch(session& s, const std::string& id, const patch_source& src, const std::string& branch_in) {
  VMT_TRY(c, s.load(id));
  VMT_TRY(branch, check_branch(s, c, branch_in));
  store::patch_record p;
  p.case_id = id;
  p.branch = branch;
  if (!src.file.empty()) {
    VMT_TRY(data, fs::read_file(src.file, 16u << 20));
    p.data = std::move(data);
    auto slash = src.file.rfind('/');
    p.filename = slash == std::string::npos ? src.file : src.file.substr(slash + 1);
    p.source = src.file;
  } else {
    VMT_TRY(msgs, s.st.case_messages(id));
    bool found = false;
    for (const auto& m : msgs) {
      if (m.row != src.message) continue;
      VMT_TRY(atts, s.st.message_attachments(m.row));
      for (const auto& a : atts)
        if (a.filename == src.attachment) {
          p.data = a.data;
          p.filename = a.filename;
          p.source = "message " + std::to_string(m.row) + " attachment " + a.filename;
          found = true;
        }
    }
    if (!found)
      return make_error(failure::data, id + ": message " + std::to_string(src.message),
                        "has no attachment named '" + src.attachment + "' on this case",
                        "see `vmt show " + id + " --json` for the messages and their attachments");
  }
  if (p.data.empty()) return make_error(failure::data, p.source, "the patch is empty");
  p.sha256 = hash::sha256_hex(p.data);
  p.added_at = s.now();
  p.added_by = s.actor;
  std::int64_t row = 0;
  VMT_TRY_STATUS(s.st.transaction([&]() -> status {
    VMT_TRY(r, s.st.add_patch(p));
    row = r;
    return s.record(id, "patch", "patch " + std::to_string(r) + " (" + p.filename + ") added for " + branch);
  }));
  p.id = row;
  // Attached to the private bug, where the project's core reviewers look (seed "Patch development").
  if (!c.tracker_bug.empty()) {
    const std::string op = "patch:" + p.sha256.substr(0, 16);
    VMT_TRY(done, s.st.tracker_op_done(id, op));
    if (!done) {
      VMT_TRY(t, s.tracker());
      VMT_TRY_STATUS(t->attach(c.tracker_bug, p.filename, p.data, true, "Proposed patch for " + branch + "."));
      VMT_TRY_STATUS(s.st.mark_tracker_op(id, op, "done", p.filename, s.now()));
    }
  }
  return p;
}

status approve_patch(session& s, const std::string& id, std::int64_t patch, const std::string& reviewer) {
  if (reviewer.empty())
    return make_error(failure::usage, "patch approve", "the reviewer is required", "pass --by 'Name <address>'");
  VMT_TRY(p, find_patch(s, id, patch));
  VMT_TRY(c, s.load(id));
  p.approved_by = reviewer;
  p.approved_at = s.now();
  VMT_TRY_STATUS(s.st.transaction([&]() -> status {
    VMT_TRY_STATUS(s.st.update_patch(p));
    return s.record(id, "patch", "patch " + std::to_string(p.id) + " (" + p.branch + ") pre-approved by " + reviewer);
  }));
  return detail::comment_once(s, c, "approved:" + p.sha256.substr(0, 16),
                              "Patch " + p.filename + " for " + p.branch + " pre-approved by " + reviewer + ".");
}

status patch_merged(session& s, const std::string& id, std::int64_t patch) {
  VMT_TRY(p, find_patch(s, id, patch));
  p.merged_at = s.now();
  return s.st.transaction([&]() -> status {
    VMT_TRY_STATUS(s.st.update_patch(p));
    return s.record(id, "patch", "patch " + std::to_string(p.id) + " (" + p.branch + ") merged");
  });
}

}  // namespace vmt::workflow
