// cmd_tracker.cpp: the tracker and CVE verbs of vmt: tracker login launchpad, tracker sync,
// cve reserve, cve publish.
//
// SECURITY: the Launchpad token and the CVE Services key are secrets: written 0600, refused when
// others can read them, never printed (dry-run redacts them).
#include <unistd.h>

#include <iostream>

#include "cli.h"
#include "core/clock.h"
#include "core/fs.h"
#include "cve/cve.h"
#include "tracker/launchpad.h"
#include "tracker/sync.h"
#include "tracker/tracker.h"

namespace vmt::cli {

namespace {

result<store::case_record> find_case(store::store& st, const std::string& id) {
  VMT_TRY(c, st.find_case(id));
  if (!c) return make_error(failure::data, id, "no such case", "see `vmt list` for case ids");
  return *c;
}

status ledger(store::store& st, const std::string& case_id, const std::string& kind, const std::string& actor,
              const std::string& summary) {
  store::event_record e;
  e.case_id = case_id;
  e.at = clock::iso_time(clock::now());
  e.kind = kind;
  e.actor = actor;
  e.summary = summary;
  return st.add_event(e);
}

status cmd_login_launchpad(context& ctx, const std::string& token_file_option) {
  VMT_TRY(cfg, ctx.cfg());
  const auto& t = cfg->tracker;
  auto file = cfg->path(token_file_option.empty() ? (t.token_file.empty() ? "launchpad.token" : t.token_file)
                                                  : token_file_option);
  auto auth_root = t.auth_root.empty() ? std::string("https://launchpad.net") : t.auth_root;
  while (auth_root.ends_with("/")) auth_root.pop_back();
  auto opts = tracker::http_options(*cfg);
  opts.dry_run = false;  // the exchange changes nothing on a bug
  http::client h(opts);
  VMT_TRY(rt, tracker::launchpad_get_request_token(h, auth_root, t.consumer));
  std::printf(
      "1. Open this page while logged in to Launchpad as the account vmt acts for:\n\n   %s\n\n"
      "2. Choose \"Change Anything\" (WRITE_PRIVATE): private security bugs are invisible to any\n"
      "   lower level, and the account must be a bug supervisor of the %s project for Triaged\n"
      "   and Won't Fix.\n3. Then press Enter here.\n",
      tracker::launchpad_authorize_url(auth_root, rt.token).c_str(), t.ossa_project.c_str());
  std::fflush(stdout);
  std::string line;
  std::getline(std::cin, line);
  VMT_TRY(cred, tracker::launchpad_get_access_token(h, auth_root, t.consumer, rt));
  VMT_TRY_STATUS(fs::write_file_atomic(file, tracker::launchpad_credentials_text(cred), 0600));
  VMT_TRY_STATUS(fs::check_private_file(file));
  std::printf("token written to %s (mode 0600)\n", file.c_str());
  return ok_v;
}

status cmd_sync(context& ctx, const std::string& case_id, bool dry_run) {
  VMT_TRY(loaded, ctx.cfg());
  VMT_TRY(st, ctx.db());
  auto cfg = *loaded;
  if (dry_run) cfg.tracker.dry_run = true;
  VMT_TRY(c, find_case(*st, case_id));
  VMT_TRY(t, tracker::open(cfg));
  // A dry run on a remote tracker goes through the writes so that the requests are printed;
  // the local tracker has no requests to print, so nothing is written at all.
  const bool write = !(cfg.tracker.dry_run && t->kind() == "local");
  VMT_TRY(diffs, tracker::sync(cfg, *st, *t, case_id, write, ctx.who()));
  if (ctx.json) {
    auto arr = nlohmann::json::array();
    for (const auto& d : diffs)
      arr.push_back({{"field", d.field}, {"have", d.have}, {"want", d.want}, {"report_only", d.report_only}});
    print_json({{"case", case_id}, {"bug", c.tracker_bug}, {"url", c.tracker_url}, {"dry_run", cfg.tracker.dry_run},
                {"differences", arr}});
    return ok_v;
  }
  std::printf("%s: %s bug %s %s\n", case_id.c_str(), t->kind().c_str(), c.tracker_bug.c_str(), c.tracker_url.c_str());
  if (diffs.empty()) std::printf("  the bug is in line with the store\n");
  for (const auto& d : diffs)
    std::printf("  %-18s %s -> %s%s\n", d.field.c_str(), d.have.c_str(), d.want.c_str(),
                d.report_only ? "  (reported only)" : (cfg.tracker.dry_run ? "  (dry run: not written)" : "  (written)"));
  return ok_v;
}

status cmd_cve_reserve(context& ctx, int year, int count, const std::string& case_id, bool dry_run) {
  VMT_TRY(cfg, ctx.cfg());
  if (year == 0) year = static_cast<int>(std::chrono::year_month_day{clock::today()}.year());
  auto o = tracker::http_options(*cfg);
  o.dry_run = o.dry_run || dry_run;
  store::store* st = nullptr;
  if (!case_id.empty()) {
    VMT_TRY(s, ctx.db());
    st = s;
    VMT_TRY(c, find_case(*st, case_id));
    if (!c.cve.empty())
      return make_error(failure::data, case_id, "has a CVE already (" + c.cve + ")", "reserve without --case");
  }
  VMT_TRY(ids, cve::reserve(*cfg, year, count, o));
  for (const auto& id : ids) std::printf("%s\n", id.c_str());
  if (st && !o.dry_run) {
    VMT_TRY(c, find_case(*st, case_id));
    c.cve = ids.front();
    c.updated_at = clock::iso_time(clock::now());
    VMT_TRY_STATUS(st->transaction([&]() -> status {
      VMT_TRY_STATUS(st->update_case(c));
      return ledger(*st, case_id, "cve", ctx.who(), ids.front() + " reserved through CVE Services");
    }));
  }
  return ok_v;
}

status cmd_cve_publish(context& ctx, const std::string& case_id, const std::string& at, const std::string& cve_option,
                       const std::string& container_file, const std::string& advisory_file, bool dry_run) {
  VMT_TRY(cfg, ctx.cfg());
  VMT_TRY(st, ctx.db());
  VMT_TRY(c, find_case(*st, case_id));
  const auto cve_id = cve_option.empty() ? c.cve : cve_option;
  if (cve_id.empty()) return make_error(failure::data, case_id, "has no CVE", "reserve one (vmt cve reserve --case) or pass --cve");
  nlohmann::json container;
  if (!container_file.empty()) {
    VMT_TRY(text, fs::read_file(container_file, 1u << 20));
    container = nlohmann::json::parse(text, nullptr, false);
    if (container.is_discarded()) return make_error(failure::data, container_file, "not JSON");
    if (container.contains("cnaContainer")) container = container["cnaContainer"];
  } else {
    auto path = advisory_file;
    if (path.empty()) {
      if (c.advisory_id.empty() || cfg->advisories.empty())
        return make_error(failure::usage, case_id, "no advisory to build the CVE record from",
                          "pass --advisory FILE or --container FILE (or set the case's advisory and `advisories:`)");
      path = fs::join(cfg->path(cfg->advisories), c.advisory_id + ".yaml");
    }
    VMT_TRY(built, cve::container_from_advisory(*cfg, path, cve_id));
    container = built;
  }
  if (!at.empty()) {
    VMT_TRY_STATUS(st->transaction([&]() -> status {
      VMT_TRY_STATUS(cve::stage_publish(*cfg, *st, case_id, cve_id, container, at));
      return ledger(*st, case_id, "cve", ctx.who(), "publication of the " + cve_id + " record staged for " + at);
    }));
    std::printf("%s: the %s record is validated and staged for %s\n", case_id.c_str(), cve_id.c_str(), at.c_str());
    return ok_v;
  }
  auto o = tracker::http_options(*cfg);
  o.dry_run = o.dry_run || dry_run;
  VMT_TRY_STATUS(cve::publish(*cfg, cve_id, container, o));
  if (o.dry_run) return ok_v;
  VMT_TRY_STATUS(ledger(*st, case_id, "cve", ctx.who(), "CVE record " + cve_id + " published through CVE Services"));
  std::printf("%s: %s published\n", case_id.c_str(), cve_id.c_str());
  return ok_v;
}

}  // namespace

void register_tracker_commands(CLI::App& app, context& ctx) {
  auto* tracker = app.add_subcommand("tracker", "the bug tracker (Launchpad, StoryBoard or the local one)");
  tracker->require_subcommand(1);
  auto* login = tracker->add_subcommand("login", "get a tracker token");
  login->require_subcommand(1);
  auto* lp = login->add_subcommand("launchpad", "the three-step OAuth exchange; writes the token file (0600)");
  static std::string token_file;
  lp->add_option("--token-file", token_file, "where to write it (default tracker.token_file)");
  on_run(lp, [&ctx] { return cmd_login_launchpad(ctx, token_file); });

  auto* sync = tracker->add_subcommand("sync", "compare a case's bug with the store, report, then re-apply the store");
  static std::string sync_case;
  static bool sync_dry = false;
  sync->add_option("CASE", sync_case, "case id (VMT-2026-001)")->required();
  sync->add_flag("--dry-run", sync_dry, "print the differences and the requests, send no write");
  sync->add_flag("--json", ctx.json, "print JSON");
  on_run(sync, [&ctx] { return cmd_sync(ctx, sync_case, sync_dry); });

  auto* cve = app.add_subcommand("cve", "CVE Services, for teams that are a CNA");
  cve->require_subcommand(1);
  auto* reserve = cve->add_subcommand("reserve", "reserve CVE ids");
  static int year = 0, count = 1;
  static std::string reserve_case;
  static bool reserve_dry = false;
  reserve->add_option("--year", year, "the CVE year (default: this year)");
  reserve->add_option("--count", count, "how many ids (1 to 10)");
  reserve->add_option("--case", reserve_case, "record the (first) id as this case's CVE");
  reserve->add_flag("--dry-run", reserve_dry, "print the request instead of sending it");
  on_run(reserve, [&ctx] { return cmd_cve_reserve(ctx, year, count, reserve_case, reserve_dry); });

  auto* publish = cve->add_subcommand("publish", "publish a case's CVE record, now or staged for --at");
  static std::string pub_case, pub_at, pub_cve, pub_container, pub_advisory;
  static bool pub_dry = false;
  publish->add_option("CASE", pub_case, "case id")->required();
  publish->add_option("--at", pub_at, "stage for this UTC time (ISO, e.g. 2026-05-19T15:00:00Z): the disclosure hour");
  publish->add_option("--cve", pub_cve, "the CVE id (default: the case's)");
  publish->add_option("--container", pub_container, "the CNA container as JSON (default: built from the advisory)");
  publish->add_option("--advisory", pub_advisory, "the advisory YAML to build it from");
  publish->add_flag("--dry-run", pub_dry, "print the requests instead of sending them");
  on_run(publish, [&ctx] {
    return cmd_cve_publish(ctx, pub_case, pub_at, pub_cve, pub_container, pub_advisory, pub_dry);
  });
}

}  // namespace vmt::cli
