// versions_git.cpp: a branch's affected releases read from a git repository's release tags (see
// versions.h).
//
// We run the git program rather than link libgit2: `git tag --merged` and `git tag --contains`
// are exactly the questions the convention asks, the coordinator can re-run them by hand to check
// us, and git reads every repository layout (worktrees, alternates, packed refs) the same way.
// git runs without a shell (posix_spawnp with an argument vector), so no repository path, ref or
// commit given on the command line can inject a command.
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>

#include "process/versions.h"

extern char** environ;

namespace vmt::process {

namespace {

struct run_result {
  int exit = -1;
  std::string out, err;
};

// Run `git -C repo args...`, capturing both outputs. failure::unavailable when git cannot start.
result<run_result> git(const std::string& repo, std::vector<std::string> args) {
  std::vector<std::string> argv_s{"git", "-C", repo};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return make_error(failure::os, "git", std::strerror(errno));
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return make_error(failure::os, "git", std::strerror(errno));
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
  pid_t pid;
  int rc = ::posix_spawnp(&pid, "git", &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    return make_error(failure::unavailable, "git", std::string("cannot run git: ") + std::strerror(rc),
                      "install git (apt-get install git)");
  }
  run_result r;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* bufs[2] = {&r.out, &r.err};
  int open_fds = 2;
  char buf[8192];
  while (open_fds > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        bufs[i]->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) ::close(f.fd);
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  r.exit = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
  return r;
}

std::string first_line(const std::string& s) {
  auto e = s.find('\n');
  return e == std::string::npos ? s : s.substr(0, e);
}

// The full commit id of `rev`, trying origin/<rev> for branches only a clone's remote has.
result<std::string> resolve(const std::string& repo, const std::string& rev, bool try_origin,
                            const std::string& what) {
  for (const std::string& cand :
       try_origin ? std::vector<std::string>{rev, "origin/" + rev} : std::vector<std::string>{rev}) {
    VMT_TRY(r, git(repo, {"rev-parse", "--verify", "--quiet", "--end-of-options", cand + "^{commit}"}));
    if (r.exit == 0) return first_line(r.out);
  }
  return make_error(failure::data, repo, what + " '" + rev + "' is not in the repository",
                    "check the name (git -C " + repo + " rev-parse " + rev + ")");
}

// Release tags among the names git printed (one per line), with their versions.
result<std::map<std::string, version>> tags(const std::string& repo, std::vector<std::string> args) {
  VMT_TRY(r, git(repo, std::move(args)));
  if (r.exit != 0) return make_error(failure::data, repo, "git failed: " + first_line(r.err));
  std::map<std::string, version> out;
  std::size_t pos = 0;
  while (pos < r.out.size()) {
    auto e = r.out.find('\n', pos);
    if (e == std::string::npos) e = r.out.size();
    std::string name = r.out.substr(pos, e - pos);
    if (auto v = parse_version(name)) out.emplace(name, *v);
    pos = e + 1;
  }
  return out;
}

// The series a version belongs to when the config does not say: YYYY.N for date-based versions,
// the major number for semantic ones.
version series_key(const version& v) {
  return v.date_based() ? version{v.major, v.minor, 0} : version{v.major, 0, 0};
}

bool is_mainline(const git_branch_fix& b) {
  return b.ref == "master" || b.ref == "main" || b.branch == "master" || b.branch == "main";
}

}  // namespace

result<std::vector<branch_versions>> branches_from_git(const std::string& repo,
                                                       const std::vector<git_branch_fix>& fixes,
                                                       const std::string& introduced) {
  VMT_TRY(probe, git(repo, {"rev-parse", "--git-dir"}));
  if (probe.exit != 0)
    return make_error(failure::no_input, repo, "not a git repository: " + first_line(probe.err),
                      "give the path of a clone of the project");
  if (fixes.empty())
    return make_error(failure::usage, "versions", "no branch given", "add --fix BRANCH=COMMIT");

  struct work {
    const git_branch_fix* in;
    std::string ref_id;
    std::map<std::string, version> merged;  // release tags reachable from the branch
    std::vector<std::pair<std::string, version>> series_tags;
  };
  std::vector<work> ws;
  std::set<std::string> fixed;  // tags holding any listed fix
  for (const auto& f : fixes) {
    work w{&f, {}, {}, {}};
    VMT_TRY(ref_id, resolve(repo, f.ref, true, "branch"));
    w.ref_id = ref_id;
    VMT_TRY(merged, tags(repo, {"tag", "--merged", w.ref_id}));
    w.merged = std::move(merged);
    if (!f.commit.empty()) {
      VMT_TRY(c, resolve(repo, f.commit, false, "fix commit"));
      VMT_TRY(anc, git(repo, {"merge-base", "--is-ancestor", c, w.ref_id}));
      if (anc.exit == 1)
        return make_error(
            failure::data, "branch " + f.branch, "fix commit " + f.commit + " is not on " + f.ref,
            "give the commit merged on that branch (its cherry-pick on a stable branch), or the "
            "branch alone if it is not fixed yet");
      if (anc.exit != 0)
        return make_error(failure::data, repo, "git merge-base failed: " + first_line(anc.err));
      VMT_TRY(has, tags(repo, {"tag", "--contains", c}));
      for (const auto& [name, v] : has) fixed.insert(name);
    }
    ws.push_back(std::move(w));
  }
  std::set<std::string> has_flaw;
  if (!introduced.empty()) {
    VMT_TRY(c, resolve(repo, introduced, false, "introducing commit"));
    VMT_TRY(has, tags(repo, {"tag", "--contains", c}));
    for (const auto& [name, v] : has) has_flaw.insert(name);
  }

  // Which release tags are each branch's own. A branch also reaches the tags of the history it
  // shares with others (an older series' final release tagged on mainline, the rc a stable branch
  // was cut from), so without a configured series a series belongs to the branch reaching most of
  // its tags; mainline loses ties, as its releases are tagged on the stable branch it forks.
  for (auto& w : ws) {
    if (!w.in->series.empty()) {
      for (const auto& [name, v] : w.merged)
        if (in_series(w.in->series, v)) w.series_tags.emplace_back(name, v);
      continue;
    }
    std::optional<version> newest;
    for (const auto& [name, v] : w.merged)
      if (!newest || release_before(*newest, series_key(v))) newest = series_key(v);
    if (!newest) continue;  // no release at all
    auto count = [&](const work& o) {
      return std::count_if(o.merged.begin(), o.merged.end(),
                           [&](const auto& t) { return series_key(t.second) == *newest; });
    };
    bool own = true;
    for (const auto& o : ws) {
      if (&o == &w) continue;
      if (!o.in->series.empty()) {
        if (in_series(o.in->series, *newest)) own = false;
        continue;
      }
      auto mine = count(w), theirs = count(o);
      if (theirs > mine || (theirs == mine && is_mainline(*w.in) && !is_mainline(*o.in)))
        own = false;
      else if (theirs == mine && is_mainline(*w.in) == is_mainline(*o.in))
        return make_error(failure::data, "branch " + w.in->branch,
                          "cannot tell whether the " + newest->str() + " series belongs to " + w.in->branch +
                              " or " + o.in->branch,
                          "set the branches' series in vmt.yaml (projects[].branches[].series)");
    }
    if (!own) continue;  // a branch with no release of its own yet
    for (const auto& [name, v] : w.merged)
      if (series_key(v) == *newest) w.series_tags.emplace_back(name, v);
  }

  std::vector<branch_versions> out;
  for (auto& w : ws) {
    branch_versions b{w.in->branch, w.in->status, std::nullopt, std::nullopt};
    for (const auto& [name, v] : w.series_tags) {
      if (fixed.count(name)) continue;
      if (!introduced.empty() && !has_flaw.count(name)) continue;
      if (!b.highest || release_before(*b.highest, v)) b.highest = v;
      if (!b.first || release_before(v, *b.first)) b.first = v;
    }
    out.push_back(std::move(b));
  }
  // Seed: "If the oldest version affected is not easily identified, leave it open-ended".
  if (introduced.empty()) {
    branch_versions* oldest = nullptr;
    for (auto& b : out)
      if (b.status != "eol" && b.highest && (!oldest || release_before(*b.highest, *oldest->highest)))
        oldest = &b;
    if (oldest) oldest->first.reset();
  }
  return out;
}

}  // namespace vmt::process
