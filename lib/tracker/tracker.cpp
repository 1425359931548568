// tracker.cpp: choose the backend the configuration names (see tracker.h).
#include "tracker/tracker.h"

#include "tracker/local.h"

namespace vmt::tracker {

result<std::unique_ptr<tracker>> open(const config::config& cfg) {
  const auto& t = cfg.tracker;
  if (t.kind == "local")
    return open_local(cfg.path(t.local_path), t.timeout_s * 1000, t.web_root.empty() ? "local:" : t.web_root);
  return make_error(failure::config, cfg.file + ": tracker.kind",
                    "the " + t.kind + " backend is not available in this build", "use tracker.kind: local");
}

}  // namespace vmt::tracker
