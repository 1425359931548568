// cmd_init.cpp: `vmt init DIR [--demo]`: create a team folder: vmt.yaml, the store, the local
// tracker, the spool, the outbox maildir and the team's GnuPG home holding the team's secret key.
//
// --demo also makes throwaway keys for a reporter, two downstream stakeholders and a linux-distros
// list (each in its own GnuPG home under DIR/demo/, as if they were other people's machines), and
// an encrypted, signed report from the reporter, so the whole process runs with no outside server.
#include <unistd.h>

#include <cstdio>

#include "cli.h"
#include "core/clock.h"
#include "core/fs.h"
#include "core/harden.h"
#include "core/text.h"
#include "crypto/compose.h"
#include "crypto/keys.h"
#include "crypto/openpgp.h"
#include "intake/reception.h"
#include "store/store.h"
#include "tmpl/tmpl.h"
#include "tracker/local.h"

namespace vmt::cli {

namespace {

struct init_options {
  std::string dir;
  bool demo = false;
  std::string team_address = "security@example.org";
  std::string team_name = "Vulnerability Management Team";
  std::string vendor = "OpenStack";
  std::string key_file;  // the team's secret key, armored; generated when empty
  std::string coordinator_name = "Alice Coordinator";
  std::string coordinator_email;
  std::string log_file;
};

struct party {
  std::string name, email, home, fpr;
};

result<party> make_party(const std::string& base, const std::string& slug, const std::string& name,
                         const std::string& email) {
  party p{name, email, base + "/demo/" + slug + "/gnupg", ""};
  VMT_TRY_STATUS(crypto::prepare_home(p.home));
  VMT_TRY(fpr, crypto::generate_key(p.home, name, email));
  p.fpr = fpr;
  return p;
}

// Make two GnuPG homes know each other's public key.
status exchange_keys(const std::string& a_home, const std::string& a_fpr, const std::string& b_home,
                     const std::string& b_fpr) {
  VMT_TRY(a_pub, crypto::export_public(a_home, a_fpr));
  VMT_TRY(b_pub, crypto::export_public(b_home, b_fpr));
  VMT_TRY(x, crypto::import_keys(b_home, a_pub));
  VMT_TRY(y, crypto::import_keys(a_home, b_pub));
  (void)x;
  (void)y;
  return ok_v;
}

const char* demo_report =
    "Hello,\n\n"
    "I found that nova-api writes the Keystone token of the requesting user\n"
    "to its log at INFO level when a server rebuild fails validation\n"
    "(nova/api/openstack/compute/servers.py, _action_rebuild). Anyone who can\n"
    "read the API logs (log aggregation, support staff) can replay the token\n"
    "until it expires.\n\n"
    "Steps to reproduce: rebuild a server with an invalid image reference and\n"
    "grep the nova-api log for 'X-Auth-Token'.\n\n"
    "I would like to be credited as Jane Reporter (Example Security Lab). I plan\n"
    "to talk about this at a conference in four months.\n\n"
    "Regards,\nJane\n";

status cmd_init(context& ctx, const init_options& o) {
  std::string dir = o.dir;
  if (dir.empty()) return make_error(failure::usage, "vmt init", "missing DIR");
  harden::private_files();  // gpg writes the team's key files in the home with our umask
  if (dir.front() != '/') {
    char cwd[4096];
    if (::getcwd(cwd, sizeof cwd)) dir = std::string(cwd) + "/" + dir;
  }
  // A coordinator at the team address would get vmt's own mail back as reports (a loop).
  std::string coordinator_email = o.coordinator_email;
  if (coordinator_email.empty() && o.demo) coordinator_email = "alice@" + o.team_address.substr(o.team_address.find('@') + 1);
  if (coordinator_email.empty())
    return make_error(failure::usage, "vmt init --coordinator-email", "missing: who coordinates the team's cases?",
                      "give the first coordinator's own address (not " + o.team_address +
                          ", the team address: mail to it is filed as a report)");
  if (text::lower(coordinator_email) == text::lower(o.team_address))
    return make_error(failure::usage, "--coordinator-email " + coordinator_email, "is the team address",
                      "give the coordinator's own address: mail vmt sends them must not come back as a report");
  auto config_file = dir + "/vmt.yaml";
  if (fs::exists(config_file))
    return make_error(failure::cant_create, config_file, "already exists; vmt init never overwrites a team folder",
                      "choose another DIR or remove the old one");
  VMT_TRY_STATUS(fs::make_private_dir(dir));
  const auto home = dir + "/gnupg";
  VMT_TRY_STATUS(crypto::prepare_home(home));
  VMT_TRY_STATUS(fs::make_private_dir(dir + "/spool"));
  VMT_TRY_STATUS(fs::make_private_dir(dir + "/templates"));
  VMT_TRY_STATUS(fs::make_maildir(dir + "/outbox"));

  std::string team_fpr;
  if (!o.key_file.empty()) {
    VMT_TRY(data, fs::read_file(o.key_file, 1 << 20));
    VMT_TRY(imported, crypto::import_keys(home, data));
    VMT_TRY(secrets, crypto::secret_keys(home));
    if (secrets.empty())
      return make_error(failure::data, o.key_file, "holds no secret key",
                        "export it with: gpg --export-secret-keys --armor FINGERPRINT");
    team_fpr = secrets.front();
    (void)imported;
  } else {
    VMT_TRY(fpr, crypto::generate_key(home, o.vendor + " " + o.team_name, o.team_address));
    team_fpr = fpr;
  }

  // The coordinator signs what they send with their own key, kept in the team's home: the one given,
  // else (demo) one made for them, else the team key until they import theirs (vmt keys).
  std::string coordinator_fpr = team_fpr;
  if (o.demo) {
    VMT_TRY(fpr, crypto::generate_key(home, o.coordinator_name, coordinator_email));
    coordinator_fpr = fpr;
  }
  tmpl::dictionary d;
  d.set("TEAM_NAME", o.team_name).set("VENDOR", o.vendor).set("TEAM_ADDRESS", o.team_address);
  d.set("TEAM_KEY", team_fpr);
  d.set("EXAMPLE", config::data_dir() + "/config/vmt.yaml.example");
  d.set("TEMPLATES", config::data_dir() + "/templates");
  d.set("COORDINATOR_NAME", o.coordinator_name);
  d.set("COORDINATOR_EMAIL", coordinator_email);
  d.set("COORDINATOR_KEY", coordinator_fpr);
  d.set("LOG_SINK", o.log_file.empty() ? "stderr" : "file");
  if (!o.log_file.empty()) d.add("LOG_FILE").set("PATH", o.log_file);

  party reporter;
  std::vector<std::string> party_homes;
  if (o.demo) {
    auto& nova = d.add("PROJECT").set("NAME", "nova").set("DISPLAY", "Nova");
    auto& demo = d.add("DEMO");
    VMT_TRY(rep, make_party(dir, "reporter", "Jane Reporter", "jane@reporter.example"));
    reporter = rep;
    VMT_TRY_STATUS(exchange_keys(home, team_fpr, rep.home, rep.fpr));
    // Nova's PTL reviews the impact description with the reporter (seed, "Review impact description").
    VMT_TRY(ptl, make_party(dir, "ptl", "Nova PTL", "ptl@nova.example"));
    VMT_TRY_STATUS(exchange_keys(home, team_fpr, ptl.home, ptl.fpr));
    party_homes.push_back(ptl.home);
    nova.add("PTL").set("PTL_NAME", ptl.name).set("PTL_EMAIL", ptl.email).set("PTL_KEY", ptl.fpr);
    int n = 0;
    for (const auto& [slug, name, email] : {std::tuple{"stakeholder-1", "Distro One Security", "security@distro-one.example"},
                                           std::tuple{"stakeholder-2", "Cloud Two PSIRT", "psirt@cloud-two.example"}}) {
      VMT_TRY(p, make_party(dir, slug, name, email));
      VMT_TRY_STATUS(exchange_keys(home, team_fpr, p.home, p.fpr));
      party_homes.push_back(p.home);
      demo.add("STAKEHOLDER").set("NAME", p.name).set("EMAIL", p.email).set("KEY", p.fpr);
      ++n;
    }
    VMT_TRY(distros, make_party(dir, "linux-distros", "linux-distros list", "distros@vs.openwall.example"));
    VMT_TRY_STATUS(exchange_keys(home, team_fpr, distros.home, distros.fpr));
    party_homes.push_back(distros.home);
    // The others know the coordinator's key too: the mails they receive are signed with it.
    VMT_TRY(coordinator_pub, crypto::export_public(home, coordinator_fpr));
    for (const auto& h : party_homes) {
      VMT_TRY(imported, crypto::import_keys(h, coordinator_pub));
      (void)imported;
    }
    VMT_TRY(imported, crypto::import_keys(rep.home, coordinator_pub));
    (void)imported;
    demo.set("DISTROS_NAME", distros.name).set("DISTROS_EMAIL", distros.email).set("DISTROS_KEY", distros.fpr);
  } else {
    d.show("NO_PROJECT");
  }
  tmpl::engine engine({});  // the shipped template: a new team has no templates of its own yet
  VMT_TRY(yaml, engine.render("init/vmt.yaml.tpl", d));
  VMT_TRY_STATUS(fs::write_file_atomic(config_file, yaml, 0600));

  // Create the store and the local tracker now, so that permissions are right from the start.
  VMT_TRY(cfg, config::load(config_file));
  VMT_TRY(st, store::store::open(cfg.path(cfg.store.path), cfg.store.busy_timeout_ms));
  VMT_TRY(tr, tracker::open_local(cfg.path(cfg.tracker.local_path), 5000, "local:"));
  (void)st;
  (void)tr;

  if (o.demo) {
    // The reporter's report: PGP/MIME, signed by the reporter, encrypted to the team key.
    crypto::outgoing m;
    m.from = {reporter.name, reporter.email};
    m.to = {{"", o.team_address}};
    m.subject = "[nova] Keystone token written to nova-api log on failed rebuild";
    m.body = demo_report;
    m.sign_with = reporter.fpr;
    m.encrypt_to = {team_fpr, reporter.fpr};
    VMT_TRY(report, crypto::compose(reporter.home, m));
    VMT_TRY_STATUS(fs::write_file_atomic(dir + "/demo/report.eml", report.bytes));
  }

  // gpg started an agent per home; a setup command leaves nothing running behind it.
  crypto::stop_agent(home);
  if (o.demo) {
    crypto::stop_agent(reporter.home);
    for (const auto& h : party_homes) crypto::stop_agent(h);
  }

  if (ctx.json) {
    print_json({{"dir", dir}, {"config", config_file}, {"team_key", team_fpr},
                {"demo_report", o.demo ? nlohmann::json(dir + "/demo/report.eml") : nlohmann::json(nullptr)}});
  } else {
    std::printf("Created %s\n  team key: %s (in %s)\n", config_file.c_str(), team_fpr.c_str(), home.c_str());
    if (o.demo) std::printf("  demo report from %s: %s/demo/report.eml\n", reporter.email.c_str(), dir.c_str());
    std::printf("Next: wire vmt-ingest into the MTA (see %s/procmail/README.md)\n", config::data_dir().c_str());
  }
  return ok_v;
}

}  // namespace

void register_init_command(CLI::App& app, context& ctx) {
  static init_options o;
  auto* init = app.add_subcommand("init", "create a team folder (config, store, tracker, spool, outbox, GnuPG home)");
  init->add_option("DIR", o.dir, "the folder to create")->required();
  init->add_flag("--demo", o.demo, "also make throwaway keys for a reporter, stakeholders, linux-distros and a report");
  init->add_option("--team-address", o.team_address, "the address reporters mail");
  init->add_option("--team-name", o.team_name, "the team's name (after the vendor)");
  init->add_option("--vendor", o.vendor, "the vendor or project family (OpenStack)");
  init->add_option("--key-file", o.key_file, "import the team's secret key from this file instead of generating one");
  init->add_option("--coordinator-name", o.coordinator_name, "the first coordinator's name");
  init->add_option("--coordinator-email", o.coordinator_email,
                   "the first coordinator's own address (required but with --demo; never the team address)");
  init->add_option("--log-file", o.log_file, "log to this file instead of stderr");
  init->add_flag("--json", ctx.json, "print JSON");
  on_run(init, [&ctx] { return cmd_init(ctx, o); });
}

}  // namespace vmt::cli
