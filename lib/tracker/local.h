// local.h: the embedded tracker: private security bugs kept in their own SQLite file, with the same
// operations and semantics as Launchpad (information types, tasks with statuses, subscriptions,
// comments, attachments, CVE links). It is the default, so that a team can run the whole process
// with no outside server, and the reference the remote backends are tested against.
#pragma once

#include <memory>
#include <string>

#include "tracker/tracker.h"

namespace vmt::tracker {

// Open (creating) the local tracker database at `path`; `web_root` prefixes bug links.
result<std::unique_ptr<tracker>> open_local(const std::string& path, int busy_timeout_ms,
                                            const std::string& web_root);

}  // namespace vmt::tracker
