// cmd_process.cpp: the process verbs of vmt that answer questions about the rules without
// touching a case: `schedule --from` (when would a notification sent that day disclose, and why),
// `versions` (the AFFECTED_VERSIONS line) and `taxonomy` (the report classes).
//
// They work without a configuration file: when none is named (--config, $VMT_CONFIG) and there is
// no ./vmt.yaml, the built-in defaults apply (3-5 business days, Tue-Thu, 15:00 UTC, no holidays).
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli.h"
#include "core/clock.h"
#include "process/calendar.h"
#include "process/taxonomy.h"
#include "process/versions.h"
#include "workflow/disclosure.h"

namespace vmt::cli {

namespace {

using nlohmann::json;

result<clock::days> date_option(const std::string& value, const char* option) {
  auto d = clock::parse_iso_date(value);
  if (!d) return make_error(failure::usage, option, "not a date: '" + value + "'", "write YYYY-MM-DD");
  return *d;
}

std::string short_weekday(clock::days d) {
  return process::weekday_name(std::chrono::weekday{d}.c_encoding()).substr(0, 3);
}

json disclosure_json(const process::disclosure& d) {
  return {{"date", clock::iso_date(d.day)}, {"at", clock::iso_time(d.at)}, {"business_day", d.business_day}};
}

// --- schedule --from ------------------------------------------------------------------------

struct schedule_args {
  std::string from, date;
  std::string case_id, notify_on, reason;
  bool force = false;
};

// `schedule CASE`: set the case's disclosure date (workflow::schedule checks the rules and the
// reporter's deadline, and records the decision in the ledger).
status run_case_schedule(context& ctx, const schedule_args& a) {
  VMT_TRY(s, ctx.work());
  VMT_TRY(r, workflow::schedule(*s, a.case_id, {a.notify_on, a.date, a.force, a.reason}));
  auto updates = nlohmann::json::array();
  for (const auto& m : r.updates)
    updates.push_back({{"message_id", m.message_id}, {"recipients", m.recipients}, {"encrypted_to", m.keys}, {"new", m.fresh}});
  if (ctx.json) {
    print_json({{"id", a.case_id}, {"disclosure", disclosure_json(r.when)}, {"forced", r.forced}, {"note", r.note},
                {"previous", r.previous.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.previous)},
                {"updates", updates}});
  } else {
    std::cout << a.case_id << ": disclosure " << short_weekday(r.when.day) << " " << clock::iso_time(r.when.at)
              << (r.previous.empty() || r.previous == clock::iso_time(r.when.at) ? "" : " (was " + r.previous + ")")
              << "\n  " << r.note << "\n";
    for (const auto& m : r.updates)
      std::cout << "  update " << (m.fresh ? "queued to " : "already queued to ") << m.recipients.front()
                << (m.keys.empty() ? " (signed)" : " (signed, encrypted)") << "\n";
  }
  return ok_v;
}

status run_schedule(context& ctx, const schedule_args& a) {
  if (!a.case_id.empty()) {
    if (!a.from.empty())
      return make_error(failure::usage, "schedule", "give a CASE or --from, not both",
                        "use --notify-on to say when the case's notification goes out");
    return run_case_schedule(ctx, a);
  }
  if (a.from.empty())
    return make_error(failure::usage, "schedule", "give a CASE, or --from YYYY-MM-DD to see the rule applied");
  VMT_TRY(from, date_option(a.from, "--from"));
  std::optional<clock::days> chosen;
  if (!a.date.empty()) {
    VMT_TRY(d, date_option(a.date, "--date"));
    chosen = d;
  }
  VMT_TRY(cfg, ctx.cfg_or_defaults());
  const auto& s = cfg->disclosure;
  VMT_TRY(plan, process::explain(from, s));
  std::optional<result<process::disclosure>> verdict;
  if (chosen) verdict = process::check(from, *chosen, s);

  if (ctx.json) {
    json days = json::array();
    for (const auto& n : plan.days)
      days.push_back({{"date", clock::iso_date(n.day)},
                      {"weekday", short_weekday(n.day)},
                      {"business_day", n.business_day},
                      {"verdict", process::verdict_id(n.verdict)},
                      {"reason", n.reason}});
    json j{{"notified", clock::iso_date(from)},
           {"window",
            {{"min_business_days", s.min_business_days},
             {"max_business_days", s.max_business_days},
             {"hour_utc", s.hour_utc},
             {"distros_max_days", s.distros_max_days},
             {"rule", process::describe_window(s)}}},
           {"distros_limit", clock::iso_date(plan.distros_limit)},
           {"proposal", plan.proposal ? disclosure_json(*plan.proposal) : json(nullptr)},
           {"days", days}};
    if (verdict) {
      j["check"] = {{"date", a.date}, {"allowed", verdict->ok()}};
      if (verdict->ok())
        j["check"]["disclosure"] = disclosure_json(verdict->value());
      else
        j["check"]["reason"] = verdict->err().what;
    }
    print_json(j);
  } else {
    std::cout << "Notification sent: " << short_weekday(from) << " " << clock::iso_date(from) << "\n"
              << "Rule: " << process::describe_window(s) << " (" << clock::iso_date(plan.distros_limit)
              << " at the latest)\n";
    for (const auto& n : plan.days)
      std::cout << "  " << short_weekday(n.day) << " " << clock::iso_date(n.day) << "  " << n.reason << "\n";
    if (plan.proposal)
      std::cout << "Proposed disclosure: " << short_weekday(plan.proposal->day) << " "
                << clock::iso_date(plan.proposal->day) << " at " << (s.hour_utc < 10 ? "0" : "") << s.hour_utc
                << ":00 UTC (" << clock::iso_time(plan.proposal->at) << ")\n";
    if (verdict && verdict->ok())
      std::cout << "Chosen date " << a.date << ": allowed, the "
                << process::ordinal(verdict->value().business_day) << " business day ("
                << clock::iso_time(verdict->value().at) << ")\n";
  }
  if (verdict && !verdict->ok()) return std::move(*verdict).err();
  if (!plan.proposal) {
    auto p = process::propose(from, s);  // the same plan; its error says why nothing fits
    if (!p) return std::move(p).err();
  }
  return ok_v;
}

// --- versions -------------------------------------------------------------------------------

struct versions_args {
  std::vector<std::string> branches, fixes, eol;
  std::string git, project, introduced;
};

// NAME=FIRST..HIGHEST, NAME=..HIGHEST (oldest unknown) or NAME=VERSION (the only affected one).
result<process::branch_versions> parse_branch_spec(const std::string& spec) {
  auto bad = [&](const std::string& what) {
    return make_error(failure::usage, "--branch " + spec, what,
                      "write NAME=FIRST..HIGHEST, NAME=..HIGHEST (oldest unknown) or NAME=VERSION");
  };
  auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0) return bad("no NAME=");
  process::branch_versions b;
  b.branch = spec.substr(0, eq);
  std::string range = spec.substr(eq + 1);
  auto dots = range.find("..");
  std::string lo = dots == std::string::npos ? range : range.substr(0, dots);
  std::string hi = dots == std::string::npos ? range : range.substr(dots + 2);
  auto h = process::parse_version(hi);
  if (!h) return bad("'" + hi + "' is not a release version X.Y.Z");
  b.highest = h;
  if (!lo.empty()) {
    auto l = process::parse_version(lo);
    if (!l) return bad("'" + lo + "' is not a release version X.Y.Z");
    b.first = l;
  }
  return b;
}

status run_versions(context& ctx, const versions_args& a) {
  if (a.branches.empty() == a.fixes.empty())
    return make_error(failure::usage, "versions",
                      "give either --branch NAME=FIRST..HIGHEST or --git REPO --fix BRANCH=COMMIT",
                      "see vmt versions --help");
  const config::project* project = nullptr;
  if (!a.project.empty()) {
    VMT_TRY(cfg, ctx.cfg_or_defaults());
    project = cfg->find_project(a.project);
    if (!project)
      return make_error(failure::usage, "--project", "no project '" + a.project + "' in the configuration",
                        "use a projects[].name from vmt.yaml");
  }
  auto status_of = [&](const std::string& name) -> std::string {
    for (const auto& e : a.eol)
      if (e == name) return "eol";
    if (project)
      if (auto* b = process::find_branch(*project, name)) return b->status;
    return "maintained";
  };

  std::vector<process::branch_versions> input;
  if (!a.branches.empty()) {
    for (const auto& spec : a.branches) {
      VMT_TRY(b, parse_branch_spec(spec));
      b.status = status_of(b.branch);
      input.push_back(std::move(b));
    }
  } else {
    std::string repo = !a.git.empty() ? a.git : project ? project->git_repo : "";
    if (repo.empty())
      return make_error(failure::usage, "--git", "no repository",
                        "give --git REPO (or git_repo for the --project)");
    if (project && a.git.empty()) {
      VMT_TRY(cfg, ctx.cfg_or_defaults());
      repo = cfg->path(repo);
    }
    std::vector<process::git_branch_fix> fixes;
    for (const auto& spec : a.fixes) {
      auto eq = spec.find('=');
      process::git_branch_fix f;
      f.branch = spec.substr(0, eq);
      if (eq != std::string::npos) f.commit = spec.substr(eq + 1);
      if (f.branch.empty())
        return make_error(failure::usage, "--fix " + spec, "no branch", "write BRANCH=COMMIT");
      f.ref = f.branch;
      if (project)
        if (auto* b = process::find_branch(*project, f.branch)) {
          f.branch = b->name;
          f.ref = b->git_ref;
          f.series = b->series;
        }
      f.status = status_of(spec.substr(0, eq));
      fixes.push_back(std::move(f));
    }
    VMT_TRY(bs, process::branches_from_git(repo, fixes, a.introduced));
    input = std::move(bs);
  }
  VMT_TRY(av, process::affected_versions(input));
  if (ctx.json) {
    json ranges = json::array(), dropped = json::array();
    for (const auto& r : av.ranges)
      ranges.push_back({{"branch", r.branch},
                        {"first", r.first ? json(r.first->str()) : json(nullptr)},
                        {"highest", r.highest.str()},
                        {"text", r.text}});
    for (const auto& d : av.dropped) dropped.push_back({{"branch", d.branch}, {"reason", d.reason}});
    print_json({{"affected_versions", av.line}, {"ranges", ranges}, {"dropped", dropped}});
  } else {
    std::cout << av.line << "\n";
    for (const auto& d : av.dropped) std::cerr << "vmt: " << d.branch << " left out: " << d.reason << "\n";
  }
  return ok_v;
}

// --- taxonomy -------------------------------------------------------------------------------

status run_taxonomy(context& ctx) {
  if (ctx.json) {
    json j = json::array();
    for (const auto& c : process::taxonomy())
      j.push_back(
          {{"class", c.id}, {"outcome", process::outcome_name(c.result)}, {"description", c.description}});
    print_json(j);
    return ok_v;
  }
  for (const auto& c : process::taxonomy()) {
    std::string id = "Class " + std::string(c.id);
    std::string out(process::outcome_name(c.result));
    std::cout << id << std::string(10 - id.size(), ' ') << out << std::string(16 - out.size(), ' ')
              << c.description << "\n";
  }
  return ok_v;
}

}  // namespace

void register_process_commands(CLI::App& app, context& ctx) {
  auto sa = std::make_shared<schedule_args>();
  auto* sched = app.add_subcommand(
      "schedule", "set a case's disclosure date, or (--from) propose one for a notification sent on a given day");
  sched->add_option("CASE", sa->case_id, "the case to schedule");
  sched->add_option("--from", sa->from, "without a case: day the notification is (or was) sent, YYYY-MM-DD");
  sched->add_option("--date", sa->date, "a date a coordinator chooses, YYYY-MM-DD (checked against the rules)");
  sched->add_option("--notify-on", sa->notify_on, "with a case: day the notification goes out (default today)");
  sched->add_flag("--force", sa->force, "with a case: accept a --date outside the rules (needs --reason)");
  sched->add_option("--reason", sa->reason,
                    "why the rules are overridden, or (after notify) why the date moves: sent to all told");
  sched->add_flag("--json", ctx.json, "print the plan as JSON");
  on_run(sched, [&ctx, sa] { return run_schedule(ctx, *sa); });

  auto va = std::make_shared<versions_args>();
  auto* ver = app.add_subcommand("versions", "compute the AFFECTED_VERSIONS line of an impact description");
  ver->add_option("--branch", va->branches,
                  "NAME=FIRST..HIGHEST affected releases (NAME=..HIGHEST: oldest unknown)");
  ver->add_option("--git", va->git, "a clone of the project, to read the release tags from");
  ver->add_option("--fix", va->fixes, "BRANCH=COMMIT: the fix on that branch (BRANCH alone: not fixed yet)");
  ver->add_option("--introduced", va->introduced,
                  "the commit that introduced the flaw (else the oldest is open-ended)");
  ver->add_option("--eol", va->eol, "a branch that reached end of life (left out)");
  ver->add_option("--project", va->project,
                  "take branch statuses, refs and series (and the repo) from vmt.yaml");
  ver->add_flag("--json", ctx.json, "print the ranges as JSON");
  on_run(ver, [&ctx, va] { return run_versions(ctx, *va); });

  auto* tax = app.add_subcommand("taxonomy", "print the report taxonomy (classes and their outcome)");
  tax->add_flag("--json", ctx.json, "print the table as JSON");
  on_run(tax, [&ctx] { return run_taxonomy(ctx); });
}

}  // namespace vmt::cli
