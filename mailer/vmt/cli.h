// cli.h: what every verb of the `vmt` command shares: the global options, lazy access to the
// configuration and the store, and the single place where a verb's result becomes output and an
// exit code.
//
// A verb group lives in its own cmd_<group>.cpp and exposes one register_<group>() that adds its
// subcommands to the app; main.cpp calls them all.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>

#include "config/config.h"
#include "core/status.h"
#include "store/store.h"
#include "tmpl/tmpl.h"
#include "workflow/workflow.h"

namespace vmt::cli {

class context {
 public:
  std::string config_option;  // --config
  bool json = false;          // --json (verbs that print state)
  std::string actor;          // --as: who is acting (ledger); default the first coordinator

  // Loaded on first use; errors are values.
  result<const config::config*> cfg();
  // For verbs that answer questions about the rules without a team folder: the configuration when
  // one is named (--config, $VMT_CONFIG) or ./vmt.yaml exists, else the built-in defaults.
  result<const config::config*> cfg_or_defaults();
  bool has_config() const;
  result<store::store*> db();
  // The acting coordinator's address for the ledger. --as must name a configured coordinator (by
  // address or name): cfg() refuses anything else; the default is the first coordinator.
  std::string who();
  // The templates: the team's folder first, then the shipped ones.
  result<const tmpl::engine*> templates();
  // A workflow session on the configured store, tracker and GnuPG home.
  result<workflow::session*> work();

 private:
  std::unique_ptr<config::config> cfg_;
  std::unique_ptr<store::store> store_;
  std::unique_ptr<tmpl::engine> templates_;
  std::unique_ptr<workflow::session> session_;
};

// A verb's body: returns ok, or the error that main prints and maps to an exit code. Output goes to
// stdout; --json output is a single JSON document.
using action = std::function<status()>;

// Attach `body` to `cmd` so that running it stores the status for main to report.
void on_run(CLI::App* cmd, action body);

// The outbound queue runner for `vmt check` (empty until the transport lands its runner).
std::function<status()> outbox_flusher(context& ctx);

// Print a JSON document (pretty) to stdout.
void print_json(const nlohmann::json& j);
// Whether a verb printed its JSON document: a failure after it (advisory check's errors) adds none.
extern bool json_printed;

// Verb groups.
void register_case_commands(CLI::App& app, context& ctx);      // init, list, show, quarantine, set-project
void register_process_commands(CLI::App& app, context& ctx);   // schedule, versions, taxonomy
void register_advisory_commands(CLI::App& app, context& ctx);  // advisory render/check/site/new, affects
void register_outbox_commands(CLI::App& app, context& ctx);    // outbox list/flush
void register_workflow_commands(CLI::App& app, context& ctx);  // confirm, classify, notify, ...
void register_tracker_commands(CLI::App& app, context& ctx);   // tracker login/sync, cve
void register_inspect_commands(CLI::App& app, context& ctx);   // inspect (inbound verdict of a file)
void register_keys_commands(CLI::App& app, context& ctx);      // keys import/list/check
void register_doctor_commands(CLI::App& app, context& ctx);    // doctor

}  // namespace vmt::cli
