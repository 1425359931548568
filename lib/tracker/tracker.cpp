// tracker.cpp: choose the backend the configuration names (see tracker.h).
#include "tracker/tracker.h"

#include <algorithm>

#include "tracker/http.h"
#include "tracker/launchpad.h"
#include "tracker/local.h"
#include "tracker/storyboard.h"

namespace vmt::tracker {

http::options http_options(const config::config& cfg) {
  http::options o;
  o.timeout_s = cfg.tracker.timeout_s;
  o.retries = cfg.tracker.retries;
  o.backoff_ms = cfg.tracker.backoff_ms;
  o.dry_run = cfg.tracker.dry_run;
  o.user_agent = "vmt/" VMT_VERSION;
  return o;
}

result<std::optional<std::string>> tracker::person_for_email(const std::string&) {
  return std::optional<std::string>{};
}

std::string case_tag(const std::string& case_id) {
  std::string t = "vmt-case-";
  for (unsigned char c : case_id) t += std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '-';
  return t;
}

status tracker::link_case(const std::string& id, const std::string& case_id) {
  VMT_TRY(bug, get_bug(id));
  auto tag = case_tag(case_id);
  if (std::find(bug.tags.begin(), bug.tags.end(), tag) != bug.tags.end()) return ok_v;
  bug.tags.push_back(tag);
  return set_tags(id, bug.tags);
}

result<std::unique_ptr<tracker>> open(const config::config& cfg) {
  const auto& t = cfg.tracker;
  if (t.kind == "local")
    return open_local(cfg.path(t.local_path), t.timeout_s * 1000, t.web_root.empty() ? "local:" : t.web_root);
  if (t.kind == "launchpad") return open_launchpad(cfg, http_options(cfg));
  if (t.kind == "storyboard") return open_storyboard(cfg, http_options(cfg));
  return make_error(failure::config, cfg.file + ": tracker.kind", "unknown tracker '" + t.kind + "'",
                    "use local, launchpad or storyboard");
}

}  // namespace vmt::tracker
