// doctor.cpp: the health checks of a deployment (see doctor.h). Read-only: it changes nothing,
// and names the command that would.
#include "workflow/doctor.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "core/clock.h"
#include "core/fs.h"
#include "transport/outbox.h"
#include "workflow/keys.h"

namespace vmt::workflow {

const char* to_string(health h) {
  switch (h) {
    case health::ok: return "ok";
    case health::warning: return "warning";
    case health::problem: return "problem";
  }
  return "?";
}

namespace {

using findings = std::vector<doctor_finding>;

std::string user_name(uid_t uid) {
  const passwd* pw = ::getpwuid(uid);
  return pw ? pw->pw_name : std::to_string(uid);
}

// A folder (0700) or file (0600) only the user vmt runs as may read, and owned by them.
void check_private(findings& out, const std::string& what, const std::string& path, bool dir) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    out.push_back({"permissions", health::problem, what + " " + path + " does not exist",
                   dir ? "mkdir -m 700 " + path + " (or vmt init a new team folder)" : "vmt init creates it"});
    return;
  }
  if (st.st_uid != ::geteuid()) {
    out.push_back({"permissions", health::problem,
                   what + " " + path + " belongs to " + user_name(st.st_uid) + ", not to " + user_name(::geteuid()) +
                       " who runs vmt",
                   "chown -R " + user_name(::geteuid()) + ": " + path});
    return;
  }
  if (st.st_mode & 077) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(st.st_mode & 0777));
    out.push_back({"permissions", health::problem,
                   what + " " + path + " is mode " + mode + ": others can read embargoed data",
                   std::string("chmod ") + (dir ? "700 " : "600 ") + path});
    return;
  }
  out.push_back({"permissions", health::ok, what + " " + path + " is private", ""});
}

void check_folders(findings& out, const config::config& cfg) {
  check_private(out, "the GnuPG home", cfg.path(cfg.gnupg_home), true);
  check_private(out, "the spool", cfg.path(cfg.spool), true);
  check_private(out, "the outbox", cfg.path(cfg.outbox), true);
  check_private(out, "the store", cfg.path(cfg.store.path), false);
  check_private(out, "the configuration", cfg.file, false);
  if (cfg.tracker.kind == "local") check_private(out, "the local tracker", cfg.path(cfg.tracker.local_path), false);
}

void check_credentials(findings& out, const config::config& cfg) {
  const std::pair<const char*, std::string> files[] = {{"tracker.token_file", cfg.tracker.token_file},
                                                       {"cve.key_file", cfg.cve.key_file},
                                                       {"transport.smtp_password_file", cfg.transport.smtp_password_file}};
  for (const auto& [field, file] : files) {
    if (file.empty()) continue;
    auto path = cfg.path(file);
    if (!fs::exists(path)) {
      out.push_back({"credentials", health::problem, std::string(field) + ": " + path + " does not exist",
                     "create it (mode 600), or remove " + std::string(field) + " from " + cfg.file});
      continue;
    }
    check_private(out, field, path, false);
    out.back().check = "credentials";
  }
}

// The latest disclosure date still to come: a stakeholder's key must outlive it.
long days_to_last_disclosure(store::store& st) {
  long days = 0;
  auto cases = st.list_cases();
  if (!cases) return 0;
  for (const auto& c : *cases) {
    if (!c.is_private || c.disclosure_at.size() < 10) continue;
    auto d = clock::parse_iso_date(c.disclosure_at.substr(0, 10));
    if (!d) continue;
    days = std::max(days, static_cast<long>((*d - std::chrono::floor<std::chrono::days>(clock::now())).count()));
  }
  return days;
}

status check_key_health(findings& out, const config::config& cfg, store::store& st) {
  const long horizon = days_to_last_disclosure(st);
  VMT_TRY(keys, check_keys(cfg, std::max(30L, horizon)));
  for (const auto& k : keys) {
    const std::string who = k.use.role + (k.use.email.empty() ? "" : " " + k.use.email);
    if (k.state == key_state::ok) {
      out.push_back({"keys", health::ok, who + ": key " + (k.fingerprint.empty() ? "(none needed)" : k.fingerprint) +
                                             " usable" + (k.expires.empty() ? "" : " until " + k.expires), ""});
      continue;
    }
    // A stakeholder's key that expires before a scheduled disclosure would make the notification
    // (or its update) fail: a problem. Other keys expiring within 30 days: a warning.
    bool before_disclosure = k.state == key_state::expiring && k.days_left < horizon &&
                             (k.use.role == "stakeholder" || k.use.role == "linux-distros");
    health level = k.state == key_state::expiring && !before_disclosure ? health::warning : health::problem;
    out.push_back({"keys", level, k.what + (before_disclosure ? ", before a scheduled disclosure" : ""), k.fix});
  }
  return ok_v;
}

std::string read_small(const std::string& path) {
  auto t = fs::read_file(path, 1 << 20);
  return t ? *t : std::string();
}

// The MTA must run vmt-ingest (Postfix pipe(8) or procmail), never as root, from a path that exists.
void check_mta(findings& out, const config::config& cfg, const doctor_options& o) {
  std::string line_found;
  for (const auto& path : {o.master_cf, o.procmailrc.empty() ? std::string(std::getenv("HOME") ? std::getenv("HOME") : "") +
                                                                  "/.procmailrc"
                                                            : o.procmailrc}) {
    std::string text = read_small(path);
    std::size_t pos = 0;
    while (pos < text.size()) {
      auto eol = text.find('\n', pos);
      std::string line = text.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
      pos = eol == std::string::npos ? text.size() : eol + 1;
      // Postfix continues an entry on lines that start with white space.
      while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) {
        auto e2 = text.find('\n', pos);
        line += " " + text.substr(pos, e2 == std::string::npos ? std::string::npos : e2 - pos);
        pos = e2 == std::string::npos ? text.size() : e2 + 1;
      }
      if (line.empty() || line[0] == '#' || line.find("vmt-ingest") == std::string::npos) continue;
      line_found = path;
      auto at = line.find("vmt-ingest");
      auto start = line.find_last_of(" \t=|", at);
      std::string program = line.substr(start == std::string::npos ? 0 : start + 1, at + 10 - (start == std::string::npos ? 0 : start + 1));
      if (line.find("user=root") != std::string::npos)
        out.push_back({"mta", health::problem, path + ": vmt-ingest runs as root", "set user=vmt in the pipe entry"});
      else if (program.find('/') != std::string::npos && ::access(program.c_str(), X_OK) != 0)
        out.push_back({"mta", health::problem, path + ": " + program + " is not an executable program",
                       "point the entry at the installed vmt-ingest (command -v vmt-ingest)"});
      else if (line.find(cfg.file) == std::string::npos && line.find("--config") != std::string::npos)
        out.push_back({"mta", health::warning, path + ": vmt-ingest is given another configuration than " + cfg.file,
                       "check the --config of the entry"});
      else
        out.push_back({"mta", health::ok, path + " delivers to vmt-ingest", ""});
    }
  }
  if (line_found.empty())
    out.push_back({"mta", health::warning,
                   "no Postfix pipe entry (" + o.master_cf + ") and no procmail recipe runs vmt-ingest: reports sent "
                   "to " + cfg.team.address + " reach nobody",
                   "wire it in: see " + config::data_dir() + "/procmail/README.md"});
}

status check_queues(findings& out, store::store& st) {
  VMT_TRY(mails, transport::list(st));
  const auto hour_ago = clock::iso_time(clock::now() - std::chrono::hours(1));
  int stale = 0;
  for (const auto& m : mails) {
    if (m.state == "failed" || m.state == "uncertain")
      out.push_back({"outbox", health::problem, "mail " + std::to_string(m.id) + " <" + m.mail.message_id + "> is " + m.state +
                                                    (m.last_error.empty() ? "" : ": " + m.last_error),
                     m.state == "failed" ? "fix the cause, then vmt outbox retry " + std::to_string(m.id)
                                         : "look for the Message-ID in the MTA's log, then vmt outbox mark-sent " +
                                               std::to_string(m.id) + " or vmt outbox retry " + std::to_string(m.id)});
    else if (m.state == "queued" && m.attempts == 0 && m.created_at < hour_ago)
      ++stale;
  }
  if (stale > 0)
    out.push_back({"outbox", health::warning, std::to_string(stale) + " mail(s) queued for more than an hour and never tried",
                   "is vmt-send running? vmt-send --once, or enable vmt-send.timer (docs/outbound.md)"});
  else
    out.push_back({"outbox", health::ok, std::to_string(mails.size()) + " mail(s) in the outbox, none stuck", ""});
  int stuck = 0;
  for (const char* state : {"received", "filed"}) {
    VMT_TRY(msgs, st.messages_in_state(state));
    for (const auto& m : msgs)
      if (m.received_at < hour_ago) ++stuck;
  }
  if (stuck > 0)
    out.push_back({"spool", health::warning, std::to_string(stuck) + " message(s) received more than an hour ago and not filed",
                   "vmt spool resume"});
  VMT_TRY(q, st.quarantined());
  if (!q.empty())
    out.push_back({"spool", health::warning, std::to_string(q.size()) + " message(s) in quarantine",
                   "vmt quarantine list, then vmt quarantine retry ID once the cause is fixed"});
  if (stuck == 0 && q.empty()) out.push_back({"spool", health::ok, "nothing stuck or quarantined", ""});
  return ok_v;
}

status check_clock(findings& out, store::store& st) {
  VMT_TRY(latest, st.latest_event_at());
  const auto now = clock::iso_time(clock::now());
  if (!latest.empty() && latest > clock::iso_time(clock::now() + std::chrono::minutes(5)))
    out.push_back({"clock", health::problem, "the clock (" + now + ") is behind the newest ledger event (" + latest +
                                                 "): embargo ends and disclosure hours would be wrong",
                   "check the time service (timedatectl status)"});
  else
    out.push_back({"clock", health::ok, "the clock (" + now + ") is not behind the ledger", ""});
  return ok_v;
}

}  // namespace

result<std::vector<doctor_finding>> doctor(const config::config& cfg, store::store& st, const doctor_options& o) {
  findings out;
  out.push_back({"config", health::ok, cfg.file + " is valid", ""});
  check_folders(out, cfg);
  check_credentials(out, cfg);
  VMT_TRY_STATUS(check_key_health(out, cfg, st));
  check_mta(out, cfg, o);
  VMT_TRY_STATUS(check_queues(out, st));
  VMT_TRY_STATUS(check_clock(out, st));
  std::stable_sort(out.begin(), out.end(), [](const doctor_finding& a, const doctor_finding& b) {
    return static_cast<int>(a.level) > static_cast<int>(b.level);
  });
  return out;
}

}  // namespace vmt::workflow
