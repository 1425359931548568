// triage.cpp: confirming or closing a report, its class, the reporter's terms and the end of an
// embargo (see workflow.h).
#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "core/hash.h"
#include "intake/reception.h"
#include "tracker/sync.h"
#include "process/calendar.h"
#include "process/taxonomy.h"
#include "workflow/internal.h"
#include "workflow/workflow.h"

namespace vmt::workflow {

namespace detail {

std::string without_reminder(const std::string& description, const std::string& reminder) {
  if (reminder.empty() || description.compare(0, reminder.size(), reminder) != 0) return description;
  auto rest = description.substr(reminder.size());
  auto start = rest.find_first_not_of("\r\n");
  return start == std::string::npos ? std::string() : rest.substr(start);
}

status comment_once(session& s, const store::case_record& c, const std::string& key, const std::string& text) {
  if (c.tracker_bug.empty()) return ok_v;
  VMT_TRY(done, s.st.tracker_op_done(c.id, "comment:" + key));
  if (done) return ok_v;
  VMT_TRY(t, s.tracker());
  VMT_TRY_STATUS(t->comment(c.tracker_bug, key, text));
  return s.st.mark_tracker_op(c.id, "comment:" + key, "done", "posted", s.now());
}

status save(session& s, store::case_record& c, const std::string& kind, const std::string& summary,
            const std::vector<std::string>& recipients) {
  c.updated_at = s.now();
  return s.st.transaction([&]() -> status {
    VMT_TRY_STATUS(s.st.update_case(c));
    return s.record(c.id, kind, summary, recipients);
  });
}

status make_public(session& s, store::case_record& c, const std::string& information_type, const std::string& reason) {
  if (!c.tracker_bug.empty()) {
    VMT_TRY(t, s.tracker());
    VMT_TRY(bug, t->get_bug(c.tracker_bug));
    VMT_TRY(reminder, s.st.tracker_op_done(c.id, "reminder"));
    if (reminder) {
      auto cleaned = without_reminder(bug.description, *reminder);
      if (cleaned != bug.description && !cleaned.empty()) VMT_TRY_STATUS(t->set_description(c.tracker_bug, cleaned));
    }
    if (bug.information_type != information_type) VMT_TRY_STATUS(t->set_information_type(c.tracker_bug, information_type));
  }
  c.is_private = false;
  return save(s, c, "disclosed", "the case is public (" + information_type + "): " + reason, {"everyone"});
}

std::string advisory_title(const store::case_record& c) { return tracker::base_title(c); }

std::string project_display(session& s, const store::case_record& c) {
  if (const auto* p = s.cfg.find_project(c.project)) return p->display;
  return c.project;
}

}  // namespace detail

status confirm(session& s, const std::string& id) {
  VMT_TRY(c, s.load(id));
  VMT_TRY(to, transition(s, c, process::verb::confirm, "an OSSA is warranted"));
  (void)to;
  return ok_v;
}

status challenge(session& s, const std::string& id, const std::string& reason) {
  VMT_TRY(c, s.load(id));
  VMT_TRY(to, transition(s, c, process::verb::challenge, reason.empty() ? "the need for an OSSA is challenged" : reason));
  (void)to;
  return ok_v;
}

result<classification> classify(session& s, const std::string& id, const std::string& klass) {
  VMT_TRY(c, s.load(id));
  VMT_TRY(cls, process::find_class(klass));
  classification out;
  out.klass = std::string(cls.id);
  out.outcome = std::string(process::outcome_name(cls.result));
  out.description = std::string(cls.description);
  switch (cls.result) {
    case process::outcome::ossa:
      out.advice = "an advisory (OSSA): confirm, draft the impact description, request a CVE";
      break;
    case process::outcome::ossn:
      out.advice = "a security note (OSSN) rather than an advisory";
      break;
    case process::outcome::potential_ossn:
      out.advice = "perhaps a security note; if there is no benefit to one, close with won't-fix or invalid";
      break;
    case process::outcome::none:
      out.advice = "no advisory: close with won't-fix or invalid (the bug goes public)";
      break;
  }
  auto old = c.klass;
  c.klass = out.klass;
  VMT_TRY_STATUS(detail::save(s, c, "class",
                              "classified " + out.klass + (old.empty() ? "" : " (was " + old + ")") + ": " + out.outcome));
  return out;
}

status close_without_advisory(session& s, const std::string& id, process::verb v, bool hardening,
                              const std::string& reason) {
  VMT_TRY(c, s.load(id));
  VMT_TRY(to, transition(s, c, v, reason));
  (void)to;
  if (hardening && !c.tracker_bug.empty()) {
    VMT_TRY(t, s.tracker());
    VMT_TRY(bug, t->get_bug(c.tracker_bug));
    auto tags = bug.tags;
    if (std::find(tags.begin(), tags.end(), "security") == tags.end()) {
      tags.push_back("security");
      VMT_TRY_STATUS(t->set_tags(c.tracker_bug, tags));
    }
  }
  c.hardening = hardening;
  // Seed: "the bug state switched from Private Security to Public".
  return detail::make_public(s, c, "Public",
                             std::string(process::verb_name(v)) + (hardening ? ", a security hardening opportunity" : "") +
                                 (reason.empty() ? "" : ": " + reason));
}

namespace {

// The embargo reminder on the private bug promises a date: when the date moves, the bug says so.
status rewrite_reminder(session& s, const store::case_record& c, const std::string& new_end) {
  if (!c.is_private || c.tracker_bug.empty()) return ok_v;
  VMT_TRY(old_reminder, s.st.tracker_op_done(c.id, "reminder"));
  VMT_TRY(reminder, intake::embargo_reminder(s.cfg, s.templates, new_end));
  VMT_TRY(t, s.tracker());
  VMT_TRY(bug, t->get_bug(c.tracker_bug));
  std::string rest = old_reminder ? detail::without_reminder(bug.description, *old_reminder) : bug.description;
  if (rest == bug.description && old_reminder && bug.description.rfind(*old_reminder, 0) != 0)
    spdlog::warn("case {}: the bug's description no longer starts with the reminder; the new one goes on top", c.id);
  std::string updated = reminder + "\n\n" + rest;
  if (updated != bug.description) VMT_TRY_STATUS(t->set_description(c.tracker_bug, updated));
  return s.st.mark_tracker_op(c.id, "reminder", "done", reminder, s.now());
}

}  // namespace

status dismiss(session& s, const std::string& id, const std::string& reason) {
  if (reason.empty())
    return make_error(failure::usage, "dismiss", "a reason is required", "say why, e.g. --reason spam");
  VMT_TRY(c, s.load(id));
  // Invalid on the tracker too, but the bug stays as private as it is: nothing of a spam or of a
  // looped-back notice (with whatever addresses it holds) is ever made public.
  VMT_TRY(to, transition(s, c, process::verb::invalid, "dismissed: " + reason));
  (void)to;
  VMT_TRY(staged, s.st.staged_actions(id));
  for (const auto& a : staged)
    if (a.state == "pending") VMT_TRY_STATUS(s.st.finish_action(a.id, "cancelled", "case dismissed", s.now()));
  VMT_TRY(msgs, s.st.case_messages(id));
  for (const auto& m : msgs)
    if (m.answered_at.empty()) VMT_TRY_STATUS(s.st.mark_answered(m.row, s.now(), s.actor + " (case dismissed)"));
  return detail::save(s, c, "dismissed", "closed without disclosure (" + reason + "); the bug stays " +
                                             (c.is_private ? "private" : "as it is"));
}

status set_reporter_terms(session& s, const std::string& id, const std::string& terms, const std::string& deadline) {
  VMT_TRY(c, s.load(id));
  std::string summary = "reporter's disclosure terms recorded";
  if (!deadline.empty()) {
    auto d = clock::parse_iso_date(deadline);
    if (!d) return make_error(failure::usage, "--deadline '" + deadline + "'", "not a date", "write YYYY-MM-DD");
    // The reporter keeps final control: their date becomes the embargo's end, even past 90 days.
    if (c.embargo_end != deadline) {
      summary += "; embargo end moved from " + c.embargo_end + " to " + deadline + " at the reporter's request";
      auto received = clock::parse_iso_date(c.created_at.substr(0, 10)).value_or(clock::today());
      auto default_end = clock::iso_date(received + std::chrono::days{s.cfg.embargo.days});
      if (deadline > c.embargo_end && deadline > default_end)
        summary += " (beyond the usual " + std::to_string(s.cfg.embargo.days) + " days)";
      // The tracker first: if it is down nothing changed, and the verb can be run again.
      VMT_TRY_STATUS(rewrite_reminder(s, c, deadline));
      summary += "; the embargo reminder on the private bug now says " + deadline;
      c.embargo_end = deadline;
    }
    c.reporter_deadline = deadline;
  }
  if (!terms.empty()) c.reporter_terms = terms;
  return detail::save(s, c, "terms", summary);
}

status end_embargo(session& s, const std::string& id, const std::string& reason) {
  if (reason.empty())
    return make_error(failure::usage, "end-embargo", "a reason is required",
                      "say why, e.g. --reason 'details published on a public mailing list'");
  VMT_TRY(c, s.load(id));
  if (!c.is_private) return make_error(failure::unavailable, id, "is not under embargo", "nothing to end");
  VMT_TRY(to, transition(s, c, process::verb::end_embargo, reason));
  (void)to;
  c.embargo_reason = reason;
  // Mail and actions staged for the disclosure hour would now be late news at best: keep them,
  // but the coordinator decides (they are listed by `vmt show` and `vmt outbox list`).
  return detail::make_public(s, c, "Public Security", "embargo ended early: " + reason);
}

}  // namespace vmt::workflow
