// watchdog.cpp: `vmt check` (see watchdog.h).
#include "workflow/watchdog.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/clock.h"
#include "cve/cve.h"
#include "process/states.h"
#include "workflow/disclosure.h"
#include "workflow/internal.h"
#include "workflow/outbound.h"

namespace vmt::workflow {

namespace {

long days_between(const std::string& from_iso, clock::days to) {
  auto d = clock::parse_iso_date(from_iso.substr(0, 10));
  if (!d) return 0;
  return (to - *d).count();
}

// A staged action's handler, by kind.
status run_staged(session& s, const store::staged_action& a) {
  auto payload = nlohmann::json::parse(a.payload, nullptr, false);
  std::string actor = payload.is_object() && payload.contains("actor") ? payload["actor"].get<std::string>() : s.actor;
  auto saved = s.actor;
  s.actor = actor;  // the ledger credits whoever staged it
  status st = ok_v;
  if (a.kind == "disclose") {
    st = run_disclosure(s, a.case_id);
  } else if (a.kind == "publish") {
    std::string path = payload.is_object() && payload.contains("advisory") ? payload["advisory"].get<std::string>() : "";
    auto sent = run_publication(s, a.case_id, path);
    if (!sent) st = std::move(sent).err();
  } else {
    st = make_error(failure::software, "staged action " + std::to_string(a.id), "unknown kind '" + a.kind + "'");
  }
  s.actor = saved;
  return st;
}

// Remind the project's security liaison of a stuck case, at most once per stuck period.
status remind_liaison(session& s, const store::case_record& c, long idle_days, check_report& report) {
  const auto* p = s.cfg.find_project(c.project);
  if (!p || p->liaison.email.empty()) {
    report.items.push_back({c.id, "stuck", "no change for " + std::to_string(idle_days) + " days in state " +
                                               c.ossa_status + "; no security liaison configured for " + c.project, true});
    return ok_v;
  }
  VMT_TRY(events, s.st.case_events(c.id));
  for (auto it = events.rbegin(); it != events.rend(); ++it)
    if (it->kind == "reminder" && days_between(it->at, clock::today()) < s.cfg.embargo.stuck_days) return ok_v;
  tmpl::dictionary d;
  d.set("CASE_ID", c.id).set("PROJECT", detail::project_display(s, c)).set("STATUS", c.ossa_status);
  d.set("DAYS", std::to_string(idle_days)).set("BUG_URL", c.tracker_url.empty() ? "(no bug)" : c.tracker_url);
  d.set("LIAISON", p->liaison.name.empty() ? p->liaison.email : p->liaison.name);
  d.set("VENDOR", s.cfg.team.vendor).set("TEAM_NAME", s.cfg.team.name);
  VMT_TRY(text, tmpl::render_mail(s.templates, "workflow/reminder-stuck.tpl", d));
  mail_request m;
  m.kind = "reminder";
  m.to = {{p->liaison.name, p->liaison.email, "", false}};
  m.subject = text.subject;
  m.body = text.body;
  m.auto_submitted = text.auto_submitted;
  m.embargoed = false;  // the reminder names the case and its state, nothing of the report
  VMT_TRY(sent, send(s, c, m));
  (void)sent;
  VMT_TRY_STATUS(s.record(c.id, "reminder", "security liaison reminded: no change for " + std::to_string(idle_days) + " days",
                          {p->liaison.email}));
  report.items.push_back({c.id, "stuck", "no change for " + std::to_string(idle_days) + " days in state " + c.ossa_status +
                                             "; reminded " + p->liaison.email, true});
  return ok_v;
}

}  // namespace

bool check_report::action_due() const {
  for (const auto& i : items)
    if (i.action_due) return true;
  return false;
}

result<check_report> check(session& s, const check_options& o) {
  check_report report;
  const auto now = s.now();
  const auto today = clock::today();

  // 1. What was staged for this hour, then the mail held for it: together, so the bug opens and
  //    the announcement leaves at the same time, and nothing before.
  VMT_TRY(due, s.st.due_actions(now));
  // At one hour, the bug opens before the announcement goes (publish waits for its case to be public).
  std::stable_sort(due.begin(), due.end(), [](const store::staged_action& x, const store::staged_action& y) {
    return std::pair(x.not_before, x.kind != "disclose") < std::pair(y.not_before, y.kind != "disclose");
  });
  for (const auto& a : due) {
    if (o.dry_run) {
      report.items.push_back({a.case_id, "staged", a.kind + " due since " + a.not_before, true});
      continue;
    }
    if (a.kind == cve::staged_kind) {
      // The CVE module records the outcome on the action and in the ledger itself.
      auto st = cve::run_staged(s.cfg, s.st, a);
      report.items.push_back({a.case_id, st ? "staged" : "failed",
                              st ? a.kind + " done (staged for " + a.not_before + ")" : a.kind + ": " + st.err().message(),
                              !st});
      continue;
    }
    auto st = run_staged(s, a);
    if (st) {
      VMT_TRY_STATUS(s.st.finish_action(a.id, "done", "", s.now()));
      report.items.push_back({a.case_id, "staged", a.kind + " done (staged for " + a.not_before + ")", false});
    } else {
      // A passing fault leaves it pending for the next run; anything else needs a person.
      bool retry = st.err().kind == failure::temporary;
      VMT_TRY_STATUS(s.st.finish_action(a.id, retry ? "pending" : "failed", st.err().message(), s.now()));
      report.items.push_back({a.case_id, "failed", a.kind + ": " + st.err().message(), true});
    }
  }
  if (!o.dry_run && o.flush_outbox) {
    auto st = o.flush_outbox();
    if (!st) report.items.push_back({"", "failed", "outbox: " + st.err().message(), true});
  }

  // 2. Replies nobody answered: a reporter's follow-up, a stakeholder asking for access.
  VMT_TRY(waiting, s.st.unanswered_follow_ups());
  for (const auto& m : waiting)
    report.items.push_back({m.case_id, "unanswered",
                            "follow-up " + std::to_string(m.row) + " from " + (m.from_addr.empty() ? "(no From)" : m.from_addr) +
                                " since " + m.received_at + ": vmt reply " + m.case_id + " " + std::to_string(m.row) +
                                " (or vmt answered)",
                            true});

  // 3. Every open case: its embargo, its disclosure date, and whether it moves.
  VMT_TRY(cases, s.st.list_cases());
  for (auto c : cases) {
    auto status = status_of(c);
    if (!process::is_open(status)) continue;
    if (c.is_private && !c.embargo_end.empty()) {
      long left = -days_between(c.embargo_end, today);
      // The reminder promises the report "will be made public by or on that date": on the end
      // date itself, from the disclosure hour (the date alone would leave it private a day late).
      auto end_day = clock::parse_iso_date(c.embargo_end);
      bool over = end_day && clock::now() >= clock::seconds{*end_day} + std::chrono::hours{s.cfg.disclosure.hour_utc};
      if (over) {
        if (o.dry_run) {
          report.items.push_back({c.id, "embargo-ended", "embargo ends on " + c.embargo_end + ": due now", true});
        } else {
          auto st = end_embargo(s, c.id, "the embargo reached its end, " + c.embargo_end + " " +
                                             std::to_string(s.cfg.disclosure.hour_utc) +
                                             ":00 UTC (the reminder promised it public by or on that date)");
          report.items.push_back({c.id, "embargo-ended",
                                  st ? "embargo ended on " + c.embargo_end + ": the case switched to the public workflow"
                                     : "embargo ended on " + c.embargo_end + " but switching failed: " + st.err().message(),
                                  true});
        }
        continue;
      }
      if (left <= s.cfg.embargo.warn_days)
        report.items.push_back({c.id, "embargo-ending", "embargo ends in " + std::to_string(left) + " days (" + c.embargo_end + ")", true});
    }
    if (!c.disclosure_at.empty() && c.disclosure_at.substr(0, 10) == clock::iso_date(today) && c.is_private)
      report.items.push_back({c.id, "disclosure-today", "disclosure due today at " + c.disclosure_at.substr(11, 5) + " UTC", true});
    long idle = days_between(c.updated_at, today);
    if (idle >= s.cfg.embargo.stuck_days) {
      if (o.dry_run) report.items.push_back({c.id, "stuck", "no change for " + std::to_string(idle) + " days", true});
      else VMT_TRY_STATUS(remind_liaison(s, c, idle, report));
    }
  }
  return report;
}

}  // namespace vmt::workflow
