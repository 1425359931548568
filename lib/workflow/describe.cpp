// describe.cpp: the impact description, its review, and the CVE request and assignment
// (see workflow.h).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <regex>

#include "core/fs.h"
#include "core/hash.h"
#include "core/text.h"
#include "crypto/keys.h"
#include "advisory/render.h"
#include "tracker/sync.h"
#include "workflow/disclosure.h"
#include "workflow/internal.h"
#include "workflow/publish.h"
#include "workflow/workflow.h"

namespace vmt::workflow {

namespace {

// The value of a "Name: value" line of the impact description.
std::string description_field(const std::string& text, const std::string& name) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto eol = text.find('\n', pos);
    auto line = text.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    pos = eol == std::string::npos ? text.size() : eol + 1;
    if (line.rfind(name + ":", 0) == 0) {
      auto v = line.substr(name.size() + 1);
      auto b = v.find_first_not_of(" \t");
      auto e = v.find_last_not_of(" \t\r");
      return b == std::string::npos ? std::string() : v.substr(b, e - b + 1);
    }
  }
  return {};
}

// The prose after "Description:".
std::string description_prose(const std::string& text) {
  auto pos = text.find("\nDescription:");
  if (pos == std::string::npos) return text;
  auto rest = text.substr(pos + 13);
  auto b = rest.find_first_not_of(" \t\r\n");
  auto e = rest.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : rest.substr(b, e - b + 1);
}

// The suggested CVE description: the prose without its first sentence, which the form's other
// fields already say (seed "Send CVE request").
std::string without_first_sentence(const std::string& prose) {
  for (std::size_t i = 0; i + 1 < prose.size(); ++i)
    if (prose[i] == '.' && (prose[i + 1] == ' ' || prose[i + 1] == '\n')) {
      auto rest = prose.substr(i + 1);
      auto b = rest.find_first_not_of(" \n");
      if (b != std::string::npos) return rest.substr(b);
    }
  return prose;
}

// The form's description is one paragraph: the description's hard line breaks become spaces.
std::string one_paragraph(const std::string& text) {
  std::string out;
  bool space = false;
  for (char ch : text) {
    if (ch == '\n' || ch == '\r' || ch == ' ' || ch == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

}  // namespace

bool valid_cve_id(const std::string& cve) {
  // The CVE record format's own pattern (CVE JSON 5: ^CVE-[0-9]{4}-[0-9]{4,19}$).
  static const std::regex re(R"(CVE-[0-9]{4}-[0-9]{4,19})");
  return std::regex_match(cve, re);
}

result<std::string> draft_description(session& s, const std::string& id, const description_input& in) {
  VMT_TRY(c, s.load(id));
  tmpl::dictionary d;
  d.set("TITLE", !in.title.empty() ? in.title : detail::advisory_title(c));
  std::string credit = !in.credit.empty() ? in.credit : !c.credit.empty() ? c.credit : c.reporter_name;
  d.set("CREDIT", credit.empty() ? "$CREDIT" : credit);
  d.set("PROJECT", detail::project_display(s, c));
  std::string affects = !in.affects.empty() ? in.affects : c.affected_versions;
  d.set("AFFECTED_VERSIONS", affects.empty() ? "$AFFECTED_VERSIONS" : affects);
  if (!in.prose.empty()) d.add("PROSE").set("TEXT", in.prose);
  else d.show("DEFAULT_PROSE");
  return s.templates.render("workflow/impact-description.tpl", d);
}

status save_description(session& s, const std::string& id, const std::string& text) {
  VMT_TRY(c, s.load(id));
  if (auto at = vmt::text::first_invalid_utf8(text); at != std::string::npos) {
    auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    auto line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
    auto column = at - (line_start == std::string::npos || at == 0 ? 0 : line_start + 1) + 1;
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[at]));
    return make_error(failure::data, id + ": impact description, line " + std::to_string(line) + ", column " +
                                         std::to_string(column),
                      std::string("byte ") + byte + " is not UTF-8 (the bug and the advisory are UTF-8)",
                      "save the file as UTF-8");
  }
  auto title = description_field(text, "Title");
  auto credit = description_field(text, "Reporter");
  auto affects = description_field(text, "Affects");
  if (title.empty() || description_prose(text).empty())
    return make_error(failure::data, id + ": impact description", "needs a Title: line and a Description: section",
                      "start from `vmt describe " + id + " --print`");
  for (const auto* placeholder : {"$TITLE", "$CREDIT", "$AFFECTED_VERSIONS", "[project feature name]", "[action]"})
    if (text.find(placeholder) != std::string::npos)
      return make_error(failure::data, id + ": impact description", std::string("still holds the placeholder ") + placeholder,
                        "replace it before saving");
  if (c.description == text) return ok_v;
  const bool revised = !c.notified_at.empty();
  c.description = text;
  c.credit = credit;
  c.affected_versions = affects;
  VMT_TRY_STATUS(detail::save(s, c, "description",
                              std::string(revised ? "impact description revised after the notification (" : "impact description saved (") +
                                  std::to_string(text.size()) + " bytes)"));
  VMT_TRY_STATUS(detail::comment_once(s, c, "description:" + hash::sha256_hex(text).substr(0, 16),
                                      std::string(revised ? "Impact description (revised):\n\n"
                                                          : "Impact description (draft for review by the reporter and the PTL):\n\n") +
                                          text));
  // Those already told received the old text: they get the revised one, the same way.
  if (revised) {
    VMT_TRY(sent, tell_those_told(s, c, {plan_change::what::description, "", text, ""}));
    (void)sent;
  }
  return ok_v;
}

result<cve_request_result> cve_request(session& s, const std::string& id) {
  VMT_TRY(c, s.load(id));
  VMT_TRY(allowed, process::check_transition(status_of(c), process::verb::cve_request, facts_of(s, c), id));
  (void)allowed;
  if (c.description.empty())
    return make_error(failure::unavailable, id, "has no impact description; the CVE request is made from it",
                      "vmt describe " + id);
  VMT_TRY(to, transition(s, c, process::verb::cve_request, "CVE request prepared for MITRE"));
  (void)to;
  const auto* coordinator = s.signer();
  cve_request_result out;
  auto add = [&](std::string name, std::string value) { out.fields.push_back({std::move(name), std::move(value)}); };
  auto prose = description_prose(c.description);
  add("Select a request type", "Request a CVE ID");  // the seed's words for the form's choice
  add("Enter your e-mail address", coordinator ? coordinator->email : s.actor);
  if (c.is_private) {
    std::string key = "(no coordinator key configured)";
    if (coordinator) {
      auto armored = crypto::export_public(s.cfg.path(s.cfg.gnupg_home), coordinator->key);
      if (armored) key = *armored;
    }
    add("Enter your PGP Key (optional)", key);
  }
  add("Number of vulnerabilities reported or IDs requested", "1");
  add("I have verified that this vulnerability is not in a CNA-covered product", "Yes");
  add("I have verified that the vulnerability has not already been assigned a CVE ID", "Yes");
  add("Vulnerability type", "Other or Unknown (enter the type, e.g. a CWE, in the free-text field)");
  add("Vendor of the product(s)", s.cfg.team.vendor);
  add("Affected product(s)/code base: Product", detail::project_display(s, c));
  add("Affected product(s)/code base: Version", c.affected_versions);
  add("Has vendor confirmed or acknowledged the vulnerability?", "Yes");
  add("Attack type", "Context-dependent");
  add("Impact", "(check what applies: Code Execution, Denial of Service, Escalation of Privileges, Information Disclosure, Other)");
  add("Affected component(s)", "(from the description: the affected module or API)");
  add("Attack vector(s)", "(from the description: how an attacker reaches it)");
  add("Suggested description of the vulnerability for use in the CVE", one_paragraph(without_first_sentence(prose)));
  add("Discoverer(s)/Credits", c.credit.empty() ? c.reporter_name : c.credit);
  add("Reference(s)", c.tracker_url.empty() ? "(the bug URL)" : c.tracker_url);
  add("Additional information",
      c.is_private ? (c.disclosure_at.empty()
                          ? "This report is currently under embargo and no disclosure date has been scheduled at this time."
                          : "This report is currently under embargo until " + c.disclosure_at + ".")
                   : "");

  // The CNA container a CNA would send (CVE Services), rendered by the publication pipeline from
  // what the case knows, kept as a draft beside the store. Until MITRE assigns the id, the record
  // is rendered under a placeholder id (the container itself does not carry the id).
  auto model = advisory_model(s, c);
  if (!valid_cve_id(c.cve)) model.vulnerabilities.front().cve.value = "CVE-0000-0000";
  auto records = advisory::renderer(advisory::options_for(s.cfg)).cna(model);
  if (records.empty()) return make_error(failure::software, id, "no CNA container rendered for the CVE draft");
  auto cna = records.begin()->second["cnaContainer"];
  cna.erase("providerMetadata");  // filled in by CVE Services
  cna.erase("datePublic");        // not public yet
  auto dir = s.cfg.path("cve");
  VMT_TRY_STATUS(fs::make_private_dir(dir));
  out.draft_path = dir + "/" + id + ".json";
  VMT_TRY_STATUS(fs::write_file_atomic(out.draft_path, nlohmann::json{{"cnaContainer", cna}}.dump(2) + "\n"));
  // Telling MITRE is a disclosure (to the CNA): recorded when the coordinator submits the form.
  VMT_TRY_STATUS(s.record(id, "cve", "CVE request prepared; CNA container draft " + out.draft_path));
  return out;
}

status cve_assign(session& s, const std::string& id, const std::string& cve, const std::string& replace_reason) {
  if (!valid_cve_id(cve))
    return make_error(failure::data, "CVE id '" + cve + "'", "is not a CVE id",
                      "write CVE-YYYY-NNNN (a 4-digit year, then 4 to 19 digits), as the CNA assigned it");
  VMT_TRY(c, s.load(id));
  if (c.cve == cve) return ok_v;
  const std::string old = c.cve;
  if (!old.empty() && replace_reason.empty())
    return make_error(failure::data, id, "already has " + old,
                      "if " + old + " was wrong: vmt cve-assign " + id + " " + cve + " --replace --reason '...'");
  c.cve = cve;
  auto title = tracker::process_title(c, s.cfg.team.advisory_prefix);
  if (!c.tracker_bug.empty()) {
    VMT_TRY(t, s.tracker());
    if (!old.empty()) VMT_TRY_STATUS(t->unlink_cve(c.tracker_bug, old));
    VMT_TRY_STATUS(t->link_cve(c.tracker_bug, cve));
    VMT_TRY_STATUS(t->set_title(c.tracker_bug, title));
    if (!old.empty())
      VMT_TRY_STATUS(detail::comment_once(s, c, "cve-replaced:" + cve,
                                          old + " was assigned to this report in error and is replaced by " + cve +
                                              ": " + replace_reason));
  }
  VMT_TRY_STATUS(s.st.transaction([&]() -> status {
    VMT_TRY_STATUS(s.st.update_case(c));
    return s.record(id, "disclosed",
                    old.empty() ? cve + " assigned by MITRE; bug retitled '" + title + "'"
                                : old + " replaced by " + cve + " (" + replace_reason + "); bug retitled '" + title + "'",
                    {"MITRE (CNA)"});
  }));
  if (!old.empty()) {
    // The drafts that name the old id follow: the advisory YAML (the CVE JSON draft carries no id).
    if (!c.advisory_id.empty() && !s.cfg.advisories.empty()) {
      auto path = fs::join(s.cfg.path(s.cfg.advisories), c.advisory_id + ".yaml");
      if (fs::exists(path)) {
        VMT_TRY(yaml, fs::read_file(path, 16u << 20));
        std::string fixed;
        for (std::size_t pos = 0;;) {
          auto hit = yaml.find(old, pos);
          fixed += yaml.substr(pos, hit == std::string::npos ? std::string::npos : hit - pos);
          if (hit == std::string::npos) break;
          fixed += cve;
          pos = hit + old.size();
        }
        if (fixed != yaml) {
          VMT_TRY_STATUS(fs::write_file_atomic(path, fixed, 0600));
          VMT_TRY_STATUS(s.record(id, "advisory", path + ": " + old + " replaced by " + cve));
        }
      }
    }
    VMT_TRY(sent, tell_those_told(s, c, {plan_change::what::cve, old, cve, replace_reason}));
    (void)sent;
    return ok_v;
  }
  // Public path: Fix Committed once the CVE is assigned; embargoed path: stays In Progress.
  VMT_TRY(to, transition(s, c, process::verb::cve_assign, cve + " assigned"));
  (void)to;
  return ok_v;
}

}  // namespace vmt::workflow
