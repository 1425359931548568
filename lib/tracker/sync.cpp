// sync.cpp: bring a bug in line with the store (see sync.h).
#include "tracker/sync.h"

#include <algorithm>

#include "core/clock.h"

namespace vmt::tracker {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string strip_leading_newlines(std::string s) {
  auto b = s.find_first_not_of("\r\n");
  return b == std::string::npos ? std::string() : s.substr(b);
}

// The description with the reminder at its head (private) or without it (public).
std::string with_reminder(const std::string& d, const std::string& reminder, bool present) {
  if (reminder.empty()) return d;
  if (present) return d.rfind(reminder, 0) == 0 ? d : reminder + "\n\n" + d;
  auto pos = d.find(reminder);
  if (pos == std::string::npos) return d;
  auto out = d.substr(0, pos) + strip_leading_newlines(d.substr(pos + reminder.size()));
  return out.empty() ? d : out;  // Launchpad refuses an empty description
}

}  // namespace

std::string base_title(const store::case_record& c, const std::string& advisory_prefix) {
  std::string t = c.title;
  const std::string key = "Title:";
  auto pos = c.description.find(key);
  if (pos != std::string::npos && (pos == 0 || c.description[pos - 1] == '\n')) {
    auto eol = c.description.find('\n', pos);
    auto line = c.description.substr(pos + key.size(), eol == std::string::npos ? std::string::npos : eol - pos - key.size());
    auto b = line.find_first_not_of(" \t");
    auto e = line.find_last_not_of(" \t\r");
    if (b != std::string::npos) t = line.substr(b, e - b + 1);
  }
  // "[OSSA-2026-001] " in front, " (CVE-2026-12345)" behind: added by the process, not the title.
  for (bool again = true; again;) {
    again = false;
    if (t.rfind("[" + advisory_prefix + "-", 0) == 0)
      if (auto close = t.find("] "); close != std::string::npos) {
        t = t.substr(close + 2);
        again = true;
      }
    if (t.size() > 4 && t.back() == ')')
      if (auto open = t.rfind(" (CVE-"); open != std::string::npos) {
        t = t.substr(0, open);
        again = true;
      }
  }
  return t;
}

std::string process_title(const store::case_record& c, const std::string& advisory_prefix) {
  auto t = base_title(c, advisory_prefix);
  if (!c.advisory_id.empty() && !c.is_private) return "[" + c.advisory_id + "] " + t;
  if (!c.cve.empty()) return t + " (" + c.cve + ")";
  return t;
}

result<wanted_bug> wanted(const config::config& cfg, store::store& st, const store::case_record& c) {
  wanted_bug w;
  w.title = process_title(c, cfg.team.advisory_prefix);
  if (w.title.size() > 200) w.title = w.title.substr(0, 197) + "...";
  if (c.is_private)
    w.information_type = "Private Security";
  else if (c.ossa_status == "Won't Fix" || c.ossa_status == "Invalid")
    w.information_type = "Public";  // no advisory: the process makes such reports plain Public
  else
    w.information_type = "Public Security";
  VMT_TRY(rem, st.tracker_op_done(c.id, "reminder"));
  if (rem) w.reminder = *rem;
  w.reminder_present = c.is_private;
  w.tasks.emplace_back(cfg.tracker.ossa_project, c.ossa_status);
  // Subscriptions the store recorded as done (reception, set-project, workflow), in order.
  VMT_TRY(subscribed, st.subscribed_by_steps(c.id));
  for (const auto& who : subscribed)
    if (!who.empty() && !contains(w.subscribers, who)) w.subscribers.push_back(who);
  if (const auto* p = cfg.find_project(c.project); p && !p->security_team.empty() && !contains(w.subscribers, p->security_team))
    w.subscribers.insert(w.subscribers.begin(), p->security_team);
  // People subscribed by a coordinator (vmt subscribe --tracker-name) are the store's too.
  VMT_TRY(access, st.case_access(c.id));
  for (const auto& a : access)
    if (!a.tracker_name.empty() && !contains(w.subscribers, a.tracker_name)) w.subscribers.push_back(a.tracker_name);
  if (!c.cve.empty()) w.cves.push_back(c.cve);
  return w;
}

result<std::vector<difference>> compare(const config::config& cfg, store::store& st, tracker& t,
                                        const store::case_record& c) {
  if (c.tracker_bug.empty())
    return make_error(failure::data, c.id, "has no bug yet", "run `vmt spool resume` to complete its reception");
  if (!c.tracker_kind.empty() && c.tracker_kind != t.kind())
    return make_error(failure::config, c.id, "its bug is in the " + c.tracker_kind + " tracker, the configuration names " +
                                                 t.kind(), "set tracker.kind back, or move the case by hand");
  VMT_TRY(w, wanted(cfg, st, c));
  VMT_TRY(b, t.get_bug(c.tracker_bug));
  std::vector<difference> out;
  if (b.title != w.title) out.push_back({"title", b.title, w.title});
  if (t.canonical("information_type", b.information_type) != t.canonical("information_type", w.information_type))
    out.push_back({"information_type", b.information_type, w.information_type});
  // The description is report text: say what is wrong with it, never print it.
  if (!w.reminder.empty()) {
    bool head = b.description.rfind(w.reminder, 0) == 0;
    bool anywhere = b.description.find(w.reminder) != std::string::npos;
    if (w.reminder_present && !head) out.push_back({"description", "embargo reminder missing", "reminder at the head"});
    if (!w.reminder_present && anywhere) out.push_back({"description", "embargo reminder present", "reminder removed"});
  }
  for (const auto& [project, status] : w.tasks) {
    std::string have = "(no task)";
    for (const auto& [p, s] : b.tasks)
      if (p == project) have = s;
    if (have == "(no task)" || t.canonical("status", have) != t.canonical("status", status))
      out.push_back({"task:" + project, have, status});
  }
  for (const auto& who : w.subscribers)
    if (!contains(b.subscribers, who)) out.push_back({"subscriber", "(absent)", who});
  for (const auto& who : b.subscribers)
    if (!contains(w.subscribers, who) && who != c.reporter_email && who != b.owner)
      out.push_back({"subscriber", who, "(not recorded in the store)", true});
  for (const auto& cve : w.cves)
    if (!contains(b.cves, cve)) out.push_back({"cve", "(not linked)", cve});
  return out;
}

result<std::vector<difference>> sync(const config::config& cfg, store::store& st, tracker& t,
                                     const std::string& case_id, bool write, const std::string& actor) {
  VMT_TRY(found, st.find_case(case_id));
  if (!found) return make_error(failure::data, case_id, "no such case", "see `vmt list` for case ids");
  const auto c = *found;
  VMT_TRY(diffs, compare(cfg, st, t, c));
  if (!write) return diffs;
  VMT_TRY(w, wanted(cfg, st, c));
  const auto& bug = c.tracker_bug;
  auto wants = [&](const std::string& field) {
    return std::any_of(diffs.begin(), diffs.end(), [&](const difference& d) { return d.field == field && !d.report_only; });
  };
  std::vector<std::string> written;
  const bool to_private = wants("information_type") && w.information_type.rfind("Private", 0) == 0;
  if (to_private) {
    VMT_TRY_STATUS(t.set_information_type(bug, w.information_type));
    written.push_back("information type " + w.information_type);
  }
  if (wants("title")) {
    VMT_TRY_STATUS(t.set_title(bug, w.title));
    written.push_back("title");
  }
  if (wants("description")) {
    VMT_TRY(b, t.get_bug(bug));
    VMT_TRY_STATUS(t.set_description(bug, with_reminder(b.description, w.reminder, w.reminder_present)));
    written.push_back(w.reminder_present ? "embargo reminder restored" : "embargo reminder removed");
  }
  for (const auto& [project, status] : w.tasks)
    if (wants("task:" + project)) {
      VMT_TRY_STATUS(t.ensure_task(bug, project, status));
      written.push_back(project + " task " + status);
    }
  for (const auto& d : diffs)
    if (d.field == "subscriber" && !d.report_only) {
      VMT_TRY_STATUS(t.subscribe(bug, d.want));
      written.push_back("subscribed " + d.want);
    }
  for (const auto& d : diffs)
    if (d.field == "cve") {
      VMT_TRY_STATUS(t.link_cve(bug, d.want));
      written.push_back("linked " + d.want);
    }
  if (wants("information_type") && !to_private) {
    VMT_TRY_STATUS(t.set_information_type(bug, w.information_type));
    written.push_back("information type " + w.information_type);
  }
  if (!written.empty() && !cfg.tracker.dry_run) {  // a dry run wrote nothing
    std::string summary = "tracker bug " + bug + " brought in line with the store:";
    for (std::size_t i = 0; i < written.size(); ++i) summary += (i ? ", " : " ") + written[i];
    store::event_record e;
    e.case_id = case_id;
    e.at = clock::iso_time(clock::now());
    e.kind = "tracker";
    e.actor = actor;
    e.summary = summary;
    VMT_TRY_STATUS(st.add_event(e));
  }
  return diffs;
}

}  // namespace vmt::tracker
