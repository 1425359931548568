// reception.cpp: filing a message as a case, a bug and an acknowledgement (see reception.h).
#include "intake/reception.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "core/clock.h"
#include "core/hash.h"
#include "core/text.h"
#include "crypto/compose.h"
#include "crypto/keys.h"
#include "intake/internal.h"
#include "intake/notices.h"
#include "message/codec.h"
#include "transport/outbox.h"

namespace vmt::intake {

namespace detail {

std::string now_iso() { return clock::iso_time(clock::now()); }

std::string strip_angles(std::string s) {
  auto b = s.find_first_not_of(" \t<");
  auto e = s.find_last_not_of(" \t>");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// The first `n` bytes of `s`, cut back to a UTF-8 character boundary (trackers' JSON APIs refuse
// a string ending in half a character).
std::string utf8_prefix(const std::string& s, std::size_t n) {
  if (n >= s.size()) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

std::string case_title(const analysis& a, const std::string& received) {
  std::string s = a.subject;
  s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n'; }), s.end());
  auto b = s.find_first_not_of(" \t");
  s = b == std::string::npos ? std::string() : s.substr(b);
  // "..." is what protected-header clients put outside; "Encrypted Message" is Enigmail's.
  if (s.empty() || s == "..." || s == "Encrypted Message" || s == "Encrypted message")
    s = "Report received " + received.substr(0, 10);
  if (s.size() > 200) s = utf8_prefix(s, 197) + "...";
  return s;
}

void describe_signature(const analysis& a, std::string& out) {
  const auto& s = a.signature;
  out = to_string(s.status);
  if (!s.fingerprint.empty()) out += " by " + s.fingerprint;
  if (s.status == sig_status::valid) out += s.matches_from ? ", matches From" : ", does NOT match From";
}


// Run one tracker step unless the store says it is done; record it as done afterwards.
status step(reception& r, tracker_session& ts, const std::string& case_id, const std::string& op,
            const std::function<result<std::string>(tracker::tracker&)>& body) {
  VMT_TRY(done, r.st.tracker_op_done(case_id, op));
  if (done) return ok_v;
  VMT_TRY(t, ts.get());
  ts.once.clear();
  auto res = body(*t);
  if (!res) {
    auto e = std::move(res).err();
    spdlog::warn("case {}: tracker step {} failed: {}", case_id, op, e.message());
    return e;
  }
  r.after_step("tracker-call:" + op);  // the tracker has it, the store does not know yet
  VMT_TRY_STATUS(r.st.transaction([&]() -> status {
    for (const auto& w : ts.once) VMT_TRY_STATUS(w());
    return r.st.mark_tracker_op(case_id, op, "done", *res, now_iso());
  }));
  ts.once.clear();
  r.after_step("tracker:" + op);
  return ok_v;
}

}  // namespace detail

namespace {

using detail::default_compose;
using detail::ledger;
using detail::now_iso;
using detail::step;
using detail::tracker_session;
using detail::utf8_prefix;

}  // namespace

const char* to_string(outcome o) {
  switch (o) {
    case outcome::new_case: return "new-case";
    case outcome::follow_up: return "follow-up";
    case outcome::duplicate: return "duplicate";
    case outcome::quarantined: return "quarantined";
    case outcome::ignored: return "ignored";
  }
  return "?";
}

reception make_reception(const config::config& cfg, store::store& st, const tmpl::engine& templates) {
  reception r{cfg, st, templates, nullptr, nullptr, nullptr};
  r.open_tracker = [&cfg]() { return tracker::open(cfg); };
  r.analyze = [&cfg](std::string_view raw) {
    options o;
    o.gnupg_home = cfg.path(cfg.gnupg_home);
    o.limits.max_message_bytes = cfg.limits.max_message_bytes;
    o.limits.max_header_bytes = cfg.limits.max_header_bytes;
    o.limits.max_line_bytes = cfg.limits.max_line_bytes;
    o.limits.max_depth = cfg.limits.max_mime_depth;
    o.limits.max_parts = cfg.limits.max_mime_parts;
    return analyze(raw, o);
  };
  r.compose = [&cfg](const outgoing_mail& m) { return default_compose(cfg, m); };
  return r;
}

result<std::string> embargo_reminder(const config::config& cfg, const tmpl::engine& templates,
                                     const std::string& end_date) {
  tmpl::dictionary d;
  d.set("VENDOR", cfg.team.vendor).set("TEAM_NAME", cfg.team.name).set("NINETY_DAYS", end_date);
  VMT_TRY(text, templates.render("reception/embargo-reminder.tpl", d));
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

std::string route_project(const config::config& cfg, const analysis& a) {
  auto subject = text::lower(a.subject);
  for (const auto& p : cfg.projects)
    for (const auto& tag : p.subject_tags)
      if (!tag.empty() && subject.find(text::lower(tag)) != std::string::npos) return p.name;
  std::vector<std::string> rcpts;
  for (const auto& m : a.to) rcpts.push_back(text::lower(m.addr));
  for (const auto& m : a.cc) rcpts.push_back(text::lower(m.addr));
  for (const auto& p : cfg.projects)
    for (const auto& addr : p.addresses)
      if (std::find(rcpts.begin(), rcpts.end(), text::lower(addr)) != rcpts.end()) return p.name;
  // Keywords: whole words of the subject first, then of the report text.
  auto has_word = [](const std::string& text, const std::string& word) {
    if (word.empty()) return false;
    for (auto pos = text.find(word); pos != std::string::npos; pos = text.find(word, pos + 1)) {
      bool left = pos == 0 || !std::isalnum(static_cast<unsigned char>(text[pos - 1]));
      auto end = pos + word.size();
      bool right = end >= text.size() || !std::isalnum(static_cast<unsigned char>(text[end]));
      if (left && right) return true;
    }
    return false;
  };
  auto body = text::lower(a.body.substr(0, 64 * 1024));
  for (const auto* text : {&subject, &body})
    for (const auto& p : cfg.projects) {
      if (has_word(*text, text::lower(p.name))) return p.name;
      for (const auto& k : p.keywords)
        if (has_word(*text, text::lower(k))) return p.name;
    }
  return "unknown";
}

status complete_case_reception(reception& r, const std::string& case_id) {
  VMT_TRY(found, r.st.find_case(case_id));
  if (!found) return make_error(failure::data, case_id, "no such case");
  auto c = *found;
  tracker_session ts{r, nullptr, {}};
  VMT_TRY(msgs, r.st.case_messages(case_id));
  // A case adopted from a bug has no message: its bug exists already (its "create" step is done).
  const store::message_record no_message;
  const auto& first = msgs.empty() ? no_message : msgs.front();
  const auto* project = r.cfg.find_project(c.project);
  const std::string tracker_project = c.project == "unknown" ? r.cfg.tracker.ossa_project : c.project;

  // 1. The bug, private security, its description prefixed with the embargo reminder.
  VMT_TRY(reminder, embargo_reminder(r.cfg, r.templates, c.embargo_end));
  VMT_TRY_STATUS(step(r, ts, case_id, "create", [&](tracker::tracker& t) -> result<std::string> {
    VMT_TRY(existing, t.find_bug_for_case(case_id, tracker_project));
    tracker::bug_ref ref;
    if (existing) {
      ref = *existing;
    } else {
      VMT_TRY(atts, r.st.message_attachments(first.row));
      tmpl::dictionary d;
      d.set("REMINDER", reminder).set("REPORT", first.body.empty() ? "(no text)" : first.body);
      d.set("RECEIVED", first.received_at).set("CASE_ID", case_id);
      d.set("REPORTER", c.reporter_email.empty() ? "an unknown sender" : c.reporter_email);
      d.set("ENCRYPTION", c.encrypted ? "the report was encrypted to the team key" : "the report was NOT encrypted");
      std::string sig = c.sig_status + (c.sig_fingerprint.empty() ? "" : " by " + c.sig_fingerprint);
      if (c.sig_status == "valid") sig += c.sig_matches_from ? ", matches From" : ", does NOT match From";
      d.set("SIGNATURE", sig);
      if (!atts.empty()) {
        std::string names;
        for (const auto& a : atts) names += (names.empty() ? "" : ", ") + (a.filename.empty() ? "(unnamed)" : a.filename);
        d.add("ATTACHMENTS").set("NAMES", names);
      }
      VMT_TRY(desc, r.templates.render("reception/bug-description.tpl", d));
      if (desc.size() > 50000)
        desc = utf8_prefix(desc, 49000) + "\n[... truncated; the full report is in case " + case_id + "]\n";
      tracker::new_bug b;
      b.case_id = case_id;
      b.project = tracker_project;
      // Remote trackers take JSON, which must be UTF-8; a hostile From or file name may not be.
      b.title = message::repair_utf8(c.title);
      b.description = message::repair_utf8(desc);
      b.information_type = c.is_private ? "Private Security" : "Public Security";
      VMT_TRY(created, t.create_bug(b));
      ref = created;
    }
    auto cur = r.st.find_case(case_id);
    if (!cur || !*cur) return make_error(failure::software, case_id, "case vanished");
    auto upd = **cur;
    upd.tracker_kind = t.kind();
    upd.tracker_bug = ref.id;
    upd.tracker_url = ref.url;
    upd.updated_at = now_iso();
    VMT_TRY_STATUS(r.st.update_case(upd));
    c = upd;
    ts.once.push_back([&r, case_id,
                       summary = "private security bug " + ref.id + " opened in the " + t.kind() +
                                 " tracker"] { return ledger(r, case_id, "tracker", summary); });
    return ref.id;
  }));
  VMT_TRY(refreshed, r.st.find_case(case_id));
  c = *refreshed;
  const std::string bug = c.tracker_bug;

  // The reminder went in with the description; record the exact text so that disclosure can
  // remove exactly it later, even if the template changes meanwhile.
  VMT_TRY_STATUS(step(r, ts, case_id, "reminder", [&](tracker::tracker&) -> result<std::string> { return reminder; }));

  // 2. The ossa task, Incomplete.
  VMT_TRY_STATUS(step(r, ts, case_id, "ossa-task", [&](tracker::tracker& t) -> result<std::string> {
    VMT_TRY_STATUS(t.ensure_task(bug, r.cfg.tracker.ossa_project, "Incomplete"));
    ts.once.push_back([&r, case_id] {
      return ledger(r, case_id, "status", r.cfg.tracker.ossa_project + " task added in state Incomplete");
    });
    return std::string("Incomplete");
  }));

  // 3. The project's core security review team: the first people told, so recorded in the ledger.
  if (project && !project->security_team.empty()) {
    VMT_TRY_STATUS(step(r, ts, case_id, "subscribe:" + project->security_team,
                        [&](tracker::tracker& t) -> result<std::string> {
                          VMT_TRY_STATUS(t.subscribe(bug, project->security_team));
                          ts.once.push_back([&r, case_id, team = project->security_team]() -> status {
                            VMT_TRY_STATUS(
                                r.st.grant_access({case_id, team, "team", "", now_iso(), r.actor, team}));
                            return ledger(r, case_id, "disclosed",
                                          "core security review team subscribed to the private bug", {team});
                          });
                          return project->security_team;
                        }));
  }

  // 3b. The reporter, where the tracker knows them (seed "Patch development": the reporter is on
  //     the private bug's subscription list).
  if (c.is_private && transport::usable_envelope_address(c.reporter_email)) {
    VMT_TRY_STATUS(step(r, ts, case_id, "subscribe-reporter", [&](tracker::tracker& t) -> result<std::string> {
      VMT_TRY(name, t.person_for_email(c.reporter_email));
      if (!name) return std::string("not known to the tracker");
      VMT_TRY_STATUS(t.subscribe(bug, *name));
      ts.once.push_back([&r, case_id, email = c.reporter_email, who = *name]() -> status {
        VMT_TRY_STATUS(r.st.grant_access({case_id, email, "reporter", "", now_iso(), r.actor, who}));
        return ledger(r, case_id, "disclosed", "the reporter subscribed to the private bug as " + who, {email});
      });
      return *name;
    }));
  }

  // 4. The reception comment.
  VMT_TRY_STATUS(step(r, ts, case_id, "comment:reception", [&](tracker::tracker& t) -> result<std::string> {
    tmpl::dictionary d;
    VMT_TRY(text, r.templates.render("reception/incomplete.tpl", d));
    VMT_TRY_STATUS(t.comment(bug, "reception", text));
    return std::string("posted");
  }));

  // 5. The report's attachments (a proof of concept, logs) belong on the private bug too.
  std::vector<store::attachment_record> atts;
  if (!msgs.empty()) {
    VMT_TRY(a, r.st.message_attachments(first.row));
    atts = std::move(a);
  }
  for (const auto& a : atts) {
    VMT_TRY_STATUS(step(r, ts, case_id, "attach:" + hash::sha256_hex(a.data).substr(0, 16),
                        [&](tracker::tracker& t) -> result<std::string> {
                          auto name = a.filename.empty() ? "attachment-" + std::to_string(a.id)
                                                         : message::repair_utf8(a.filename);
                          std::replace(name.begin(), name.end(), '/', '_');
                          VMT_TRY_STATUS(t.attach(bug, name, a.data, false, "Attachment of the original report."));
                          return name;
                        }));
  }
  return ok_v;
}

result<std::string> adopt_bug(reception& r, const std::string& bug_id, const std::string& project_name) {
  VMT_TRY(t, r.open_tracker());
  VMT_TRY(bug, t->get_bug(bug_id));
  bool is_private = bug.information_type == "Private Security" || bug.information_type == "Private";
  if (!is_private && bug.information_type != "Public Security")
    return make_error(failure::data, "bug " + bug_id, "is not a security bug (" + bug.information_type + ")",
                      "mark it as a security issue in the tracker first");
  std::string project = project_name;
  if (project.empty())
    for (const auto& [p, status] : bug.tasks)
      if (p != r.cfg.tracker.ossa_project && r.cfg.find_project(p)) project = p;
  if (project.empty()) project = "unknown";
  if (project != "unknown" && !r.cfg.find_project(project))
    return make_error(failure::data, "--project " + project, "not in the configuration", "see projects: in " + r.cfg.file);
  // A bug adopted twice is the same case.
  VMT_TRY(cases, r.st.list_cases());
  for (const auto& c : cases)
    if (c.tracker_bug == bug.ref.id && c.tracker_kind == t->kind()) return c.id;

  const auto received = now_iso();
  const auto today = clock::today();
  std::string id;
  VMT_TRY_STATUS(r.st.transaction([&]() -> status {
    int year = static_cast<int>(std::chrono::year_month_day{today}.year());
    VMT_TRY(next, r.st.next_case_id(r.cfg.team.case_prefix, year));
    id = next;
    store::case_record c;
    c.id = id;
    c.title = bug.title.substr(0, 200);
    c.project = project;
    c.is_private = is_private;
    c.embargo_end = clock::iso_date(today + std::chrono::days{r.cfg.embargo.days});
    c.tracker_kind = t->kind();
    c.tracker_bug = bug.ref.id;
    c.tracker_url = bug.ref.url;
    c.reporter_name = bug.owner;
    c.created_at = c.updated_at = received;
    VMT_TRY_STATUS(r.st.insert_case(c, year, store::parse_case_id(id, r.cfg.team.case_prefix)->second));
    for (const auto& p : r.cfg.team.coordinators)
      VMT_TRY_STATUS(r.st.grant_access({id, p.email, "coordinator", p.key, received, r.actor, {}}));
    VMT_TRY_STATUS(r.st.mark_tracker_op(id, "create", "done", bug.ref.id, received));
    return ledger(r, id, "received", "report received as " + t->kind() + " bug " + bug.ref.id +
                                         (is_private ? " (private)" : " (public)"));
  }));
  VMT_TRY_STATUS(t->link_case(bug.ref.id, id));
  // The embargo reminder goes at the top of the existing description (seed, Reception).
  if (is_private) {
    VMT_TRY(text, embargo_reminder(r.cfg, r.templates, clock::iso_date(today + std::chrono::days{r.cfg.embargo.days})));
    if (bug.description.compare(0, text.size(), text) != 0)
      VMT_TRY_STATUS(t->set_description(bug.ref.id, text + "\n\n" + bug.description));
    VMT_TRY_STATUS(r.st.mark_tracker_op(id, "reminder", "done", text, now_iso()));
  }
  VMT_TRY_STATUS(complete_case_reception(r, id));
  return id;
}

}  // namespace vmt::intake
