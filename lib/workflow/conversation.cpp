// conversation.cpp: talking with the people of a case by mail: the impact description sent to the
// reporter and the PTL for review (seed "Review impact description"), their answers recorded, and
// answers to follow-ups (see conversation.h).
#include "workflow/conversation.h"

#include "core/text.h"
#include "workflow/internal.h"

namespace vmt::workflow {

namespace {

// Who reviews the description: the reporter and the project's PTL (config projects[].ptl).
struct reviewer {
  std::string role, name, email, key;
};

std::vector<reviewer> reviewers_of(session& s, const store::case_record& c) {
  std::vector<reviewer> out;
  if (!c.reporter_email.empty()) out.push_back({"the reporter", c.reporter_name, c.reporter_email, c.reporter_fingerprint});
  if (const auto* p = s.cfg.find_project(c.project); p && !p->ptl.email.empty())
    out.push_back({"the PTL of " + p->display, p->ptl.name, p->ptl.email, p->ptl.key});
  return out;
}

}  // namespace

result<review_request> request_review(session& s, const std::string& id) {
  VMT_TRY(c, s.load(id));
  VMT_TRY(allowed, process::check_transition(status_of(c), process::verb::describe, facts_of(s, c), id));
  (void)allowed;
  if (c.description.empty())
    return make_error(failure::unavailable, id, "has no impact description to review", "draft one first: vmt describe " + id);
  review_request out;
  const auto* signer = s.signer();
  for (const auto& r : reviewers_of(s, c)) {
    if (r.key.empty()) {
      // The description is embargoed detail: never in clear text. They can read it on the bug.
      out.not_sent.push_back(r.email + " (" + r.role + "): no OpenPGP key on record; import it and run vmt review again");
      continue;
    }
    // The PTL joins "those who know" (seed diagram: "VMT and PTL").
    VMT_TRY_STATUS(s.st.grant_access({c.id, r.email, r.role == "the reporter" ? "reporter" : "ptl", r.key, s.now(), s.actor, {}}));
    tmpl::dictionary d;
    d.set("CASE_ID", c.id).set("NAME", r.name.empty() ? r.email : r.name).set("ROLE", r.role);
    d.set("VENDOR", s.cfg.team.vendor).set("TEAM_NAME", s.cfg.team.name).set("DESCRIPTION", c.description);
    d.set("COORDINATOR", signer ? signer->name : s.cfg.team.name);
    VMT_TRY(text, tmpl::render_mail(s.templates, "workflow/review-request.tpl", d));
    mail_request m;
    m.kind = "review";
    m.to = {{r.name, r.email, r.key, true}};
    m.subject = text.subject;
    m.body = text.body;
    m.embargoed = true;
    m.hide_subject = text.hide_subject;
    VMT_TRY(sent, send(s, c, m));
    out.mails.push_back(sent);
  }
  if (out.mails.empty() && out.not_sent.empty())
    return make_error(failure::unavailable, id, "has nobody to review the description (no reporter address, no PTL)",
                      "set projects[].ptl in " + s.cfg.file + ", or record the review with --approved-by");
  VMT_TRY(to, transition(s, c, process::verb::describe, "impact description submitted for review"));
  (void)to;
  return out;
}

status record_review(session& s, const std::string& id, const std::string& who, const std::string& note) {
  VMT_TRY(c, s.load(id));
  if (c.description.empty())
    return make_error(failure::unavailable, id, "has no impact description to review", "draft one first: vmt describe " + id);
  std::string role = "reviewer";
  for (const auto& r : reviewers_of(s, c))
    if (text::lower(r.email) == text::lower(who) || r.role == who || (who == "reporter" && r.role == "the reporter") ||
        (who == "ptl" && r.role.rfind("the PTL", 0) == 0))
      role = r.role;
  VMT_TRY_STATUS(s.record(id, "review", "impact description approved by " + who + " (" + role + ")" +
                                            (note.empty() ? "" : ": " + note)));
  // The review answer is the follow-up it came in: answered.
  VMT_TRY(msgs, s.st.case_messages(id));
  for (const auto& m : msgs)
    if (m.answered_at.empty() && text::lower(m.from_addr) == text::lower(who))
      VMT_TRY_STATUS(s.st.mark_answered(m.row, s.now(), s.actor + " (review recorded)"));
  if (status_of(c) == process::ossa_status::confirmed) {
    VMT_TRY(to, transition(s, c, process::verb::describe, "impact description reviewed"));
    (void)to;
  }
  return ok_v;
}

result<sent_mail> reply(session& s, const std::string& id, std::int64_t message, const std::string& text_body,
                        bool carries_detail) {
  VMT_TRY(c, s.load(id));
  VMT_TRY(msgs, s.st.case_messages(id));
  const store::message_record* m = nullptr;
  for (const auto& x : msgs)
    if (x.row == message) m = &x;
  if (!m) return make_error(failure::data, id + " message " + std::to_string(message), "no such message on this case",
                            "see vmt show " + id + " --json (message_list)");
  if (m->from_addr.empty()) return make_error(failure::data, id + " message " + std::to_string(message), "has no From address");
  if (text_body.empty()) return make_error(failure::usage, "reply", "an empty answer", "write it with --text or --file");
  VMT_TRY(access, s.st.case_access(id));
  std::string key;
  for (const auto& a : access)
    if (text::lower(a.who) == text::lower(m->from_addr)) key = a.key;
  if (key.empty() && text::lower(m->from_addr) == text::lower(c.reporter_email)) key = c.reporter_fingerprint;
  const auto* signer = s.signer();
  tmpl::dictionary d;
  d.set("CASE_ID", c.id).set("RECEIVED", m->received_at.substr(0, 10)).set("TEXT", text_body);
  d.set("COORDINATOR", signer ? signer->name : s.cfg.team.name).set("VENDOR", s.cfg.team.vendor);
  d.set("TEAM_NAME", s.cfg.team.name);
  VMT_TRY(text, tmpl::render_mail(s.templates, "workflow/reply.tpl", d));
  mail_request r;
  r.kind = "reply";
  r.to = {{m->from_name, m->from_addr, key, carries_detail && !key.empty()}};
  r.subject = text.subject;
  r.body = text.body;
  r.embargoed = carries_detail;
  r.hide_subject = text.hide_subject;
  r.in_reply_to = m->message_id;
  VMT_TRY(sent, send(s, c, r));
  VMT_TRY_STATUS(s.st.mark_answered(m->row, s.now(), s.actor + " (reply " + sent.message_id + ")"));
  return sent;
}

status mark_answered(session& s, const std::string& id, std::int64_t message, const std::string& note) {
  VMT_TRY(msgs, s.st.case_messages(id));
  for (const auto& m : msgs)
    if (m.row == message) {
      VMT_TRY_STATUS(s.st.mark_answered(m.row, s.now(), s.actor + (note.empty() ? "" : ": " + note)));
      return s.record(id, "answered", "follow-up " + std::to_string(message) + " from " + m.from_addr + " answered" +
                                          (note.empty() ? "" : ": " + note));
    }
  return make_error(failure::data, id + " message " + std::to_string(message), "no such message on this case",
                    "see vmt show " + id + " --json (message_list)");
}

}  // namespace vmt::workflow
