// disclosure.cpp: schedule, notify, subscribe, disclose and release (see disclosure.h).
#include "workflow/disclosure.h"

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/text.h"
#include "crypto/keys.h"
#include "tracker/sync.h"
#include "workflow/internal.h"

namespace vmt::workflow {

namespace {

status grant(session& s, const store::case_record& c, const std::string& who, const std::string& kind,
             const std::string& key) {
  store::access_record a{c.id, who, kind, key, s.now(), s.actor, {}};
  return s.st.grant_access(a);
}

// What was staged for the old disclosure hour (the bug opening, the announcement, the CVE record's
// publication) follows the disclosure to its new hour.
status move_staged(session& s, const std::string& id, const std::string& old_at, const std::string& new_at) {
  if (old_at.empty() || old_at == new_at) return ok_v;
  VMT_TRY(staged, s.st.staged_actions(id));
  for (auto a : staged) {
    if (a.state != "pending" || a.not_before != old_at) continue;
    a.not_before = new_at;
    VMT_TRY_STATUS(s.st.stage(a));
    VMT_TRY_STATUS(s.record(id, "staged", a.kind + " moved from " + old_at + " to " + new_at + " with the disclosure"));
  }
  return ok_v;
}

}  // namespace

result<schedule_result> schedule(session& s, const std::string& id, const schedule_request& r) {
  VMT_TRY(c, s.load(id));
  if (!c.is_private)
    return make_error(failure::unavailable, id, "is public: there is no embargoed disclosure to schedule",
                      "public reports are disclosed as soon as the advisory is ready");
  const bool told = !c.notified_at.empty();
  if (told && r.reason.empty())
    return make_error(failure::usage, id + ": --reason",
                      "the stakeholders were notified on " + c.notified_at.substr(0, 10) +
                          " for " + c.disclosure_at + ": a new date is sent to all of them with its reason",
                      "vmt schedule " + id + " --date YYYY-MM-DD --reason '...'");
  // Once told, the window counts from the day they were told.
  std::string from = told ? c.notified_at.substr(0, 10) : r.notify_on;
  auto notified = from.empty() ? clock::today() : clock::parse_iso_date(from).value_or(clock::days{});
  if (notified == clock::days{})
    return make_error(failure::usage, "--notify-on '" + r.notify_on + "'", "not a date", "write YYYY-MM-DD");
  schedule_result out;
  out.previous = c.disclosure_at;
  if (r.date.empty()) {
    VMT_TRY(p, process::propose(notified, s.cfg.disclosure));
    out.when = p;
    out.note = "the " + process::ordinal(p.business_day) + " business day after the notification (" +
               process::describe_window(s.cfg.disclosure) + ")";
  } else {
    auto chosen = clock::parse_iso_date(r.date);
    if (!chosen) return make_error(failure::usage, "--date '" + r.date + "'", "not a date", "write YYYY-MM-DD");
    auto checked = process::check(notified, *chosen, s.cfg.disclosure);
    if (checked) {
      out.when = *checked;
      out.note = "chosen by the coordinator, within the rules";
    } else if (r.force) {
      if (r.reason.empty())
        return make_error(failure::usage, "--force", "needs --reason: overriding the disclosure rules is recorded");
      out.when.day = *chosen;
      out.when.at = clock::seconds{*chosen} + std::chrono::hours{s.cfg.disclosure.hour_utc};
      out.forced = true;
      out.note = "outside the rules (" + checked.err().what + "), forced: " + r.reason;
    } else {
      return std::move(checked).err();
    }
  }
  // The reporter's own deadline prevails over the rule.
  if (!c.reporter_deadline.empty() && clock::iso_date(out.when.day) > c.reporter_deadline) {
    if (!r.force)
      return make_error(failure::data, id, "the disclosure on " + clock::iso_date(out.when.day) +
                                               " would come after the reporter's deadline " + c.reporter_deadline,
                        "choose an earlier --date (or --force with the reporter's agreement as --reason)");
    out.note += "; after the reporter's deadline " + c.reporter_deadline + " (forced)";
  }
  auto at = clock::iso_time(out.when.at);
  if (at < s.now())
    return make_error(failure::usage, "--date " + clock::iso_date(out.when.day), "is in the past (" + at + ")",
                      "choose a later date");
  if (at == c.disclosure_at && (out.forced ? r.reason : std::string()) == c.disclosure_forced) return out;
  c.disclosure_at = at;
  c.disclosure_forced = out.forced ? r.reason : std::string();
  VMT_TRY_STATUS(move_staged(s, id, out.previous, at));
  VMT_TRY_STATUS(detail::save(s, c, "schedule",
                              (out.previous.empty() ? "disclosure scheduled for " + at
                                                    : "disclosure moved from " + out.previous + " to " + at) +
                                  ": " + out.note + (told ? "; reason: " + r.reason : "")));
  if (told && out.previous != at) {
    VMT_TRY(sent, tell_those_told(s, c, {plan_change::what::date, disclosure_text(out.previous), disclosure_text(at), r.reason}));
    out.updates = std::move(sent);
  }
  return out;
}

result<notify_result> notify(session& s, const std::string& id) {
  VMT_TRY(c, s.load(id));
  VMT_TRY(to, process::check_transition(status_of(c), process::verb::notify, facts_of(s, c), id));
  (void)to;
  if (!valid_cve_id(c.cve))
    return make_error(failure::unavailable, id, "has no CVE yet: the notification names it", "vmt cve-assign " + id + " CVE-YYYY-NNNN");
  if (c.disclosure_at.empty())
    return make_error(failure::unavailable, id, "has no disclosure date", "vmt schedule " + id);
  if (c.description.empty())
    return make_error(failure::unavailable, id, "has no impact description", "vmt describe " + id);
  // The window counts from the day of the notification, which is today, not the day it was
  // scheduled: a date chosen last week may now be too close (or a Tuesday the 2nd business day).
  if (c.notified_at.empty()) {
    auto day = clock::parse_iso_date(c.disclosure_at.substr(0, 10));
    if (!day) return make_error(failure::data, id + ": disclosure_at", "not a date: " + c.disclosure_at, "vmt schedule " + id);
    auto fits = process::check(clock::today(), *day, s.cfg.disclosure);
    if (!fits && c.disclosure_forced.empty())
      return make_error(failure::unavailable, id,
                        "the disclosure on " + c.disclosure_at + " no longer fits a notification sent today: " +
                            fits.err().what,
                        "vmt schedule " + id + " (a date counted from today), or --date D --force --reason R");
  }
  VMT_TRY(patches, s.st.case_patches(id));
  std::vector<store::patch_record> approved;
  for (const auto& p : patches)
    if (!p.approved_by.empty()) approved.push_back(p);
  if (approved.empty())
    return make_error(failure::unavailable, id, "has no pre-approved patch to attach",
                      "vmt patch add / vmt patch approve (seed: patches are approved before notification)");
  if (s.cfg.stakeholders.empty() && !s.cfg.linux_distros)
    return make_error(failure::config, s.cfg.file + ": stakeholders", "nobody to notify",
                      "list the downstream stakeholders and linux_distros");
  // Every encrypted recipient's key must be valid now; checked for all before sending any.
  const auto home = s.cfg.path(s.cfg.gnupg_home);
  std::vector<config::recipient> all = s.cfg.stakeholders;
  if (s.cfg.linux_distros) all.push_back(*s.cfg.linux_distros);
  for (const auto& r : all) {
    if (!r.encrypt) continue;
    VMT_TRY(key, crypto::find_key(home, r.key));
    if (!key || !key->usable_for_encryption())
      return make_error(failure::unavailable, r.email + " key " + r.key,
                        key ? "cannot be encrypted to (expired, revoked, disabled, or no encryption subkey)"
                            : "is not in the team's keyring",
                        "import a valid key into " + home + " and update " + s.cfg.file);
  }

  const auto* project = s.cfg.find_project(c.project);
  std::vector<crypto::file_part> files;
  for (const auto& p : approved)
    files.push_back({patch_mail_name(c.cve, p.branch, project), "text/x-diff", p.data});
  const auto* signer = s.signer();
  notify_result out;
  auto send_one = [&](const config::recipient& r, const std::string& tag, const std::string& kind) -> status {
    tmpl::dictionary td;
    td.set("TAG", tag).set("VENDOR", s.cfg.team.vendor).set("TEAM_NAME", s.cfg.team.name);
    td.set("PROJECT", detail::project_display(s, c)).set("CVE", c.cve).set("DESCRIPTION", c.description);
    td.set("DISCLOSURE", disclosure_text(c.disclosure_at)).set("BUG_URL", c.tracker_url);
    td.set("COORDINATOR", signer ? signer->name : s.cfg.team.name);
    VMT_TRY(text, tmpl::render_mail(s.templates, "workflow/notification.tpl", td));
    // Notifying is what grants them access: they are the next step's people.
    VMT_TRY_STATUS(grant(s, c, r.email, kind, r.encrypt ? r.key : std::string()));
    mail_request m;
    m.kind = kind == "distros" ? "vs" : "pre-ossa";
    m.to = {r};
    m.subject = text.subject;
    m.body = text.body;
    m.attachments = files;
    m.embargoed = true;
    VMT_TRY(sent, send(s, c, m));
    out.mails.push_back(sent);
    return ok_v;
  };
  // One mail per stakeholder: each is encrypted to its own key where it has one, and nobody learns
  // who else was told; the body is the same for all, as the seed asks.
  for (const auto& r : s.cfg.stakeholders) VMT_TRY_STATUS(send_one(r, "pre-OSSA", "stakeholder"));
  if (s.cfg.linux_distros) VMT_TRY_STATUS(send_one(*s.cfg.linux_distros, "vs", "distros"));
  if (c.notified_at.empty()) {
    c.notified_at = s.now();
    VMT_TRY_STATUS(detail::save(s, c, "notify", "downstream stakeholders notified; disclosure " + c.disclosure_at));
  }
  return out;
}

status subscribe(session& s, const std::string& id, const subscriber& who) {
  if (who.email.empty() && who.tracker_name.empty())
    return make_error(failure::usage, "subscribe", "say who: an address and/or --tracker-name");
  VMT_TRY(c, s.load(id));
  if (!who.key.empty()) {
    VMT_TRY(key, crypto::find_key(s.cfg.path(s.cfg.gnupg_home), who.key));
    if (!key) return make_error(failure::data, "--key " + who.key, "is not in the team's keyring", "import it first");
  }
  if (!who.tracker_name.empty() && !c.tracker_bug.empty()) {
    VMT_TRY(t, s.tracker());
    VMT_TRY_STATUS(t->subscribe(c.tracker_bug, who.tracker_name));
  }
  // Recorded with the tracker name, so that `vmt tracker sync` knows them.
  const std::string key_who = who.email.empty() ? who.tracker_name : who.email;
  VMT_TRY_STATUS(s.st.grant_access({c.id, key_who, "subscriber", who.key, s.now(), s.actor, who.tracker_name}));
  // Their request for access was the follow-up waiting for an answer: this is the answer.
  if (!who.email.empty()) {
    VMT_TRY(msgs, s.st.case_messages(id));
    for (const auto& m : msgs)
      if (m.answered_at.empty() && text::lower(m.from_addr) == text::lower(who.email))
        VMT_TRY_STATUS(s.st.mark_answered(m.row, s.now(), s.actor + " (subscribed)"));
  }
  std::vector<std::string> told;
  if (!who.email.empty()) told.push_back(who.email);
  if (!who.tracker_name.empty()) told.push_back(who.tracker_name + " (tracker)");
  return s.record(id, "disclosed", "subscribed on request to the private report", told,
                  who.key.empty() ? std::vector<std::string>{} : std::vector<std::string>{who.key});
}

status run_disclosure(session& s, const std::string& id) {
  VMT_TRY(c, s.load(id));
  if (c.advisory_id.empty())
    return make_error(failure::unavailable, id, "has no advisory number for the [OSSA-NUM] title",
                      "vmt advisory new " + id);
  auto opened = c;
  opened.is_private = false;
  auto title = tracker::process_title(opened, s.cfg.team.advisory_prefix);  // "[OSSA-NUM] TITLE"
  if (!c.tracker_bug.empty()) {
    VMT_TRY(t, s.tracker());
    VMT_TRY_STATUS(t->set_title(c.tracker_bug, title.substr(0, 200)));
  }
  VMT_TRY(to, transition(s, c, process::verb::disclose, "disclosure hour"));
  (void)to;
  c.disclosed_at = s.now();
  return detail::make_public(s, c, "Public Security", "disclosure of " + c.advisory_id);
}

result<disclose_result> disclose(session& s, const std::string& id, const std::string& at, bool force) {
  VMT_TRY(c, s.load(id));
  VMT_TRY(allowed, process::check_transition(status_of(c), process::verb::disclose, facts_of(s, c), id));
  (void)allowed;
  if (c.advisory_id.empty())
    return make_error(failure::unavailable, id, "has no advisory number for the [OSSA-NUM] title",
                      "vmt advisory new " + id);
  disclose_result out;
  auto now = s.now();
  if (!at.empty()) {
    auto t = clock::parse_iso_time(at);
    if (!t) return make_error(failure::usage, "--at '" + at + "'", "not a time", "write YYYY-MM-DDTHH:MM:SSZ (UTC)");
    out.at = clock::iso_time(*t);
  }
  // Opening the bug before the agreed hour would break the embargo for everyone notified.
  auto effective = out.at.empty() ? now : out.at;
  if (c.is_private && !c.disclosure_at.empty() && effective < c.disclosure_at && !force)
    return make_error(failure::unavailable, id, "the disclosure is scheduled for " + c.disclosure_at,
                      "stage it with --at " + c.disclosure_at + " (or --force if the embargo is already broken)");
  if (!out.at.empty() && out.at > now) {
    store::staged_action a;
    a.case_id = id;
    a.kind = "disclose";
    a.payload = nlohmann::json{{"actor", s.actor}}.dump();
    a.not_before = out.at;
    a.created_at = now;
    VMT_TRY_STATUS(s.st.stage(a));
    VMT_TRY_STATUS(s.record(id, "staged", "disclosure staged for " + out.at + " (bug opened and retitled then)"));
    out.staged = true;
  } else {
    VMT_TRY_STATUS(run_disclosure(s, id));
  }
  tmpl::dictionary d;
  const auto* signer = s.signer();
  auto url = s.cfg.team.advisory_url;
  if (auto pos = url.find("{id}"); pos != std::string::npos) url.replace(pos, 4, c.advisory_id);
  d.set("CASE_ID", id).set("EMAIL", signer ? signer->email : s.cfg.team.address).set("ADVISORY_URL", url);
  d.set("CVE", c.cve).set("DATE", (out.at.empty() ? now : out.at).substr(0, 10));
  VMT_TRY(form, s.templates.render("workflow/cve-publication.tpl", d));
  out.publication_form = form;
  return out;
}

status release(session& s, const std::string& id) {
  VMT_TRY(c, s.load(id));
  VMT_TRY(to, transition(s, c, process::verb::release, "all patches merged"));
  (void)to;
  return ok_v;
}

}  // namespace vmt::workflow
