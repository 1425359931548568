// vmt-send: the outbound queue runner. Sends the mail waiting in vmt's outbox through the configured
// transport (maildir, sendmail or SMTP) exactly once, releases held mail at its hour, retries
// temporary failures with backoff. Run it from a systemd timer or cron with --once (docs/outbound.md
// has both), or as a long-running service without it.
//
// USAGE: vmt-send [--config FILE] [--once] [--interval SECONDS]
//
// EXIT STATUS (sysexits(3), through vmt::exit_code): 0 nothing left to do; 75 something is left to
// retry (a temporary failure, a mail whose delivery is uncertain and waits for a coordinator, another
// runner holding the outbox, a busy store); 69 a mail failed permanently in this pass (the log says
// which and why); 77 a credentials file that others can read; 78 a configuration error.
//
// SECURITY: runs as the unprivileged vmt user, never root (docs/outbound.md). The envelope comes
// from the store, never from headers; the SMTP password is read from a file of mode 0600 and never
// logged. Logs name mails by id, Message-ID and addresses only.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <atomic>
#include <cstdio>
#include <exception>

#include "config/config.h"
#include "core/clock.h"
#include "core/harden.h"
#include "core/log.h"
#include "core/status.h"
#include "store/store.h"
#include "transport/outbox.h"

namespace {

std::atomic<bool> stop_requested{false};

void on_signal(int) { stop_requested = true; }

// One pass of the runner and the exit code it deserves.
int run_pass(vmt::store::store& st, const vmt::config::config& cfg) {
  using namespace vmt;
  auto rep = transport::flush(st, cfg, clock::now());
  if (!rep) {
    spdlog::error("{}", rep.err().message());
    return exit_code(rep.err().kind);
  }
  if (rep->released || rep->sent || rep->deferred || rep->failed || rep->uncertain || rep->in_progress)
    spdlog::info("pass done: {} released, {} sent, {} deferred, {} failed, {} uncertain, {} in progress, {} held",
                 rep->released, rep->sent, rep->deferred, rep->failed, rep->uncertain, rep->in_progress, rep->held);
  if (rep->left_to_retry()) return exit_code(failure::temporary);
  if (rep->failed > 0) return exit_code(failure::unavailable);
  return 0;
}

int run(int argc, char** argv) {
  using namespace vmt;
  log::init("vmt-send", log::settings{"stderr", "", "info"});
  CLI::App app{"vmt-send: send the mail waiting in vmt's outbox", "vmt-send"};
  std::string config_option;
  bool once = false;
  int interval = 60;
  app.add_option("-c,--config", config_option, "configuration file (default: $VMT_CONFIG, ./vmt.yaml)");
  app.add_flag("--once", once, "one pass, then exit (for cron or a systemd timer)");
  app.set_version_flag("--version", VMT_VERSION);
  app.add_option("--interval", interval, "seconds between passes without --once")->check(CLI::Range(1, 3600));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : exit_code(failure::usage);
  }

  auto cfg = config::load(config::locate(config_option));
  if (!cfg) {
    std::fprintf(stderr, "vmt-send: %s\n", cfg.err().message().c_str());
    return exit_code(cfg.err().kind);
  }
  log::init("vmt-send", cfg->log);
  if (::geteuid() == 0) spdlog::warn("running as root: run vmt-send as the unprivileged vmt user (docs/outbound.md)");
  auto st = store::store::open(cfg->path(cfg->store.path), cfg->store.busy_timeout_ms);
  if (!st) {
    spdlog::error("{}", st.err().message());
    return exit_code(st.err().kind);
  }
  if (once) return run_pass(**st, *cfg);

  struct sigaction sa {};
  sa.sa_handler = on_signal;
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  while (!stop_requested) {
    int rc = run_pass(**st, *cfg);
    // What a person must fix stops the service; passing trouble waits for the next pass.
    if (rc == exit_code(failure::config) || rc == exit_code(failure::permission) ||
        rc == exit_code(failure::software))
      return rc;
    for (int i = 0; i < interval && !stop_requested; ++i) ::sleep(1);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  vmt::harden::no_core_dumps();  // the outbox holds embargoed mail; the memory, an SMTP password
  vmt::harden::private_files();
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vmt-send: internal error: %s\n", e.what());
    return vmt::exit_code(vmt::failure::software);
  }
}
