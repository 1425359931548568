// cmd_advisory.cpp: the publication verbs of vmt: advisories (OSSA) and security notes (OSSN) from
// YAML to the mailed text, HTML, OSV and CVE JSON, the static site, a draft for a case, and
// "is my version affected?".
//
//   vmt advisory render --format rst|html|json FILE   print one advisory or note
//   vmt advisory check FILE...                         validate; errors exit 65, warnings do not
//   vmt advisory site --out DIR SOURCE_DIR             build the static site
//   vmt advisory new CASE [--dir DIR] [--note]         draft OSSA-YYYY-NNN.yaml (OSSN-NNNN.yaml) for a case
//   vmt affects PRODUCT VERSION [--dir DIR]            which advisories affect this version
//
// None of these needs vmt.yaml except `new` (the store) and the defaults of --dir; when a config is
// present its team name, vendor, site URL and templates folder are used.
//
// EXIT STATUS (through main.cpp): 0 done, 64 usage, 65 a file is not a valid advisory (check found
// errors), 66 a named file or folder is missing, 73 the site folder cannot be (re)placed, 78 vmt.yaml.
#include <cstdio>
#include <cstdlib>

#include "advisory/advisory.h"
#include "advisory/render.h"
#include "advisory/site.h"
#include "advisory/versions.h"
#include "cli.h"
#include "workflow/publish.h"
#include "config/config.h"
#include "core/clock.h"
#include "core/fs.h"
#include "tmpl/tmpl.h"

namespace vmt::cli {

namespace {

// Renderer settings from vmt.yaml when there is one (a named config that does not load is an
// error); the shipped defaults otherwise, so that rendering needs no configuration.
result<advisory::render_options> options(context& ctx) {
  if (!ctx.has_config()) return advisory::render_options{};
  VMT_TRY(cfg, ctx.cfg());
  return advisory::options_for(*cfg);
}

// The advisories folder: --dir, else the config's `advisories`.
result<std::string> advisories_dir(context& ctx, const std::string& dir) {
  if (!dir.empty()) return dir;
  VMT_TRY(c, ctx.cfg());
  if (c->advisories.empty())
    return make_error(failure::usage, "--dir", "no advisories folder given",
                      "pass --dir DIR or set `advisories:` in vmt.yaml");
  return c->path(c->advisories);
}

// The first error found while reading a file (a wrong type, a missing id): such a file is not
// rendered at all.
template <class T>
status first_error(const T& doc) {
  for (const auto& p : doc.problems) {
    if (p.warning) continue;
    std::string where = doc.file;
    if (p.line > 0) where += ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
    return make_error(failure::data, where, p.field + ": " + p.what,
                      "expected " + p.expected + "; `vmt advisory check` lists every problem");
  }
  return ok_v;
}

status render(context& ctx, const std::string& format, const std::string& file) {
  VMT_TRY(opts, options(ctx));
  advisory::renderer r(opts);
  if (advisory::is_note_file(file)) {
    VMT_TRY(n, advisory::load_note(file));
    VMT_TRY_STATUS(first_error(n));
    if (format == "json")
      return make_error(failure::usage, "--format json", "security notes have no OSV or CVE record",
                        "use --format rst (the mailed text) or html");
    VMT_TRY(out, format == "html" ? r.html(n) : r.text(n));
    std::fwrite(out.data(), 1, out.size(), stdout);
    return ok_v;
  }
  VMT_TRY(a, advisory::load(file));
  VMT_TRY_STATUS(first_error(a));
  if (format == "json") {
    print_json(r.records(a));
    return ok_v;
  }
  VMT_TRY(out, format == "html" ? r.html(a) : r.rst(a));
  std::fwrite(out.data(), 1, out.size(), stdout);
  return ok_v;
}

status check(context& ctx, const std::vector<std::string>& files) {
  int errors = 0, warnings = 0;
  nlohmann::json report = nlohmann::json::array();
  for (const auto& f : files) {
    std::vector<advisory::problem> problems;
    if (advisory::is_note_file(f)) {
      auto n = advisory::load_note(f);
      if (!n) {
        ++errors;
        std::fprintf(stderr, "%s\n", n.err().message().c_str());
        report.push_back({{"file", f}, {"errors", {n.err().message()}}});
        continue;
      }
      problems = advisory::check(*n);
    } else {
      auto a = advisory::load(f);
      if (!a) {
        ++errors;
        std::fprintf(stderr, "%s\n", a.err().message().c_str());
        report.push_back({{"file", f}, {"errors", {a.err().message()}}});
        continue;
      }
      problems = advisory::check(*a);
    }
    nlohmann::json e = {{"file", f}, {"errors", nlohmann::json::array()}, {"warnings", nlohmann::json::array()}};
    for (const auto& p : problems) {
      std::string line = advisory::format_problem(f, p);
      (p.warning ? ++warnings : ++errors);
      e[p.warning ? "warnings" : "errors"].push_back(line);
      if (!ctx.json) std::fprintf(stderr, "%s\n", line.c_str());
    }
    report.push_back(e);
  }
  if (ctx.json) print_json({{"files", files.size()}, {"errors", errors}, {"warnings", warnings}, {"results", report}});
  else std::printf("%zu file(s): %d error(s), %d warning(s)\n", files.size(), errors, warnings);
  if (errors)
    return make_error(failure::data, "vmt advisory check", std::to_string(errors) + " error(s)",
                      "fix the errors listed above");
  return ok_v;
}

status site(context& ctx, const std::string& out, const std::string& source, const std::string& base_url,
            const std::string& org_id) {
  VMT_TRY(o, options(ctx));
  if (!base_url.empty()) o.site_url = base_url;
  while (!o.site_url.empty() && o.site_url.back() == '/') o.site_url.pop_back();
  if (!org_id.empty()) o.cna_org_id = org_id;
  advisory::renderer r(o);
  VMT_TRY(stats, advisory::build_site(r, source, out));
  if (ctx.json) {
    print_json({{"out", out}, {"advisories", stats.advisories}, {"notes", stats.notes}, {"files", stats.files},
                {"cve_records", stats.cve_records}, {"warnings", stats.warnings}});
  } else {
    std::printf("%s: %d advisories, %d notes, %d files (%d CVE records)\n", out.c_str(), stats.advisories,
                stats.notes, stats.files, stats.cve_records);
    // The corpus of a long-lived team has many old findings: the first ten, and how to see all.
    constexpr std::size_t shown = 10;
    for (std::size_t i = 0; i < stats.warnings.size() && i < shown; ++i)
      std::fprintf(stderr, "warning: %s\n", stats.warnings[i].c_str());
    if (stats.warnings.size() > shown)
      std::fprintf(stderr, "... and %zu more (all of them: vmt advisory site --json, or vmt advisory check FILES)\n",
                   stats.warnings.size() - shown);
  }
  return ok_v;
}

status draft(context& ctx, const std::string& case_id, const std::string& dir_opt, bool as_note) {
  VMT_TRY(dir, advisories_dir(ctx, dir_opt));
  VMT_TRY(s, ctx.work());
  VMT_TRY(path, workflow::draft_advisory(*s, case_id, dir, as_note));
  auto slash = path.rfind('/');
  auto id = path.substr(slash == std::string::npos ? 0 : slash + 1);
  id = id.substr(0, id.rfind(".yaml"));
  if (ctx.json) print_json({{"id", id}, {"path", path}, {"case", case_id}});
  else std::printf("%s\n", path.c_str());
  return ok_v;
}

status affects(context& ctx, const std::string& product, const std::string& version, const std::string& dir_opt) {
  VMT_TRY(dir, advisories_dir(ctx, dir_opt));
  VMT_TRY(files, advisory::list_sources(dir));
  std::vector<advisory::advisory> all;
  std::vector<std::string> unreadable;
  for (const auto& f : files) {
    if (advisory::is_note_file(f)) continue;
    auto a = advisory::load(f);
    if (a) all.push_back(std::move(*a));
    else unreadable.push_back(a.err().message());
  }
  VMT_TRY(ans, advisory::affects(all, product, version));
  if (ctx.json) {
    auto hits = [](const std::vector<advisory::affects_hit>& v) {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& h : v)
        j.push_back({{"id", h.id}, {"title", h.title}, {"product", h.product}, {"version_field", h.field},
                     {"detail", h.detail}, {"warnings", h.warnings}});
      return j;
    };
    print_json({{"product", product}, {"normalized_product", advisory::normalized_product(product)},
                {"version", version}, {"advisories", ans.advisories}, {"product_known", ans.product_known},
                {"affected", hits(ans.affected)}, {"undecided", hits(ans.undecided)},
                {"not_affected", ans.not_affected}, {"unreadable", unreadable}});
  } else {
    std::printf("%s %s: affected by %zu advisories, not affected by %d, undecided for %zu (free text)\n",
                product.c_str(), version.c_str(), ans.affected.size(), ans.not_affected, ans.undecided.size());
    for (const auto& h : ans.affected) {
      std::printf("affected   %s  %s  (range %s)\n", h.id.c_str(), h.title.c_str(), h.detail.c_str());
      for (const auto& w : h.warnings) std::printf("           warning: %s\n", w.c_str());
    }
    for (const auto& h : ans.undecided)
      std::printf("undecided  %s  %s  (version field: \"%s\")\n", h.id.c_str(), h.title.c_str(), h.field.c_str());
    for (const auto& u : unreadable) std::fprintf(stderr, "unreadable: %s\n", u.c_str());
  }
  // A name no advisory uses is more often a typo than good news: say so (the answer stands).
  if (!ans.product_known)
    std::fprintf(stderr, "vmt affects: warning: no advisory in %s names the product '%s' (compared as %s)\n",
                 dir.c_str(), product.c_str(), advisory::normalized_product(product).c_str());
  // Exit 1 when affected, so a script can branch on it (0: no advisory affects this version).
  if (!ans.affected.empty())
    return make_error(failure::action_due, "vmt affects", product + " " + version + " is affected by " +
                                                              std::to_string(ans.affected.size()) + " advisories");
  return ok_v;
}

}  // namespace

void register_advisory_commands(CLI::App& app, context& ctx) {
  auto* adv = app.add_subcommand("advisory", "security advisories and notes: render, check, publish");
  adv->require_subcommand(1);
  adv->add_flag("--json", ctx.json, "print JSON");

  auto* r = adv->add_subcommand("render", "print an advisory (or note) as rST, HTML or JSON (OSV + CVE)");
  static std::string format = "rst", file;
  r->add_option("--format", format, "rst (the mailed text), html (one page) or json (OSV and CVE records)")
      ->check(CLI::IsMember({"rst", "html", "json"}));
  r->add_option("FILE", file, "advisory YAML (OSSA-YYYY-NNN.yaml) or note (OSSN-NNNN.yaml)")->required();
  on_run(r, [&ctx] { return render(ctx, format, file); });

  auto* c = adv->add_subcommand("check", "validate advisory and note YAML files");
  static std::vector<std::string> files;
  c->add_option("FILE", files, "YAML files")->required();
  c->add_flag("--json", ctx.json, "print the problems as JSON");
  on_run(c, [&ctx] { return check(ctx, files); });

  auto* s = adv->add_subcommand("site", "build the static site: index, pages, Atom feed, OSV and CVE records");
  static std::string out, source, base_url, org_id;
  s->add_option("--out", out, "output folder (created, or replaced when vmt made it)")->required();
  s->add_option("SOURCE_DIR", source, "folder of OSSA-*.yaml and OSSN-*.yaml files")->required();
  s->add_option("--base-url", base_url, "absolute URL of the site, for the feed and the records");
  s->add_option("--cna-org-id", org_id, "the CNA's orgId (UUID) for the CVE records");
  s->add_flag("--json", ctx.json, "print a summary as JSON");
  on_run(s, [&ctx] { return site(ctx, out, source, base_url, org_id); });

  auto* n = adv->add_subcommand("new", "draft OSSA-YYYY-NNN.yaml (or OSSN-NNNN.yaml) for a case, with the next free number");
  static std::string case_id, new_dir;
  static bool as_note = false;
  n->add_option("CASE", case_id, "case id (VMT-2026-001)")->required();
  n->add_option("--dir", new_dir, "advisories folder (default: `advisories` in vmt.yaml)");
  n->add_flag("--note", as_note, "draft a security note (OSSN-NNNN) instead of an advisory");
  n->add_flag("--json", ctx.json, "print the result as JSON");
  on_run(n, [&ctx] { return draft(ctx, case_id, new_dir, as_note); });

  auto* af = app.add_subcommand("affects",
                                "is this version of a product affected by any advisory? (exit 1: yes, 0: no)");
  static std::string product, version, aff_dir;
  af->add_option("PRODUCT", product, "project name (nova)")->required();
  af->add_option("VERSION", version, "deployed version (29.0.1)")->required();
  af->add_option("--dir", aff_dir, "advisories folder (default: `advisories` in vmt.yaml)");
  af->add_flag("--json", ctx.json, "print JSON");
  on_run(af, [&ctx] { return affects(ctx, product, version, aff_dir); });
}

}  // namespace vmt::cli
