// publish.cpp: the advisory draft, the advisory model of a case, and the announcement
// (see publish.h and disclosure.h).
#include "workflow/publish.h"

#include <nlohmann/json.hpp>

#include <chrono>

#include "advisory/render.h"
#include "core/clock.h"
#include "core/fs.h"
#include "workflow/disclosure.h"
#include "workflow/internal.h"

namespace vmt::workflow {

namespace {

advisory::text t(std::string v) {
  advisory::text x;
  x.value = std::move(v);
  x.present = !x.value.empty();
  return x;
}

// "Jane Doe (Example Corp)" -> {"Jane Doe", "Example Corp"}; no parentheses: affiliation UNKNOWN.
std::pair<std::string, std::string> split_credit(const std::string& credit) {
  auto open = credit.rfind(" (");
  if (open != std::string::npos && credit.back() == ')')
    return {credit.substr(0, open), credit.substr(open + 2, credit.size() - open - 3)};
  return {credit, "UNKNOWN"};
}

// The description prose of the impact description (after "Description:").
std::string prose_of(const store::case_record& c) {
  auto pos = c.description.find("\nDescription:");
  if (pos == std::string::npos) return {};
  auto rest = c.description.substr(pos + 13);
  auto b = rest.find_first_not_of(" \t\r\n");
  auto e = rest.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : rest.substr(b, e - b + 1);
}

}  // namespace

advisory::advisory advisory_model(session& s, const store::case_record& c) {
  advisory::advisory a;
  a.id = t(c.advisory_id.empty() ? s.cfg.team.advisory_prefix + "-DRAFT" : c.advisory_id);
  a.day = clock::today();
  a.date = t(clock::iso_date(*a.day));
  a.title = t(detail::advisory_title(c));
  a.description = t(prose_of(c));
  a.affected.push_back({t(c.project), t(c.affected_versions)});
  a.vulnerabilities.push_back({t(c.cve.empty() ? "Requested" : c.cve), {}});
  auto credit = c.credit.empty() ? c.reporter_name : c.credit;
  if (!credit.empty()) {
    advisory::reporter r;
    auto [name, affiliation] = split_credit(credit);
    r.name = t(name);
    r.affiliation = t(affiliation);
    a.reporters.push_back(r);
  }
  if (c.tracker_url.rfind("http", 0) == 0) a.issue_links.push_back(t(c.tracker_url));
  return a;
}

result<std::string> draft_advisory(session& s, const std::string& id, const std::string& dir, bool as_note) {
  VMT_TRY(c, s.load(id));
  if (dir.empty())
    return make_error(failure::usage, "advisory new", "no advisories folder", "pass --dir, or set advisories: in " + s.cfg.file);
  int year = static_cast<int>(std::chrono::year_month_day{clock::today()}.year());
  VMT_TRY(number, as_note ? advisory::next_note_id(dir, s.cfg.team.note_prefix)
                          : advisory::next_id(dir, year, s.cfg.team.advisory_prefix));
  advisory::renderer r(advisory::options_for(s.cfg));
  auto [name, affiliation] = split_credit(c.credit.empty() ? c.reporter_name : c.credit);
  // Values go inside single-quoted YAML scalars: double the quotes, one line each.
  auto quoted = [](std::string v) {
    for (auto& ch : v)
      if (ch == '\n' || ch == '\r') ch = ' ';
    std::string out;
    for (char ch : v) out += ch == '\'' ? std::string("''") : std::string(1, ch);
    return out;
  };
  auto prose = prose_of(c);
  tmpl::dictionary d;
  d.set("ID", number).set("DATE", clock::iso_date(clock::today())).set("CASE", c.id);
  d.set("TITLE", quoted(detail::advisory_title(c)));
  d.set("DESCRIPTION", prose.empty() ? "TODO: the impact description (vmt describe " + c.id + ")" : prose);
  d.set("PRODUCT", c.project).set("VERSION", quoted(c.affected_versions.empty() ? "TODO" : c.affected_versions));
  d.set("CVE", c.cve.empty() ? "Requested" : c.cve);
  d.set("REPORTER", quoted(name.empty() ? "TODO reporter" : name)).set("AFFILIATION", affiliation);
  // The embedded tracker's links are not web pages: the published advisory needs the public bug.
  bool web = c.tracker_url.rfind("https://", 0) == 0 || c.tracker_url.rfind("http://", 0) == 0;
  d.set("TRACKER_URL", web ? c.tracker_url : "TODO the public bug URL");
  d.set("NOTE_URL", r.note_url(number));
  VMT_TRY(patches, s.st.case_patches(id));
  std::vector<std::string> branches;
  for (const auto& p : patches)
    if (std::find(branches.begin(), branches.end(), p.branch) == branches.end()) branches.push_back(p.branch);
  if (branches.empty()) branches.push_back("master");
  for (const auto& b : branches) d.add("BRANCH").set("NAME", b).set("PRODUCT", c.project);
  VMT_TRY(text, r.engine().render(as_note ? "advisory/new-note.yaml.tpl" : "advisory/new.yaml.tpl", d));
  auto path = fs::join(dir, number + ".yaml");
  if (fs::exists(path)) return make_error(failure::cant_create, path, "already exists", "remove it or edit it");
  VMT_TRY_STATUS(fs::make_private_dir(dir));
  VMT_TRY_STATUS(fs::write_file_atomic(path, text, 0600));
  if (!as_note) c.advisory_id = number;
  VMT_TRY_STATUS(detail::save(s, c, "advisory", (as_note ? "security note " : "advisory ") + number + " drafted: " + path));
  return path;
}

namespace {

// The advisory file of a case: --advisory, else advisories/ADVISORY_ID.yaml.
result<std::string> advisory_path(session& s, const store::case_record& c, const std::string& given) {
  if (!given.empty()) return given;
  if (c.advisory_id.empty() || s.cfg.advisories.empty())
    return make_error(failure::usage, c.id, "no advisory to publish", "vmt advisory new " + c.id + ", or pass --advisory FILE");
  return fs::join(s.cfg.path(s.cfg.advisories), c.advisory_id + ".yaml");
}

// Load and check the advisory: errors stop the publication, warnings do not.
result<advisory::advisory> checked_advisory(const std::string& path) {
  VMT_TRY(a, advisory::load(path));
  for (const auto& p : advisory::check(a))
    if (!p.warning)
      return make_error(failure::data, advisory::format_problem(path, p), "the advisory has errors",
                        "fix them (vmt advisory check " + path + ") before publishing");
  return a;
}

// Set the top-level `date:` of an advisory YAML file to `day` (YYYY-MM-DD), leaving every other
// byte as it is. Returns whether it changed.
result<bool> set_advisory_date(const std::string& path, const std::string& day) {
  VMT_TRY(text, fs::read_file(path, 16u << 20));
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    if (text.compare(pos, 5, "date:") == 0) {
      std::string line = "date: " + day;
      if (text.compare(pos, eol - pos, line) == 0) return false;
      text.replace(pos, eol - pos, line);
      VMT_TRY_STATUS(fs::write_file_atomic(path, text, 0600));
      return true;
    }
    pos = eol + 1;
  }
  return make_error(failure::data, path + ": date", "the advisory has no top-level date: line", "add date: YYYY-MM-DD");
}

}  // namespace

result<publish_result> publish(session& s, const std::string& id, const std::string& advisory_file, const std::string& at) {
  VMT_TRY(c, s.load(id));
  publish_result out;
  const auto now = s.now();
  out.at = now;
  if (!at.empty()) {
    auto when = clock::parse_iso_time(at);
    if (!when) return make_error(failure::usage, "--at '" + at + "'", "not a time", "write YYYY-MM-DDTHH:MM:SSZ (UTC)");
    out.at = clock::iso_time(*when);
  }
  // Staged for the hour: judged as the case will be then, when a disclosure staged for that hour
  // or earlier will have opened it.
  auto judged = status_of(c);
  auto facts = facts_of(s, c);
  VMT_TRY(staged, s.st.staged_actions(id));
  for (const auto& a : staged)
    if (a.kind == "disclose" && a.state == "pending" && a.not_before <= out.at) {
      VMT_TRY(then, process::check_transition(judged, process::verb::disclose, facts, id));
      judged = then;
      facts.embargoed = false;
    }
  VMT_TRY(allowed, process::check_transition(judged, process::verb::publish, facts, id));
  (void)allowed;
  if (facts.embargoed)
    return make_error(failure::unavailable, id, "is under embargo: the announcement must wait for the disclosure",
                      c.disclosure_at.empty() ? "vmt disclose " + id + " --at TIME, then publish --at the same TIME"
                                              : "vmt disclose " + id + " --at " + c.disclosure_at + " and vmt publish " +
                                                    id + " --at " + c.disclosure_at);
  if (s.cfg.announce.empty())
    return make_error(failure::config, s.cfg.file + ": announce", "no announcement lists", "list them under announce:");
  VMT_TRY(path, advisory_path(s, c, advisory_file));
  // The advisory is dated the day it is published, in the YAML now (so that the folder and the
  // site say so) and again at the hour, should the release come on a later day.
  VMT_TRY(redated, set_advisory_date(path, out.at.substr(0, 10)));
  VMT_TRY(a, checked_advisory(path));
  (void)a;
  if (out.at <= now) {
    VMT_TRY(mails, run_publication(s, id, path));
    out.mails = std::move(mails);
    return out;
  }
  store::staged_action act;
  act.case_id = id;
  act.kind = "publish";
  act.payload = nlohmann::json{{"actor", s.actor}, {"advisory", path}}.dump();
  act.not_before = out.at;
  act.created_at = now;
  VMT_TRY_STATUS(s.st.stage(act));
  VMT_TRY_STATUS(s.record(id, "staged", "announcement staged for " + out.at + " (" + path +
                                            (redated ? ", dated " + out.at.substr(0, 10) : "") +
                                            "); composed and signed then, to " + std::to_string(s.cfg.announce.size()) +
                                            " list(s)"));
  out.staged = true;
  return out;
}

result<std::vector<sent_mail>> run_publication(session& s, const std::string& id, const std::string& path) {
  VMT_TRY(c, s.load(id));
  if (c.is_private) {
    VMT_TRY(staged, s.st.staged_actions(id));
    for (const auto& a : staged)
      if (a.kind == "disclose" && a.state == "pending")
        return make_error(failure::temporary, id, "is still private: the staged disclosure has not run yet",
                          "the announcement follows it (vmt check)");
    return make_error(failure::unavailable, id, "is under embargo: the announcement must wait for the disclosure",
                      "vmt disclose " + id);
  }
  VMT_TRY(allowed, process::check_transition(status_of(c), process::verb::publish, facts_of(s, c), id));
  (void)allowed;
  const auto today = clock::iso_date(clock::today());
  VMT_TRY(redated, set_advisory_date(path, today));
  if (redated) VMT_TRY_STATUS(s.record(id, "advisory", "advisory " + path + " dated " + today + ", the day it is published"));
  VMT_TRY(a, checked_advisory(path));
  advisory::renderer r(advisory::options_for(s.cfg));
  VMT_TRY(rst, r.rst(a));
  std::string cves;
  for (const auto& v : a.vulnerabilities)
    if (auto cve = advisory::cve_id_of(v.cve.value)) cves += (cves.empty() ? "" : ", ") + *cve;
  tmpl::dictionary d;
  d.set("ADVISORY_ID", a.id.value).set("PROJECT", detail::project_display(s, c)).set("TITLE", a.title.value);
  d.set("CVE", cves).set("RST", rst);
  VMT_TRY(text, tmpl::render_mail(s.templates, "workflow/announcement.tpl", d));
  // One mail per list, as the seed asks ("to avoid off-topic replies"), each signed now: its Date
  // and its signature are the moment it is released.
  std::vector<sent_mail> out;
  for (const auto& list : s.cfg.announce) {
    mail_request m;
    m.kind = "announce";
    m.to = {list};
    m.subject = text.subject;
    m.body = text.body;
    m.embargoed = false;
    VMT_TRY(sent, send(s, c, m));
    out.push_back(sent);
  }
  if (c.published_at.empty()) {
    c.published_at = s.now();
    VMT_TRY_STATUS(detail::save(s, c, "publish",
                                a.id.value + " announcement queued to " + std::to_string(out.size()) + " list(s)"));
  }
  return out;
}

}  // namespace vmt::workflow
