// log.h: where vmt's programs log (stderr, a file or syslog) and at what level.
//
// Rule that every caller keeps: log case ids, message hashes, counts, addresses of the team and
// verdicts; never decrypted report text, subjects of encrypted mail, or attachment contents.
// tests/integration/canary checks it.
#pragma once

#include <spdlog/spdlog.h>

#include <string>

namespace vmt::log {

struct settings {
  std::string sink = "stderr";  // stderr | file | syslog
  std::string file;             // for sink=file
  std::string level = "info";   // trace debug info warn error critical off
};

// Install the default logger for `program`; an unusable file sink falls back to stderr.
void init(const std::string& program, const settings& s = {});

}  // namespace vmt::log
