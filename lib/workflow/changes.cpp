// changes.cpp: changing one's mind after the stakeholders were told: a new disclosure date, a
// corrected CVE, a revised impact description. Everyone already told gets a signed (and, where
// due, encrypted) update through the disclosure gate, the private bug says so, the ledger records
// it (see disclosure.h).
#include <spdlog/spdlog.h>

#include "core/text.h"
#include "workflow/disclosure.h"
#include "workflow/internal.h"

namespace vmt::workflow {

namespace {

const char* section_of(plan_change::what w) {
  switch (w) {
    case plan_change::what::date: return "DATE_CHANGED";
    case plan_change::what::cve: return "CVE_CHANGED";
    case plan_change::what::description: return "DESCRIPTION_CHANGED";
  }
  return "";
}

const char* name_of(plan_change::what w) {
  switch (w) {
    case plan_change::what::date: return "disclosure date";
    case plan_change::what::cve: return "CVE";
    case plan_change::what::description: return "impact description";
  }
  return "";
}

// Who was told embargoed detail by mail so far: the reporter, the stakeholders and linux-distros
// once notified, people subscribed on request. (Coordinators act; teams read the private bug.)
std::vector<store::access_record> told_by_mail(const std::vector<store::access_record>& access) {
  std::vector<store::access_record> out;
  for (const auto& a : access)
    if ((a.kind == "reporter" || a.kind == "stakeholder" || a.kind == "distros" || a.kind == "subscriber") &&
        a.who.find('@') != std::string::npos)
      out.push_back(a);
  return out;
}

}  // namespace

std::string disclosure_text(const std::string& iso) {
  // "2026-05-14T15:00:00Z" -> "2026-05-14, 1500UTC" as the seed's notification writes it.
  if (iso.size() < 16) return iso;
  return iso.substr(0, 10) + ", " + iso.substr(11, 2) + iso.substr(14, 2) + "UTC";
}

result<std::vector<sent_mail>> tell_those_told(session& s, const store::case_record& c, const plan_change& ch) {
  std::vector<sent_mail> out;
  if (c.notified_at.empty() || !c.is_private) return out;  // nobody was told yet, or it is public
  VMT_TRY(access, s.st.case_access(c.id));
  const auto* signer = s.signer();
  for (const auto& a : told_by_mail(access)) {
    std::string email = a.who;
    const config::recipient* configured = nullptr;
    for (const auto& r : s.cfg.stakeholders)
      if (text::lower(r.email) == text::lower(email)) configured = &r;
    if (s.cfg.linux_distros && text::lower(s.cfg.linux_distros->email) == text::lower(email))
      configured = &*s.cfg.linux_distros;
    tmpl::dictionary td;
    td.set("TAG", a.kind == "distros" ? "vs" : "pre-OSSA").set("VENDOR", s.cfg.team.vendor);
    td.set("TEAM_NAME", s.cfg.team.name).set("PROJECT", detail::project_display(s, c)).set("CVE", c.cve);
    td.set("DISCLOSURE", disclosure_text(c.disclosure_at));
    td.set("COORDINATOR", signer ? signer->name : s.cfg.team.name);
    auto& sec = td.add(section_of(ch.kind));
    sec.set("OLD", ch.old_value).set("NEW", ch.new_value).set("REASON", ch.reason).set("TEXT", ch.new_value);
    if (!ch.reason.empty()) sec.show("HAS_REASON");
    VMT_TRY(text, tmpl::render_mail(s.templates, "workflow/update.tpl", td));
    mail_request m;
    m.kind = a.kind == "distros" ? "vs-update" : "update";
    m.to = {{configured ? configured->name : std::string(), email, !a.key.empty() ? a.key : configured ? configured->key : "",
             configured ? configured->encrypt : !a.key.empty()}};
    m.subject = text.subject;
    m.body = text.body;
    m.embargoed = true;
    m.hide_subject = text.hide_subject;
    VMT_TRY(sent, send(s, c, m));
    out.push_back(sent);
  }
  std::string summary = std::string(name_of(ch.kind)) + " changed after the notification" +
                        (ch.kind == plan_change::what::description ? "" : ": " + ch.old_value + " -> " + ch.new_value) +
                        (ch.reason.empty() ? "" : " (" + ch.reason + ")") + "; update sent to " +
                        std::to_string(out.size()) + " recipient(s) already told";
  VMT_TRY_STATUS(detail::comment_once(s, c, "change:" + std::string(name_of(ch.kind)) + ":" + ch.new_value.substr(0, 64),
                                      "Update: " + summary + "."));
  spdlog::info("case {}: {}", c.id, summary);
  return out;
}

}  // namespace vmt::workflow
