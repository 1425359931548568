// vmt: the coordinators' command line. Each verb is one step of the VMT process (see
// docs/usage.md); this file only wires the verb groups and maps the outcome to an exit code.
//
// EXIT STATUS: sysexits(3) through core/status.h: 0 done, 64 usage, 65 bad input data, 66 missing
// input, 69 refused, 75 try again later, 77 permission, 78 configuration.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <exception>

#include "cli.h"
#include "core/harden.h"
#include "core/log.h"
#include "core/text.h"

namespace vmt::cli {
// Set by the verb that ran (see on_run).
extern std::optional<status> last_status;
}  // namespace vmt::cli

namespace {
// The first argument that is not an option (or an option's value): the verb asked for.
std::string first_word(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-c" || a == "--config" || a == "--as") {
      ++i;
      continue;
    }
    if (!a.empty() && a[0] != '-') return a;
  }
  return {};
}

bool has_verb(CLI::App& app, const std::string& name) {
  for (const auto* sub : app.get_subcommands({}))
    if (sub->check_name(name)) return true;
  return false;
}
}  // namespace

int main(int argc, char** argv) {
  using namespace vmt;
  harden::no_core_dumps();  // `vmt show --text` and the workflow hold decrypted report text
  log::init("vmt", log::settings{"stderr", "", "warn"});
  CLI::App app{"vmt: run a security team's vulnerability management by mail", "vmt"};
  app.require_subcommand(1);
  app.set_version_flag("--version", VMT_VERSION);
  cli::context ctx;
  app.add_option("-c,--config", ctx.config_option, "configuration file (default: $VMT_CONFIG, ./vmt.yaml)");
  app.add_option("--as", ctx.actor, "who is acting, for the ledger (default: the first coordinator)");

  cli::register_case_commands(app, ctx);
  cli::register_process_commands(app, ctx);
  cli::register_advisory_commands(app, ctx);
  cli::register_keys_commands(app, ctx);
  cli::register_doctor_commands(app, ctx);
  cli::register_outbox_commands(app, ctx);
  cli::register_workflow_commands(app, ctx);
  cli::register_tracker_commands(app, ctx);
  cli::register_inspect_commands(app, ctx);

  // Arguments end up in tracker requests, mail and JSON, which are UTF-8: a stray Latin-1 byte in
  // a --reason is refused here, where the coordinator can see which argument it is in.
  for (int i = 1; i < argc; ++i)
    if (text::first_invalid_utf8(argv[i]) != std::string::npos) {
      std::string shown;
      std::string_view arg = argv[i];
      for (std::size_t k = 0; k < arg.size();) {
        std::size_t n = text::utf8_sequence(arg, k);
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned char>(arg[k]));
        shown += n ? std::string(arg.substr(k, n)) : std::string(hex);
        k += n ? n : 1;
      }
      std::fprintf(stderr, "vmt: argument '%s' is not UTF-8: write it in UTF-8 (iconv -f latin1 -t utf-8)\n",
                   shown.c_str());
      return exit_code(failure::usage);
    }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // "The following arguments were not expected: frob" says less than naming the verb.
    if (app.get_subcommands().empty())
      if (auto verb = first_word(argc, argv); !verb.empty() && !has_verb(app, verb)) {
        std::fprintf(stderr, "vmt: unknown verb '%s': see vmt --help for the verbs\n", verb.c_str());
        return exit_code(failure::usage);
      }
    int rc = app.exit(e);
    return rc == 0 ? 0 : exit_code(failure::usage);
  }
  try {
    if (!cli::last_status) return 0;
    if (*cli::last_status) return 0;
    const auto& err = cli::last_status->err();
    std::fprintf(stderr, "vmt: %s\n", err.message().c_str());
    // A script that asked for JSON gets one JSON document on stdout, failure included.
    if (ctx.json && !cli::json_printed)
      cli::print_json({{"error", {{"kind", failure_name(err.kind)}, {"where", err.where}, {"what", err.what},
                                  {"fix", err.fix}, {"exit_status", exit_code(err.kind)}}}});
    return exit_code(err.kind);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vmt: internal error: %s\n", e.what());
    return exit_code(failure::software);
  }
}
