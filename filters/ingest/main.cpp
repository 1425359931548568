// vmt-ingest: the mail filter the MTA runs for each message to the team address (procmail recipe
// or a Postfix pipe(8) transport; see procmail/README.md).
//
// SYNOPSIS
//   vmt-ingest [--config FILE] < message
//
// DESCRIPTION
//   Spools the message durably, then decrypts and verifies it, files it as a private case (or as
//   a follow-up of one), opens the private security bug and queues the acknowledgement. Unreadable
//   mail is quarantined and the coordinators are told. See lib/intake/reception.h.
//
// EXIT STATUS
//   0   filed, a duplicate of a filed message, or quarantined: the MTA is done with it.
//   75  (EX_TEMPFAIL) anything else: the MTA keeps the message and retries. This filter never
//       returns a code that makes the MTA bounce, because a bounce would carry report text back
//       over the network; configuration mistakes are logged and deferred until someone fixes them.
//
// SECURITY
//   Refuses to run as root. Disables core dumps and ptrace (lib/core/harden.h). Needs read access to the
//   config and GnuPG home, write access to the store, spool and outbox. Never logs report text.
#include <spdlog/spdlog.h>
#include <sysexits.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <exception>

#include "config/config.h"
#include "core/harden.h"
#include "core/log.h"
#include "core/test_hooks.h"
#include "intake/reception.h"
#include "intake/spool.h"
#include "store/store.h"

namespace {

// What the MTA should do with the message, from the outcome of our run.
int filter_exit(const vmt::error& e) {
  if (e.kind != vmt::failure::temporary)
    spdlog::error("deferring the message until this is fixed ({}): {}", vmt::failure_name(e.kind), e.message());
  else
    spdlog::warn("deferred, will be retried: {}", e.message());
  return EX_TEMPFAIL;
}

int run(int argc, char** argv) {
  std::string config_file;
  bool allow_root = false;
  CLI::App app{"vmt-ingest: file a mail to the security team as a private case", "vmt-ingest"};
  app.add_option("-c,--config", config_file, "configuration file (default: $VMT_CONFIG, ./vmt.yaml)");
  app.add_flag("--allow-root", allow_root, "run as root anyway (tests in throwaway containers only)");
  app.set_version_flag("--version", VMT_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return EX_TEMPFAIL;  // a broken master.cf line must not bounce mail
  }
  vmt::log::init("vmt-ingest");
  if (::geteuid() == 0 && !allow_root) {
    spdlog::error("refusing to run as root: run vmt-ingest as the dedicated vmt user (Postfix pipe user=vmt)");
    return EX_TEMPFAIL;
  }

  auto cfg = vmt::config::load(vmt::config::locate(config_file));
  if (!cfg) return filter_exit(cfg.err());
  vmt::log::init("vmt-ingest", cfg->log);

  // Durable before anything else. Beyond the memory limit the message is spooled in full and
  // quarantined as too large.
  auto msg = vmt::intake::spool_from_fd(STDIN_FILENO, cfg->path(cfg->spool), cfg->limits.max_message_bytes);
  if (!msg) return filter_exit(msg.err());
  vmt::test_hooks::after_step("spool");

  auto st = vmt::store::store::open(cfg->path(cfg->store.path), cfg->store.busy_timeout_ms);
  if (!st) return filter_exit(st.err());
  auto templates = vmt::tmpl::make_engine(*cfg);
  auto rec = vmt::intake::make_reception(*cfg, **st, *templates);
  rec.after_step = vmt::test_hooks::after_step;
  auto got = vmt::intake::receive(rec, *msg);
  if (!got) return filter_exit(got.err());
  spdlog::info("{}: {}{}{}", msg->sha256.substr(0, 12), vmt::intake::to_string(got->what),
               got->case_id.empty() ? "" : " " + got->case_id, got->reason.empty() ? "" : " (" + got->reason + ")");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Before anything is read: this process will hold decrypted report text.
  vmt::harden::no_core_dumps();
  vmt::harden::private_files();
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    spdlog::critical("internal error: {}", e.what());
  } catch (...) {
    spdlog::critical("internal error");
  }
  return EX_TEMPFAIL;
}
