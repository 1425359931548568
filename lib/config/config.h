// config.h: the team's configuration (vmt.yaml): who the team is, which projects it covers, where
// the store, spool, outbox and keys live, which tracker and transport to use, and the process
// settings (embargo length, disclosure window, holidays).
//
// Relative paths are resolved against the folder holding vmt.yaml. Errors name the file, the line
// and the field, and say what is expected.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/log.h"
#include "core/status.h"

namespace vmt::config {

struct person {
  std::string name;
  std::string email;
  std::string key;  // OpenPGP fingerprint (optional for people we only read from)
};

// A branch of a project: "2025.1/epoxy" maintained, "2023.1/antelope" unmaintained, ...
struct branch {
  std::string name;                  // label as advisories write it ("2025.1/epoxy", "master")
  std::string git_ref;               // "stable/2025.1"; default derived from name
  std::string status = "maintained"; // maintained | unmaintained | eol
  std::string series;                // release series prefix ("31." or "2015.1"), optional
};

struct project {
  std::string name;                       // tracker project ("nova")
  std::string display;                    // product name in advisories ("Nova")
  std::vector<std::string> subject_tags;  // "[nova]"
  std::vector<std::string> addresses;     // recipient addresses that mean this project
  std::vector<std::string> keywords;      // words in subject/body that point at it
  std::string security_team;              // tracker team subscribed at reception ("nova-coresec")
  person liaison;                         // security liaison, reminded when a case is stuck
  person ptl;
  std::vector<branch> branches;
  std::string git_repo;                   // local clone for `vmt versions --git`
};

// A holiday period: dated (YYYY-MM-DD) or the same every year (MM-DD, which may wrap around the
// year end: 12-24 .. 01-01).
struct holiday {
  std::string from;  // YYYY-MM-DD or MM-DD, inclusive
  std::string to;    // same form as from, inclusive
  std::string name;
  bool yearly() const { return from.size() == 5; }
};

struct recipient {
  std::string name;
  std::string email;
  std::string key;       // fingerprint; required where `encrypt` is true
  bool encrypt = false;  // the mail to this recipient must be encrypted
};

struct team_settings {
  std::string name = "Vulnerability Management Team";
  std::string vendor = "OpenStack";
  std::string address;             // the team's inbound address (security@...)
  std::string key;                 // fingerprint of the team key: decrypts reports, signs automatic mail
  std::string case_prefix = "VMT"; // case ids: VMT-2026-001
  std::string advisory_prefix = "OSSA";
  std::string note_prefix = "OSSN";
  std::string advisory_url = "https://security.openstack.org/ossa/{id}.html";
  std::string site_url = "https://security.openstack.org";
  std::vector<person> coordinators;  // first is the default signer
  std::vector<std::string> notify;   // told about quarantined mail and due actions
};

struct store_settings {
  std::string path = "vmt.db";
  int busy_timeout_ms = 5000;
};

struct tracker_settings {
  std::string kind = "local";  // local | launchpad | storyboard
  std::string local_path = "tracker.db";
  std::string ossa_project = "ossa";
  std::string api_root;    // launchpad: https://api.launchpad.net/devel/ ; storyboard: .../api/v1
  std::string web_root;    // launchpad: https://bugs.launchpad.net
  std::string token_file;  // credentials, mode 0600
  std::string consumer = "vmt";
  std::string auth_root;   // launchpad: https://launchpad.net (+request-token, +authorize-token, +access-token)
  int timeout_s = 30;
  int retries = 3;         // retries of a request that failed for a passing reason (5xx, timeout)
  int backoff_ms = 1000;   // first wait before a retry; doubled each time
  bool dry_run = false;
};

// CVE Services (teams that are a CNA only): reserve ids and publish records.
struct cve_settings {
  std::string api_root;     // https://cveawg.mitre.org/api (test: https://cveawg-test.mitre.org/api)
  std::string org;          // CVE-API-ORG: the CNA's short name
  std::string user;         // CVE-API-USER
  std::string key_file;     // CVE-API-KEY, mode 0600, refused otherwise
  std::string schema_file;  // CVE_Record_Format_bundled.json: full validation before sending
};

struct transport_settings {
  std::string kind = "maildir";  // maildir | sendmail | smtp
  std::string sendmail = "/usr/sbin/sendmail";
  std::string smtp_url;          // smtp://host:587 or smtps://host:465
  std::string smtp_user;
  std::string smtp_password_file;
  bool smtp_starttls = true;
  std::string smtp_ca_file;
  std::string sent_maildir = "sent";  // maildir transport: where delivered mail lands
};

struct embargo_settings {
  int days = 90;
  int warn_days = 14;   // `vmt check` warns this many days before the end
  int stuck_days = 14;  // a case unchanged this long is reminded to the liaison
};

struct disclosure_settings {
  int min_business_days = 3;
  int max_business_days = 5;
  int hour_utc = 15;
  std::vector<int> weekdays = {2, 3, 4};  // 0=Sunday .. 6=Saturday; default Tue, Wed, Thu
  int distros_max_days = 14;            // linux-distros: never more than 14 days after [vs]
  // The seed excludes "holiday periods"; the year end is one everywhere. A `holidays:` list in
  // vmt.yaml replaces this default.
  std::vector<holiday> holidays = {{"12-24", "01-01", "year-end holidays"}};
};

struct limit_settings {
  std::size_t max_message_bytes = 64u << 20;
  std::size_t max_header_bytes = 1u << 20;
  std::size_t max_line_bytes = 64u << 10;
  int max_mime_depth = 32;
  int max_mime_parts = 2000;
};

struct config {
  std::string file;  // absolute path of vmt.yaml
  std::string base;  // its folder; relative paths below are resolved against it

  team_settings team;
  std::vector<project> projects;
  std::string gnupg_home = "gnupg";
  std::string templates = "templates";
  std::string spool = "spool";
  std::string outbox = "outbox";
  store_settings store;
  tracker_settings tracker;
  cve_settings cve;
  transport_settings transport;
  embargo_settings embargo;
  disclosure_settings disclosure;
  std::vector<recipient> stakeholders;  // [pre-OSSA] recipients
  std::optional<recipient> linux_distros;  // [vs] list, always encrypted
  std::vector<recipient> announce;          // [OSSA-...] lists
  std::string advisories;  // folder of advisory YAML files (vmt advisory new / affects)
  limit_settings limits;
  log::settings log;

  const project* find_project(const std::string& name) const;
  const person* coordinator() const { return team.coordinators.empty() ? nullptr : &team.coordinators.front(); }
  // Path resolved against the config folder.
  std::string path(const std::string& p) const;
  // `p` relative to the config folder when it lies inside it (what the store keeps, so that the
  // team folder can be moved or restored elsewhere); other paths are returned unchanged.
  std::string relative(const std::string& p) const;
};

// Load and check `file`. failure::config names the file, line and field; failure::no_input when the
// file does not exist.
result<config> load(const std::string& file);

// The config file to use: --config, else $VMT_CONFIG, else ./vmt.yaml.
std::string locate(const std::string& from_command_line);

// Where the installed reference files are (the example config, the procmail recipe, copies of the
// shipped templates): share/vmt beside the program's bin/ folder, else the configured install
// folder. Programs do not need it to run: the templates they use are compiled in (tmpl/embedded.h).
std::string data_dir();

}  // namespace vmt::config
