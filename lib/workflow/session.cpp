// session.cpp: what every verb shares: loading cases, the tracker, the ledger, and the OSSA task
// transitions (see workflow.h).
#include <algorithm>

#include "core/clock.h"
#include "workflow/workflow.h"

namespace vmt::workflow {

session::session(const config::config& c, store::store& s, const tmpl::engine& t, std::string who)
    : cfg(c), st(s), templates(t), actor(std::move(who)) {}

result<tracker::tracker*> session::tracker() {
  if (!tracker_) {
    VMT_TRY(t, open_tracker());
    tracker_ = std::move(t);
  }
  return tracker_.get();
}

result<store::case_record> session::load(const std::string& id) {
  VMT_TRY(c, st.find_case(id));
  if (!c) return make_error(failure::data, id, "no such case", "see `vmt list` for case ids");
  return *c;
}

const config::person* session::signer() const {
  for (const auto& p : cfg.team.coordinators)
    if (p.email == actor && !p.key.empty()) return &p;
  for (const auto& p : cfg.team.coordinators)
    if (!p.key.empty()) return &p;
  return nullptr;
}

std::string session::now() const { return clock::iso_time(clock::now()); }

status session::record(const std::string& case_id, const std::string& kind, const std::string& summary,
                       const std::vector<std::string>& recipients, const std::vector<std::string>& keys,
                       const std::string& message_id) {
  store::event_record e;
  e.case_id = case_id;
  e.at = now();
  e.kind = kind;
  e.actor = actor;
  e.summary = summary;
  e.recipients = recipients;
  e.keys = keys;
  e.message_id = message_id;
  return st.add_event(e);
}

std::unique_ptr<session> make_session(const config::config& cfg, store::store& st, const tmpl::engine& templates,
                                      const std::string& actor) {
  auto s = std::make_unique<session>(cfg, st, templates, actor);
  s->open_tracker = [&cfg]() { return tracker::open(cfg); };
  s->compose = [&cfg](const crypto::outgoing& m) { return crypto::compose(cfg.path(cfg.gnupg_home), m); };
  return s;
}

process::ossa_status status_of(const store::case_record& c) {
  return process::parse_status(c.ossa_status).value_or(process::ossa_status::incomplete);
}

process::case_facts facts_of(session& s, const store::case_record& c) {
  process::case_facts f;
  f.embargoed = c.is_private;
  f.cve_assigned = valid_cve_id(c.cve);
  auto patches = s.st.case_patches(c.id);
  f.patches_merged = patches && !patches->empty() &&
                     std::all_of(patches->begin(), patches->end(), [](const auto& p) { return !p.merged_at.empty(); });
  return f;
}

result<process::ossa_status> transition(session& s, store::case_record& c, process::verb v, const std::string& why) {
  auto from = status_of(c);
  VMT_TRY(to, process::check_transition(from, v, facts_of(s, c), c.id));
  if (to == from) return to;
  // The tracker first: if it is down the verb fails and nothing changed; if the store then
  // fails, `vmt tracker sync` re-applies the store's view.
  if (!c.tracker_bug.empty()) {
    VMT_TRY(t, s.tracker());
    VMT_TRY_STATUS(t->set_task_status(c.tracker_bug, s.cfg.tracker.ossa_project, std::string(process::name(to))));
  }
  c.ossa_status = std::string(process::name(to));
  c.updated_at = s.now();
  VMT_TRY_STATUS(s.st.transaction([&]() -> status {
    VMT_TRY_STATUS(s.st.update_case(c));
    return s.record(c.id, "status",
                    s.cfg.tracker.ossa_project + " task " + std::string(process::name(from)) + " -> " +
                        std::string(process::name(to)) + " (" + std::string(process::verb_name(v)) + ")" +
                        (why.empty() ? "" : ": " + why));
  }));
  return to;
}

}  // namespace vmt::workflow
