// cli.cpp: shared plumbing of the vmt verbs (see cli.h).
#include "cli.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace vmt::cli {

std::optional<status> last_status;

result<const config::config*> context::cfg() {
  if (!cfg_) {
    VMT_TRY(c, config::load(config::locate(config_option)));
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
  if (!actor.empty()) return actor;
  auto c = cfg();
  if (c && (*c)->coordinator()) return (*c)->coordinator()->email;
  return "coordinator";
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
void print_json(const nlohmann::json& j) {
  std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace vmt::cli
