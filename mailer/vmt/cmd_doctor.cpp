// cmd_doctor.cpp: vmt doctor, the health of a deployment (lib/workflow/doctor.h): one line per
// finding with the command that fixes it; exit 0 healthy, 1 warnings only, 2 problems.
#include <cstdio>

#include "cli.h"
#include "workflow/doctor.h"

namespace vmt::cli {

namespace {

status run_doctor(context& ctx, const workflow::doctor_options& o, bool all) {
  auto cfg = ctx.cfg();
  if (!cfg) {
    // A configuration that does not load is the first problem, reported like the others.
    const auto& e = cfg.err();
    if (ctx.json)
      print_json({{"healthy", false}, {"problems", 1}, {"warnings", 0},
                  {"findings", {{{"check", "config"}, {"level", "problem"}, {"what", e.where + ": " + e.what}, {"fix", e.fix}}}}});
    else
      std::printf("problem  config: %s: %s\n         fix: %s\n", e.where.c_str(), e.what.c_str(), e.fix.c_str());
    return make_error(failure::problems, "vmt doctor", "the configuration does not load");
  }
  VMT_TRY(st, ctx.db());
  VMT_TRY(found, workflow::doctor(**cfg, *st, o));
  int problems = 0, warnings = 0;
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& f : found) {
    if (f.level == workflow::health::problem) ++problems;
    if (f.level == workflow::health::warning) ++warnings;
    arr.push_back({{"check", f.check}, {"level", workflow::to_string(f.level)}, {"what", f.what}, {"fix", f.fix}});
    if (ctx.json || (f.level == workflow::health::ok && !all)) continue;
    std::printf("%-8s %s: %s\n", workflow::to_string(f.level), f.check.c_str(), f.what.c_str());
    if (!f.fix.empty()) std::printf("         fix: %s\n", f.fix.c_str());
  }
  if (ctx.json)
    print_json({{"healthy", problems == 0 && warnings == 0}, {"problems", problems}, {"warnings", warnings}, {"findings", arr}});
  else
    std::printf("%zu checks: %d problem(s), %d warning(s)\n", found.size(), problems, warnings);
  if (problems > 0) return make_error(failure::problems, "vmt doctor", std::to_string(problems) + " problem(s)");
  if (warnings > 0) return make_error(failure::action_due, "vmt doctor", std::to_string(warnings) + " warning(s)");
  return ok_v;
}

}  // namespace

void register_doctor_commands(CLI::App& app, context& ctx) {
  auto* doc = app.add_subcommand("doctor", "is this deployment healthy? (exit 0 yes, 1 warnings, 2 problems)");
  static workflow::doctor_options o;
  static bool all = false;
  doc->add_option("--master-cf", o.master_cf, "Postfix's master.cf, for the pipe entry to vmt-ingest");
  doc->add_option("--procmailrc", o.procmailrc, "the vmt user's procmail recipe (default ~/.procmailrc)");
  doc->add_flag("--all", all, "print the checks that passed too");
  doc->add_flag("--json", ctx.json, "print JSON");
  on_run(doc, [&ctx] { return run_doctor(ctx, o, all); });
}

}  // namespace vmt::cli
