// vmt-test-enqueue: put a plain RFC 5322 message into vmt's outbox, for the integration tests of
// the queue runner (T520-T540). Composition (signing, encryption) is crypto::compose's job; the
// runner only needs bytes and an envelope. Built with the tests, never installed: the coordinators'
// paths into the outbox are the workflow verbs, which check who may receive what.
//
// USAGE: vmt-test-enqueue --config FILE --from ADDR --to ADDR [--to ADDR...] [--at TIME]
//                         [--case CASE] [--kind KIND] MESSAGE-FILE
// The Message-ID is read from the message's header. EXIT STATUS: 0 queued, 1 already queued
// (idempotent), else sysexits through vmt::exit_code.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "config/config.h"
#include "core/fs.h"
#include "core/log.h"
#include "store/store.h"
#include "transport/outbox.h"

int main(int argc, char** argv) {
  using namespace vmt;
  log::init("vmt-test-enqueue", log::settings{"stderr", "", "warn"});
  CLI::App app{"vmt-test-enqueue: queue a raw message in vmt's outbox (tests only)"};
  std::string config_file, file;
  transport::queued_mail m;
  m.kind = "test";
  app.add_option("-c,--config", config_file)->required();
  app.add_option("--from", m.sender)->required();
  app.add_option("--to", m.recipients)->required();
  app.add_option("--at", m.not_before);
  app.add_option("--case", m.case_id);
  app.add_option("--kind", m.kind);
  app.add_option("FILE", file)->required();
  CLI11_PARSE(app, argc, argv);

  auto fail = [](const error& e) {
    std::fprintf(stderr, "vmt-test-enqueue: %s\n", e.message().c_str());
    return exit_code(e.kind);
  };
  auto cfg = config::load(config_file);
  if (!cfg) return fail(cfg.err());
  auto bytes = fs::read_file(file);
  if (!bytes) return fail(bytes.err());
  // Message-ID: the first header of that name, angle brackets removed.
  auto hdr_end = bytes->find("\n\n");
  std::string head = bytes->substr(0, hdr_end);
  for (std::size_t pos = 0; pos < head.size();) {
    auto eol = head.find('\n', pos);
    auto line = head.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    if (line.size() > 11 && strncasecmp(line.c_str(), "Message-ID:", 11) == 0) {
      auto lt = line.find('<'), gt = line.find('>');
      if (lt != std::string::npos && gt != std::string::npos && gt > lt) m.message_id = line.substr(lt + 1, gt - lt - 1);
      break;
    }
    if (eol == std::string::npos) break;
    pos = eol + 1;
  }
  if (m.message_id.empty()) return fail(make_error(failure::data, file, "no Message-ID header"));
  auto st = store::store::open(cfg->path(cfg->store.path), cfg->store.busy_timeout_ms);
  if (!st) return fail(st.err());
  auto r = transport::enqueue(**st, *cfg, m, *bytes);
  if (!r) return fail(r.err());
  std::printf("%s\n", m.message_id.c_str());
  return *r ? 0 : 1;
}
