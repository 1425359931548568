// config.cpp: load vmt.yaml (see config.h).
#include "config/config.h"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <set>

#include "core/clock.h"
#include "core/fs.h"
#include "core/text.h"

#ifndef VMT_DATADIR
#define VMT_DATADIR "/usr/local/share/vmt"
#endif

namespace vmt::config {

namespace {

// Thrown inside the loader only; load() turns it into an error value.
struct field_error {
  std::string field;
  int line;
  std::string what;
  std::string fix;
};

// The child `key` of a mapping, or an undefined node: yaml-cpp throws when indexing a missing
// child of a const node, and we want "absent" to read as "use the default".
YAML::Node at(const YAML::Node& n, const char* key) {
  if (!n.IsDefined() || !n.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  return n[key];
}

class reader {
 public:
  explicit reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node& n, const std::string& field, std::string what,
                         std::string fix = {}) const {
    int line = n.IsDefined() && n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
    throw field_error{field, line, std::move(what), std::move(fix)};
  }

  // Reject keys we do not know: a typo must not silently fall back to a default.
  void known(const YAML::Node& map, const std::string& field, std::set<std::string> keys) const {
    if (!map.IsDefined() || map.IsNull()) return;
    if (!map.IsMap()) fail(map, field, "expected a mapping");
    for (const auto& kv : map) {
      auto k = kv.first.as<std::string>();
      if (!keys.count(k)) {
        std::string allowed;
        for (const auto& a : keys) allowed += (allowed.empty() ? "" : ", ") + a;
        fail(kv.first, field.empty() ? k : field + "." + k, "unknown setting",
             "allowed here: " + allowed);
      }
    }
  }

  void str(const YAML::Node& n, const std::string& field, std::string& out) const {
    if (!n.IsDefined() || n.IsNull()) return;
    if (!n.IsScalar()) fail(n, field, "expected a text value");
    out = n.Scalar();
  }
  void integer(const YAML::Node& n, const std::string& field, int& out, int lo, int hi) const {
    if (!n.IsDefined() || n.IsNull()) return;
    try {
      out = n.as<int>();
    } catch (const YAML::Exception&) {
      fail(n, field, "expected a whole number, got '" + (n.IsScalar() ? n.Scalar() : "?") + "'");
    }
    if (out < lo || out > hi)
      fail(n, field, "out of range", "use a value from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  void size(const YAML::Node& n, const std::string& field, std::size_t& out) const {
    int v = static_cast<int>(std::min<std::size_t>(out, 1u << 30));
    integer(n, field, v, 1, 1 << 30);
    out = static_cast<std::size_t>(v);
  }
  void boolean(const YAML::Node& n, const std::string& field, bool& out) const {
    if (!n.IsDefined() || n.IsNull()) return;
    try {
      out = n.as<bool>();
    } catch (const YAML::Exception&) {
      fail(n, field, "expected true or false");
    }
  }
  void strings(const YAML::Node& n, const std::string& field, std::vector<std::string>& out) const {
    if (!n.IsDefined() || n.IsNull()) return;
    if (n.IsScalar()) {
      out = {n.Scalar()};
      return;
    }
    if (!n.IsSequence()) fail(n, field, "expected a list of text values");
    out.clear();
    for (std::size_t i = 0; i < n.size(); ++i) {
      std::string s;
      str(n[i], field + "[" + std::to_string(i) + "]", s);
      out.push_back(s);
    }
  }
  // YYYY-MM-DD, or MM-DD for a date that comes back every year.
  void day_of_year_or_date(const YAML::Node& n, const std::string& field, std::string& out) const {
    str(n, field, out);
    if (out.empty() || clock::parse_iso_date(out)) return;
    if (out.size() != 5 || out[2] != '-' || !clock::parse_iso_date("2024-" + out))
      fail(n, field, "not a date: '" + out + "'", "write YYYY-MM-DD, or MM-DD for every year");
  }
  void date(const YAML::Node& n, const std::string& field, std::string& out) const {
    str(n, field, out);
    if (!out.empty() && !clock::parse_iso_date(out)) fail(n, field, "not a date: '" + out + "'", "write YYYY-MM-DD");
  }

  void person_(const YAML::Node& n, const std::string& field, person& p) const {
    if (!n.IsDefined() || n.IsNull()) return;
    if (n.IsScalar()) {  // "Name <email>" shorthand is not parsed: ask for the mapping
      fail(n, field, "expected a mapping with name, email and key");
    }
    known(n, field, {"name", "email", "key"});
    str(at(n, "name"), field + ".name", p.name);
    str(at(n, "email"), field + ".email", p.email);
    str(at(n, "key"), field + ".key", p.key);
    check_email(at(n, "email"), field + ".email", p.email);
    check_fpr(at(n, "key"), field + ".key", p.key);
  }

  void recipient_(const YAML::Node& n, const std::string& field, recipient& r, bool encrypt_default) const {
    known(n, field, {"name", "email", "key", "encrypt"});
    r.encrypt = encrypt_default;
    str(at(n, "name"), field + ".name", r.name);
    str(at(n, "email"), field + ".email", r.email);
    str(at(n, "key"), field + ".key", r.key);
    boolean(at(n, "encrypt"), field + ".encrypt", r.encrypt);
    if (r.email.empty()) fail(n, field + ".email", "missing", "give the recipient's address");
    check_email(at(n, "email"), field + ".email", r.email);
    check_fpr(at(n, "key"), field + ".key", r.key);
    if (r.encrypt && r.key.empty())
      fail(n, field + ".key", "missing: mail to " + r.email + " is encrypted",
           "give the fingerprint of the recipient's OpenPGP key");
  }

  void check_email(const YAML::Node& n, const std::string& field, const std::string& e) const {
    if (e.empty()) return;
    auto at = e.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == e.size() ||
        e.find_first_of(" \t\r\n<>,;\"") != std::string::npos)
      fail(n, field, "not an address: '" + e + "'", "write local@domain, without a display name");
  }
  void check_fpr(const YAML::Node& n, const std::string& field, std::string& k) const {
    if (k.empty()) return;
    std::string hex;
    for (char c : k)
      if (c != ' ') hex += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if ((hex.size() != 40 && hex.size() != 64) || hex.find_first_not_of("0123456789ABCDEF") != std::string::npos)
      fail(n, field, "not an OpenPGP fingerprint: '" + k + "'",
           "write the 40 hex digits that `gpg --fingerprint` prints");
    k = hex;
  }

 private:
  std::string file_;
};

void read_projects(const reader& r, const YAML::Node& n, std::vector<project>& out) {
  if (!n.IsDefined() || n.IsNull()) return;
  if (!n.IsSequence()) r.fail(n, "projects", "expected a list of projects");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const auto& pn = n[i];
    std::string f = "projects[" + std::to_string(i) + "]";
    r.known(pn, f, {"name", "display", "subject_tags", "addresses", "keywords", "security_team",
                    "liaison", "ptl", "branches", "git_repo"});
    project p;
    r.str(at(pn, "name"), f + ".name", p.name);
    if (p.name.empty()) r.fail(pn, f + ".name", "missing", "give the project's tracker name, e.g. nova");
    if (p.name == "unknown") r.fail(at(pn, "name"), f + ".name", "'unknown' is reserved for unrouted reports");
    if (!seen.insert(p.name).second) r.fail(at(pn, "name"), f + ".name", "project '" + p.name + "' is listed twice");
    f = "projects." + p.name;
    r.str(at(pn, "display"), f + ".display", p.display);
    if (p.display.empty()) {
      p.display = p.name;
      p.display[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(p.display[0])));
    }
    r.strings(at(pn, "subject_tags"), f + ".subject_tags", p.subject_tags);
    if (p.subject_tags.empty()) p.subject_tags = {"[" + p.name + "]"};
    r.strings(at(pn, "addresses"), f + ".addresses", p.addresses);
    r.strings(at(pn, "keywords"), f + ".keywords", p.keywords);
    r.str(at(pn, "security_team"), f + ".security_team", p.security_team);
    if (p.security_team.empty()) p.security_team = p.name + "-coresec";
    r.person_(at(pn, "liaison"), f + ".liaison", p.liaison);
    r.person_(at(pn, "ptl"), f + ".ptl", p.ptl);
    r.str(at(pn, "git_repo"), f + ".git_repo", p.git_repo);
    const auto& bn = at(pn, "branches");
    if (bn.IsDefined() && !bn.IsNull()) {
      if (!bn.IsSequence()) r.fail(bn, f + ".branches", "expected a list of branches");
      for (std::size_t j = 0; j < bn.size(); ++j) {
        std::string bf = f + ".branches[" + std::to_string(j) + "]";
        branch b;
        if (bn[j].IsScalar()) {
          b.name = bn[j].Scalar();
        } else {
          r.known(bn[j], bf, {"name", "git_ref", "status", "series"});
          r.str(at(bn[j], "name"), bf + ".name", b.name);
          r.str(at(bn[j], "git_ref"), bf + ".git_ref", b.git_ref);
          r.str(at(bn[j], "status"), bf + ".status", b.status);
          r.str(at(bn[j], "series"), bf + ".series", b.series);
        }
        if (b.name.empty()) r.fail(bn[j], bf + ".name", "missing");
        if (b.status != "maintained" && b.status != "unmaintained" && b.status != "eol")
          r.fail(at(bn[j], "status"), bf + ".status", "unknown status '" + b.status + "'",
                 "use maintained, unmaintained or eol");
        if (b.git_ref.empty()) {
          if (b.name == "master" || b.name == "main") b.git_ref = b.name;
          else b.git_ref = "stable/" + b.name.substr(0, b.name.find('/'));
        }
        p.branches.push_back(b);
      }
    }
    out.push_back(std::move(p));
  }
}

void read_recipients(const reader& r, const YAML::Node& n, const std::string& field,
                     std::vector<recipient>& out, bool encrypt_default) {
  if (!n.IsDefined() || n.IsNull()) return;
  if (!n.IsSequence()) r.fail(n, field, "expected a list of recipients (name, email, key, encrypt)");
  for (std::size_t i = 0; i < n.size(); ++i) {
    recipient x;
    r.recipient_(n[i], field + "[" + std::to_string(i) + "]", x, encrypt_default);
    out.push_back(x);
  }
}

config parse(const std::string& file, const YAML::Node& root) {
  reader r(file);
  config c;
  if (!root.IsMap()) r.fail(root, "", "expected a mapping at the top level", "start from config/vmt.yaml.example");
  r.known(root, "", {"team", "projects", "gnupg_home", "templates", "spool", "outbox", "store", "tracker", "cve",
                     "transport", "embargo", "disclosure", "stakeholders", "linux_distros", "announce",
                     "advisories", "limits", "log"});

  const auto& t = at(root, "team");
  r.known(t, "team", {"name", "vendor", "address", "key", "case_prefix", "advisory_prefix", "note_prefix",
                      "advisory_url", "site_url", "coordinators", "notify"});
  r.str(at(t, "name"), "team.name", c.team.name);
  r.str(at(t, "vendor"), "team.vendor", c.team.vendor);
  r.str(at(t, "address"), "team.address", c.team.address);
  r.check_email(at(t, "address"), "team.address", c.team.address);
  if (c.team.address.empty()) r.fail(t, "team.address", "missing", "give the address reporters mail, e.g. security@example.org");
  r.str(at(t, "key"), "team.key", c.team.key);
  r.check_fpr(at(t, "key"), "team.key", c.team.key);
  r.str(at(t, "case_prefix"), "team.case_prefix", c.team.case_prefix);
  if (c.team.case_prefix.empty() || c.team.case_prefix.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos)
    r.fail(at(t, "case_prefix"), "team.case_prefix", "must be upper-case letters", "e.g. VMT");
  r.str(at(t, "advisory_prefix"), "team.advisory_prefix", c.team.advisory_prefix);
  r.str(at(t, "note_prefix"), "team.note_prefix", c.team.note_prefix);
  r.str(at(t, "advisory_url"), "team.advisory_url", c.team.advisory_url);
  r.str(at(t, "site_url"), "team.site_url", c.team.site_url);
  const auto& co = at(t, "coordinators");
  if (co.IsDefined() && !co.IsNull()) {
    if (!co.IsSequence()) r.fail(co, "team.coordinators", "expected a list of people (name, email, key)");
    for (std::size_t i = 0; i < co.size(); ++i) {
      person p;
      r.person_(co[i], "team.coordinators[" + std::to_string(i) + "]", p);
      // Mail to the team address is filed as a report: a coordinator (or a notice) there loops.
      if (!p.email.empty() && text::lower(p.email) == text::lower(c.team.address))
        r.fail(at(co[i], "email"), "team.coordinators[" + std::to_string(i) + "].email",
               "is the team address: what vmt sends a coordinator would come back as a report",
               "give the coordinator's own address");
      c.team.coordinators.push_back(p);
    }
  }
  r.strings(at(t, "notify"), "team.notify", c.team.notify);
  for (const auto& n : c.team.notify)
    if (text::lower(n) == text::lower(c.team.address))
      r.fail(at(t, "notify"), "team.notify", "holds the team address: a notice there would come back as a report",
             "list the coordinators' own addresses");
  if (c.team.notify.empty())
    for (const auto& p : c.team.coordinators) c.team.notify.push_back(p.email);

  read_projects(r, at(root, "projects"), c.projects);
  r.str(at(root, "gnupg_home"), "gnupg_home", c.gnupg_home);
  r.str(at(root, "templates"), "templates", c.templates);
  r.str(at(root, "spool"), "spool", c.spool);
  r.str(at(root, "outbox"), "outbox", c.outbox);
  r.str(at(root, "advisories"), "advisories", c.advisories);

  const auto& s = at(root, "store");
  r.known(s, "store", {"path", "busy_timeout_ms"});
  r.str(at(s, "path"), "store.path", c.store.path);
  r.integer(at(s, "busy_timeout_ms"), "store.busy_timeout_ms", c.store.busy_timeout_ms, 0, 600000);

  const auto& tr = at(root, "tracker");
  r.known(tr, "tracker", {"kind", "local_path", "ossa_project", "api_root", "web_root", "token_file",
                          "consumer", "auth_root", "timeout_s", "retries", "backoff_ms", "dry_run"});
  r.str(at(tr, "kind"), "tracker.kind", c.tracker.kind);
  if (c.tracker.kind != "local" && c.tracker.kind != "launchpad" && c.tracker.kind != "storyboard")
    r.fail(at(tr, "kind"), "tracker.kind", "unknown tracker '" + c.tracker.kind + "'", "use local, launchpad or storyboard");
  r.str(at(tr, "local_path"), "tracker.local_path", c.tracker.local_path);
  r.str(at(tr, "ossa_project"), "tracker.ossa_project", c.tracker.ossa_project);
  r.str(at(tr, "api_root"), "tracker.api_root", c.tracker.api_root);
  r.str(at(tr, "web_root"), "tracker.web_root", c.tracker.web_root);
  r.str(at(tr, "token_file"), "tracker.token_file", c.tracker.token_file);
  r.str(at(tr, "consumer"), "tracker.consumer", c.tracker.consumer);
  r.str(at(tr, "auth_root"), "tracker.auth_root", c.tracker.auth_root);
  r.integer(at(tr, "timeout_s"), "tracker.timeout_s", c.tracker.timeout_s, 1, 600);
  r.integer(at(tr, "retries"), "tracker.retries", c.tracker.retries, 0, 10);
  r.integer(at(tr, "backoff_ms"), "tracker.backoff_ms", c.tracker.backoff_ms, 0, 60000);
  r.boolean(at(tr, "dry_run"), "tracker.dry_run", c.tracker.dry_run);
  if (c.tracker.kind != "local" && c.tracker.api_root.empty())
    r.fail(tr, "tracker.api_root", "missing for tracker " + c.tracker.kind,
           c.tracker.kind == "launchpad" ? "e.g. https://api.launchpad.net/devel/"
                                         : "e.g. https://storyboard.openstack.org/api/v1");
  if (c.tracker.kind != "local" && c.tracker.token_file.empty())
    r.fail(tr, "tracker.token_file", "missing for tracker " + c.tracker.kind,
           c.tracker.kind == "launchpad" ? "e.g. launchpad.token, written by `vmt tracker login launchpad`"
                                         : "e.g. storyboard.token, holding a token from your StoryBoard profile page");

  const auto& cv = at(root, "cve");
  r.known(cv, "cve", {"api_root", "org", "user", "key_file", "schema_file"});
  r.str(at(cv, "api_root"), "cve.api_root", c.cve.api_root);
  r.str(at(cv, "org"), "cve.org", c.cve.org);
  r.str(at(cv, "user"), "cve.user", c.cve.user);
  r.str(at(cv, "key_file"), "cve.key_file", c.cve.key_file);
  r.str(at(cv, "schema_file"), "cve.schema_file", c.cve.schema_file);

  const auto& tp = at(root, "transport");
  r.known(tp, "transport", {"kind", "sendmail", "smtp_url", "smtp_user", "smtp_password_file",
                            "smtp_starttls", "smtp_ca_file", "sent_maildir"});
  r.str(at(tp, "kind"), "transport.kind", c.transport.kind);
  if (c.transport.kind != "maildir" && c.transport.kind != "sendmail" && c.transport.kind != "smtp")
    r.fail(at(tp, "kind"), "transport.kind", "unknown transport '" + c.transport.kind + "'", "use maildir, sendmail or smtp");
  r.str(at(tp, "sendmail"), "transport.sendmail", c.transport.sendmail);
  r.str(at(tp, "smtp_url"), "transport.smtp_url", c.transport.smtp_url);
  r.str(at(tp, "smtp_user"), "transport.smtp_user", c.transport.smtp_user);
  r.str(at(tp, "smtp_password_file"), "transport.smtp_password_file", c.transport.smtp_password_file);
  r.boolean(at(tp, "smtp_starttls"), "transport.smtp_starttls", c.transport.smtp_starttls);
  r.str(at(tp, "smtp_ca_file"), "transport.smtp_ca_file", c.transport.smtp_ca_file);
  r.str(at(tp, "sent_maildir"), "transport.sent_maildir", c.transport.sent_maildir);
  if (c.transport.kind == "smtp" && c.transport.smtp_url.empty())
    r.fail(tp, "transport.smtp_url", "missing for transport smtp", "e.g. smtp://mail.example.org:587");

  const auto& e = at(root, "embargo");
  r.known(e, "embargo", {"days", "warn_days", "stuck_days"});
  r.integer(at(e, "days"), "embargo.days", c.embargo.days, 1, 365);
  r.integer(at(e, "warn_days"), "embargo.warn_days", c.embargo.warn_days, 0, 365);
  r.integer(at(e, "stuck_days"), "embargo.stuck_days", c.embargo.stuck_days, 1, 365);

  const auto& d = at(root, "disclosure");
  r.known(d, "disclosure", {"min_business_days", "max_business_days", "hour_utc", "weekdays",
                            "distros_max_days", "holidays"});
  r.integer(at(d, "min_business_days"), "disclosure.min_business_days", c.disclosure.min_business_days, 1, 60);
  r.integer(at(d, "max_business_days"), "disclosure.max_business_days", c.disclosure.max_business_days, 1, 60);
  if (c.disclosure.max_business_days < c.disclosure.min_business_days)
    r.fail(at(d, "max_business_days"), "disclosure.max_business_days", "smaller than min_business_days");
  r.integer(at(d, "hour_utc"), "disclosure.hour_utc", c.disclosure.hour_utc, 0, 23);
  r.integer(at(d, "distros_max_days"), "disclosure.distros_max_days", c.disclosure.distros_max_days, 1, 14);
  if (const auto& wd = at(d, "weekdays"); wd.IsDefined() && !wd.IsNull()) {
    static const char* names[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
    std::vector<std::string> ws;
    r.strings(wd, "disclosure.weekdays", ws);
    c.disclosure.weekdays.clear();
    for (auto w : ws) {
      for (auto& ch : w) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      int found = -1;
      for (int i = 0; i < 7; ++i)
        if (w == names[i] || (w.size() >= 3 && std::string(names[i]).rfind(w, 0) == 0)) found = i;
      if (found < 0) r.fail(wd, "disclosure.weekdays", "unknown weekday '" + w + "'", "write tuesday, wed, ...");
      c.disclosure.weekdays.push_back(found);
    }
  }
  if (const auto& hn = at(d, "holidays"); hn.IsDefined() && !hn.IsNull()) {
    if (!hn.IsSequence()) r.fail(hn, "disclosure.holidays", "expected a list of {from, to, name}");
    c.disclosure.holidays.clear();
    for (std::size_t i = 0; i < hn.size(); ++i) {
      std::string f = "disclosure.holidays[" + std::to_string(i) + "]";
      holiday h;
      if (hn[i].IsScalar()) {
        r.day_of_year_or_date(hn[i], f, h.from);
        h.to = h.from;
      } else {
        r.known(hn[i], f, {"from", "to", "name", "date"});
        r.day_of_year_or_date(at(hn[i], "date"), f + ".date", h.from);
        if (h.from.empty()) r.day_of_year_or_date(at(hn[i], "from"), f + ".from", h.from);
        r.day_of_year_or_date(at(hn[i], "to"), f + ".to", h.to);
        r.str(at(hn[i], "name"), f + ".name", h.name);
        if (h.from.empty()) r.fail(hn[i], f + ".from", "missing", "write from: YYYY-MM-DD (or MM-DD for every year)");
        if (h.to.empty()) h.to = h.from;
        if (h.to.size() != h.from.size())
          r.fail(at(hn[i], "to"), f + ".to", "mixes a dated and a yearly bound", "write both as YYYY-MM-DD or both as MM-DD");
        else if (!h.yearly() && h.to < h.from)
          r.fail(at(hn[i], "to"), f + ".to", "ends before it starts");
      }
      c.disclosure.holidays.push_back(h);
    }
  }

  read_recipients(r, at(root, "stakeholders"), "stakeholders", c.stakeholders, false);
  if (const auto& ld = at(root, "linux_distros"); ld.IsDefined() && !ld.IsNull()) {
    recipient x;
    r.recipient_(ld, "linux_distros", x, true);
    if (!x.encrypt) r.fail(at(ld, "encrypt"), "linux_distros.encrypt", "the linux-distros list must be encrypted to");
    c.linux_distros = x;
  }
  read_recipients(r, at(root, "announce"), "announce", c.announce, false);

  const auto& l = at(root, "limits");
  r.known(l, "limits", {"max_message_bytes", "max_header_bytes", "max_line_bytes", "max_mime_depth", "max_mime_parts"});
  r.size(at(l, "max_message_bytes"), "limits.max_message_bytes", c.limits.max_message_bytes);
  r.size(at(l, "max_header_bytes"), "limits.max_header_bytes", c.limits.max_header_bytes);
  r.size(at(l, "max_line_bytes"), "limits.max_line_bytes", c.limits.max_line_bytes);
  r.integer(at(l, "max_mime_depth"), "limits.max_mime_depth", c.limits.max_mime_depth, 1, 256);
  r.integer(at(l, "max_mime_parts"), "limits.max_mime_parts", c.limits.max_mime_parts, 1, 100000);

  const auto& lg = at(root, "log");
  r.known(lg, "log", {"sink", "file", "level"});
  r.str(at(lg, "sink"), "log.sink", c.log.sink);
  r.str(at(lg, "file"), "log.file", c.log.file);
  r.str(at(lg, "level"), "log.level", c.log.level);
  if (c.log.sink != "stderr" && c.log.sink != "file" && c.log.sink != "syslog")
    r.fail(at(lg, "sink"), "log.sink", "unknown sink '" + c.log.sink + "'", "use stderr, file or syslog");
  if (c.log.sink == "file" && c.log.file.empty()) r.fail(lg, "log.file", "missing for sink file");
  return c;
}

}  // namespace

const project* config::find_project(const std::string& name) const {
  for (const auto& p : projects)
    if (p.name == name) return &p;
  return nullptr;
}

std::string config::path(const std::string& p) const { return fs::join(base, p); }

std::string config::relative(const std::string& p) const {
  auto prefix = base.empty() || base.back() == '/' ? base : base + "/";
  if (!prefix.empty() && p.compare(0, prefix.size(), prefix) == 0) return p.substr(prefix.size());
  return p;
}

result<config> load(const std::string& file) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(file, ec).lexically_normal().string();
  if (ec) abs = file;
  if (!fs::exists(abs))
    return make_error(failure::no_input, abs, "configuration file not found",
                      "run `vmt init DIR` or pass --config (or set VMT_CONFIG)");
  YAML::Node root;
  try {
    root = YAML::LoadFile(abs);
  } catch (const YAML::ParserException& e) {
    return make_error(failure::config, abs + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
                      "not valid YAML: " + e.msg, "fix the syntax at that line");
  } catch (const YAML::Exception& e) {
    return make_error(failure::config, abs, std::string("cannot read: ") + e.what());
  }
  try {
    auto c = parse(abs, root);
    c.file = abs;
    c.base = std::filesystem::path(abs).parent_path().string();
    if (c.log.sink == "file") c.log.file = c.path(c.log.file);
    return c;
  } catch (const field_error& fe) {
    std::string where = abs + (fe.line > 0 ? ":" + std::to_string(fe.line) : std::string()) +
                        (fe.field.empty() ? std::string() : ": " + fe.field);
    return make_error(failure::config, where, fe.what, fe.fix);
  } catch (const YAML::Exception& e) {
    return make_error(failure::config, abs, std::string("unexpected value: ") + e.what());
  }
}

std::string locate(const std::string& from_command_line) {
  if (!from_command_line.empty()) return from_command_line;
  if (const char* env = std::getenv("VMT_CONFIG"); env && *env) return env;
  return "vmt.yaml";
}

std::string data_dir() {
  // An installation moved as a whole (cmake --install --prefix DIR, a package) keeps share/vmt
  // beside bin/; otherwise the folder the build was configured to install into. Never the build
  // or source tree: what vmt writes into a team folder must stay valid after the build is gone.
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto beside = exe.parent_path().parent_path() / "share" / "vmt";
    if (std::filesystem::is_directory(beside, ec)) return beside.lexically_normal().string();
  }
  return VMT_DATADIR;
}

}  // namespace vmt::config
