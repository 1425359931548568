// cli.cpp: shared plumbing of the vmt verbs (see cli.h).
#include "cli.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "core/text.h"

namespace vmt::cli {

std::optional<status> last_status;

namespace {
// The ledger says who told whom what: only a configured coordinator may act, under their
// configured address (and signing key). No --as: the first coordinator ("vmt" when none).
result<std::string> acting_coordinator(const config::config& c, const std::string& as) {
  if (as.empty()) return c.coordinator() ? c.coordinator()->email : std::string("vmt");
  for (const auto& p : c.team.coordinators)
    if (text::lower(p.email) == text::lower(as) || (!p.name.empty() && p.name == as)) return p.email;
  std::string known;
  for (const auto& p : c.team.coordinators) known += (known.empty() ? "" : ", ") + p.email;
  return make_error(failure::usage, "--as '" + as + "'", "is not a coordinator of this team",
                    known.empty() ? "add them under team.coordinators in " + c.file
                                  : "use one of: " + known + " (team.coordinators in " + c.file + ")");
}
}  // namespace

result<const config::config*> context::cfg() {
  if (!cfg_) {
    VMT_TRY(c, config::load(config::locate(config_option)));
    // Whoever acts is checked as soon as the team is known, before any verb records anything.
    VMT_TRY(email, acting_coordinator(c, actor));
    actor = email;
    cfg_ = std::make_unique<config::config>(std::move(c));
  }
  return static_cast<const config::config*>(cfg_.get());
}

bool context::has_config() const {
  const char* env = std::getenv("VMT_CONFIG");
  if (!config_option.empty() || (env && *env)) return true;
  std::error_code ec;
  return std::filesystem::exists(config::locate(config_option), ec);
}

result<const config::config*> context::cfg_or_defaults() {
  if (has_config()) return cfg();
  static const config::config defaults{};
  return &defaults;
}

result<store::store*> context::db() {
  if (!store_) {
    VMT_TRY(c, cfg());
    VMT_TRY(s, store::store::open(c->path(c->store.path), c->store.busy_timeout_ms));
    store_ = std::move(s);
  }
  return store_.get();
}


std::string context::who() {
  auto c = cfg();
  if (!c) return actor.empty() ? "vmt" : actor;
  return actor;
}

result<const tmpl::engine*> context::templates() {
  if (!templates_) {
    VMT_TRY(c, cfg());
    templates_ = tmpl::make_engine(*c);
  }
  return static_cast<const tmpl::engine*>(templates_.get());
}

result<workflow::session*> context::work() {
  if (!session_) {
    VMT_TRY(c, cfg());
    VMT_TRY(s, db());
    VMT_TRY(t, templates());
    session_ = workflow::make_session(*c, *s, *t, who());
  }
  return session_.get();
}

void on_run(CLI::App* cmd, action body) {
  cmd->callback([body = std::move(body)] {
    try {
      last_status = body();
    } catch (const std::exception& e) {
      last_status = make_error(failure::software, "vmt", std::string("internal error: ") + e.what(),
                               "please report this bug");
    }
  });
}

// Fields read from hostile mail (a From as written) may hold bytes that are not UTF-8: replaced.
bool json_printed = false;

void print_json(const nlohmann::json& j) {
  json_printed = true;
  std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace vmt::cli
