// workflow_test: the disclosure gate and the verbs' guards, with a real store, the real local
// tracker and real keys: embargoed detail never reaches anyone outside the case's approved
// recipients, never unencrypted to someone whose key is on record, never to a key that cannot be
// encrypted to; announcements of a private case wait for the hour; every sent mail is in the ledger.
#define BOOST_TEST_MODULE workflow
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <fstream>

#include "gpg_fixture.h"
#include "tracker/local.h"
#include "transport/outbox.h"
#include "workflow/disclosure.h"
#include "workflow/outbound.h"
#include "workflow/workflow.h"

using namespace vmt;
using testing::gpg_home;
using testing::temp_dir;

namespace {

struct fixture {
  temp_dir dir;
  gpg_home team{dir, "team", "security@example.org"};
  gpg_home stakeholder{dir, "stakeholder", "psirt@distro.example"};
  config::config cfg;
  std::unique_ptr<store::store> st;
  std::unique_ptr<tmpl::engine> templates;
  std::unique_ptr<workflow::session> s;
  std::vector<crypto::outgoing> composed;

  fixture() {
    ::setenv("VMT_NOW", "2026-05-11T10:00:00Z", 1);
    team.import_from(stakeholder);
    cfg.file = dir / "vmt.yaml";
    cfg.base = dir.path;
    cfg.gnupg_home = team.home;
    cfg.team.address = "security@example.org";
    cfg.team.key = team.fpr;
    cfg.team.coordinators = {{"Alice", "alice@example.org", team.fpr}};
    config::project nova;
    nova.name = "nova";
    nova.display = "Nova";
    cfg.projects = {nova};
    st = std::move(store::store::open(dir / "vmt.db", 1000).value());
    templates = std::make_unique<tmpl::engine>(std::vector<std::string>{std::string(VMT_SOURCE_DIR) + "/templates"});
    s = workflow::make_session(cfg, *st, *templates, "alice@example.org");
    auto real = s->compose;
    s->compose = [this, real](const crypto::outgoing& o) {
      composed.push_back(o);
      return real(o);
    };
    s->open_tracker = [this]() { return tracker::open_local(dir / "tracker.db", 500, "local:"); };
    store::case_record c;
    c.id = "VMT-2026-001";
    c.title = "t";
    c.project = "nova";
    c.embargo_end = "2026-08-09";
    c.disclosure_at = "2026-05-14T15:00:00Z";
    c.created_at = c.updated_at = "2026-05-11T10:00:00Z";
    BOOST_REQUIRE(st->insert_case(c, 2026, 1));
    BOOST_REQUIRE(st->grant_access({c.id, "jane@example.net", "reporter", "", c.created_at, "vmt-ingest", ""}));
  }
  ~fixture() { ::unsetenv("VMT_NOW"); }

  store::case_record the_case() { return st->find_case("VMT-2026-001").value().value(); }
  workflow::mail_request embargoed_to(const std::string& email, const std::string& key = {}, bool encrypt = false) {
    workflow::mail_request m;
    m.kind = "test";
    m.to = {{"", email, key, encrypt}};
    m.subject = "embargoed";
    m.body = "EMBARGOED-DETAIL";
    m.embargoed = true;
    return m;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(embargoed_detail_never_goes_outside_the_approved_list, fixture) {
  auto r = workflow::send(*s, the_case(), embargoed_to("someone@outside.example"));
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.err().kind == failure::unavailable);
  BOOST_TEST(r.err().what.find("not an approved recipient") != std::string::npos);
  BOOST_TEST(composed.empty());  // refused before anything was composed
  BOOST_TEST(transport::list(*st).value().empty());
}

BOOST_FIXTURE_TEST_CASE(a_recipient_whose_key_is_on_record_only_gets_encrypted_mail, fixture) {
  BOOST_REQUIRE(st->grant_access({"VMT-2026-001", "psirt@distro.example", "stakeholder", stakeholder.fpr, "t", "t", ""}));
  auto r = workflow::send(*s, the_case(), embargoed_to("psirt@distro.example"));
  BOOST_REQUIRE_MESSAGE(r, (r ? "" : r.err().message()));
  BOOST_REQUIRE(composed.size() == 1u);
  BOOST_TEST(composed[0].encrypt_to.front() == stakeholder.fpr);
  BOOST_TEST(r->keys.front() == stakeholder.fpr);
  auto events = st->case_events("VMT-2026-001").value();
  BOOST_REQUIRE(!events.empty());
  BOOST_TEST(events.back().kind == "disclosed");
  BOOST_TEST(events.back().recipients == std::vector<std::string>{"psirt@distro.example"});
  BOOST_TEST(events.back().message_id == r->message_id);
  // Sending the same mail again queues nothing new.
  auto again = workflow::send(*s, the_case(), embargoed_to("psirt@distro.example"));
  BOOST_REQUIRE(again);
  BOOST_TEST(!again->fresh);
  BOOST_TEST(transport::list(*st).value().size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(a_recipient_meant_to_get_encrypted_mail_without_a_usable_key_is_refused, fixture) {
  BOOST_REQUIRE(st->grant_access({"VMT-2026-001", "nokey@distro.example", "stakeholder", "", "t", "t", ""}));
  auto r = workflow::send(*s, the_case(), embargoed_to("nokey@distro.example", "", true));
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.err().what.find("no key on record") != std::string::npos);
  // A key the team's keyring does not hold.
  auto unknown = workflow::send(*s, the_case(),
                                embargoed_to("nokey@distro.example", "0123456789ABCDEF0123456789ABCDEF01234567", true));
  BOOST_REQUIRE(!unknown);
  BOOST_TEST(unknown.err().what.find("not in the team's keyring") != std::string::npos);
  BOOST_TEST(composed.empty());
}

BOOST_FIXTURE_TEST_CASE(expired_and_revoked_keys_are_never_encrypted_to, fixture) {
  // An expired key: made in the past with gpg's faked clock, valid for one day.
  std::string mk = "gpg --homedir '" + (dir / "old") + "' --batch --passphrase '' --faked-system-time 20200101T000000 "
                   "--quick-gen-key 'Old <old@distro.example>' ed25519 cert,sign 1d >/dev/null 2>&1 && "
                   "fpr=$(gpg --homedir '" + (dir / "old") + "' --with-colons --list-keys | awk -F: '/^fpr:/ {print $10; exit}') && "
                   "gpg --homedir '" + (dir / "old") + "' --batch --passphrase '' --faked-system-time 20200101T000000 "
                   "--quick-add-key $fpr cv25519 encr 1d >/dev/null 2>&1 && "
                   "gpg --homedir '" + (dir / "old") + "' --export $fpr | gpg --homedir '" + team.home + "' --batch --import 2>/dev/null && "
                   "echo $fpr > '" + (dir / "old.fpr") + "'";
  ::mkdir((dir / "old").c_str(), 0700);
  BOOST_REQUIRE(std::system(mk.c_str()) == 0);
  std::ifstream f(dir / "old.fpr");
  std::string old_fpr;
  f >> old_fpr;
  BOOST_REQUIRE(st->grant_access({"VMT-2026-001", "old@distro.example", "stakeholder", old_fpr, "t", "t", ""}));
  auto expired = workflow::send(*s, the_case(), embargoed_to("old@distro.example"));
  BOOST_REQUIRE(!expired);
  BOOST_TEST(expired.err().what.find("cannot be encrypted to") != std::string::npos);

  // A revoked key: the stakeholder's own revocation certificate, imported into the team's keyring.
  std::string rev = "sed 's/^:-----BEGIN/-----BEGIN/' '" + stakeholder.home + "/openpgp-revocs.d/" + stakeholder.fpr +
                    ".rev' | gpg --homedir '" + team.home + "' --batch --import 2>/dev/null";
  BOOST_REQUIRE(std::system(rev.c_str()) == 0);
  BOOST_REQUIRE(st->grant_access({"VMT-2026-001", "psirt@distro.example", "stakeholder", stakeholder.fpr, "t", "t", ""}));
  auto revoked = workflow::send(*s, the_case(), embargoed_to("psirt@distro.example"));
  BOOST_REQUIRE(!revoked);
  BOOST_TEST(revoked.err().what.find("cannot be encrypted to") != std::string::npos);
  BOOST_TEST(composed.empty());
}

// An announcement is composed, dated and signed at the disclosure hour (vmt check runs the staged
// publication then); while the case is private nothing may queue one, not even for later.
BOOST_FIXTURE_TEST_CASE(announcements_of_a_private_case_wait_for_the_hour, fixture) {
  workflow::mail_request m;
  m.kind = "announce";
  m.to = {{"", "announce@lists.example.org", "", false}};
  m.subject = "[OSSA-2026-001] Nova: t (CVE-2026-1)";
  m.body = "rst";
  auto now = workflow::send(*s, the_case(), m);
  BOOST_REQUIRE(!now);
  BOOST_TEST(now.err().what.find("must wait for the disclosure hour") != std::string::npos);
  BOOST_TEST(transport::list(*st).value().empty());
}

BOOST_FIXTURE_TEST_CASE(notify_refuses_without_its_preconditions, fixture) {
  auto c = the_case();
  c.ossa_status = "In Progress";
  BOOST_REQUIRE(st->update_case(c));
  auto r = workflow::notify(*s, "VMT-2026-001");
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.err().what.find("the CVE must be assigned first") != std::string::npos, r.err().message());
  c.cve = "CVE-2026-12345";
  c.description = "Title: t\n\nDescription:\nx.\n";
  BOOST_REQUIRE(st->update_case(c));
  r = workflow::notify(*s, "VMT-2026-001");
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.err().what.find("no pre-approved patch") != std::string::npos, r.err().message());
  BOOST_TEST(composed.empty());
}

BOOST_FIXTURE_TEST_CASE(cve_ids_are_checked, fixture) {
  BOOST_TEST(workflow::valid_cve_id("CVE-2026-12345"));
  BOOST_TEST(workflow::valid_cve_id("CVE-2014-0001"));
  BOOST_TEST(!workflow::valid_cve_id("CVE-2026-123"));
  BOOST_TEST(!workflow::valid_cve_id("CVE-26-1234"));
  BOOST_TEST(!workflow::valid_cve_id("Requested"));
  BOOST_TEST(!workflow::cve_assign(*s, "VMT-2026-001", "CVE-2026-12"));
}

BOOST_FIXTURE_TEST_CASE(a_description_that_is_not_utf8_is_refused_with_its_line, fixture) {
  auto r = workflow::save_description(*s, "VMT-2026-001",
                                      "Title: token leak\nReporter: Ren\xe9 Dupont\n\nDescription:\nprose\n");
  BOOST_REQUIRE(!r);
  BOOST_TEST((r.err().kind == failure::data));
  BOOST_TEST(r.err().message().find("line 2, column 14: byte 0xE9 is not UTF-8") != std::string::npos,
             r.err().message());
  BOOST_TEST(the_case().description.empty());
}

BOOST_FIXTURE_TEST_CASE(patch_file_names_follow_the_seed, fixture) {
  config::project p;
  p.branches = {{"master", "master", "maintained", "hibiscus"}};
  BOOST_TEST(workflow::patch_mail_name("CVE-2013-4183", "master", &p) == "cve-2013-4183-master-hibiscus.patch");
  BOOST_TEST(workflow::patch_mail_name("CVE-2013-4183", "2025.2/flamingo", &p) == "cve-2013-4183-stable-flamingo.patch");
  BOOST_TEST(workflow::patch_mail_name("CVE-2013-4183", "grizzly", nullptr) == "cve-2013-4183-stable-grizzly.patch");
}
