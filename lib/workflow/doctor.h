// doctor.h: is this deployment healthy? Each check says what is wrong and the command that fixes
// it: the configuration, the team folder's permissions and ownership, the keys (keys.h), the
// credential files, the MTA's wiring to vmt-ingest, mail stuck in the outbox or the spool, and the
// clock. `vmt doctor` prints it; exit 0 healthy, 1 warnings, 2 problems.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/status.h"
#include "store/store.h"

namespace vmt::workflow {

enum class health { ok, warning, problem };
const char* to_string(health h);

struct doctor_finding {
  std::string check;  // "permissions", "keys", "credentials", "mta", "outbox", "spool", "clock"
  health level = health::ok;
  std::string what;
  std::string fix;  // a command, or what to do
};

struct doctor_options {
  std::string master_cf = "/etc/postfix/master.cf";  // where Postfix's pipe entry would be
  std::string procmailrc;  // the vmt user's recipe; default $HOME/.procmailrc
};

// Every check; problems first, then warnings, then what is fine.
result<std::vector<doctor_finding>> doctor(const config::config& cfg, store::store& st, const doctor_options& o);

}  // namespace vmt::workflow
