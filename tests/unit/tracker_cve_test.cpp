// tracker_cve_test: CVE Services for CNAs against a protocol-faithful fake (tests/fakes/fake_cve.py):
// reservation, CNA containers built from OSSA advisories and validated against the CVE JSON 5
// schema in ../shared/corpus/schemas (with valijson here and python3-jsonschema as a second
// opinion), publication now (look first) or staged for the disclosure hour and run when due,
// failure classification and the key file check.
#define BOOST_TEST_MODULE tracker_cve
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "core/fs.h"
#include "cve/cve.h"
#include "fake_server.h"
#include "tracker/tracker.h"

using namespace vmt;
using json = nlohmann::json;

namespace {

const std::string schema = std::string(VMT_SHARED_DIR) + "/corpus/schemas/CVE_Record_Format_bundled.json";
bool have_schema() { return std::filesystem::exists(schema); }

const char* advisory_yaml = R"(date: 2026-05-11
id: OSSA-2026-012
title: Remote Code Execution in Ironic conductor when Anaconda driver enabled
description: >
  Jane Doe (Example Corp) reported a vulnerability in Ironic's anaconda deploy
  interface. Users who can set node.instance_info can execute code.
affected-products:
  - product: ironic
    version: '>=17.0.0 <26.1.7, >=27.0.0 <29.0.6'
  - product: ironic-python-agent
    version: 'all versions'
vulnerabilities:
  - cve-id: 'CVE-2026-1000'
reporters:
  - name: Jane Doe
    affiliation: Example Corp
issues:
  links:
    - https://bugs.launchpad.net/ironic/+bug/2148307
)";

struct fixture {
  std::unique_ptr<test::fake_server> cve;
  std::string dir;
  config::config cfg;
  std::unique_ptr<store::store> st;

  fixture() {
    ::setenv("VMT_NOW", "2026-05-11T10:00:00Z", 1);
    std::vector<std::string> args;
    if (have_schema()) args = {"--schema", schema};
    cve = std::make_unique<test::fake_server>("fake_cve.py", args);
    char d[] = "/tmp/vmt-cve-XXXXXX";
    dir = ::mkdtemp(d);
    cfg.file = dir + "/vmt.yaml";
    cfg.base = dir;
    config::project ironic;
    ironic.name = "ironic";
    ironic.display = "Ironic";
    cfg.projects = {ironic};
    cfg.cve.api_root = cve->base() + "/api";
    cfg.cve.org = "vmtcna";
    cfg.cve.user = "vmt@example.org";
    cfg.cve.key_file = "cve.key";
    if (have_schema()) cfg.cve.schema_file = schema;
    cfg.tracker.retries = 1;
    cfg.tracker.backoff_ms = 10;
    write_key("k3y");
    BOOST_REQUIRE(fs::write_file_atomic(dir + "/OSSA-2026-012.yaml", advisory_yaml));
    st = std::move(store::store::open(dir + "/vmt.db", 2000).value());
    store::case_record c;
    c.id = "VMT-2026-001";
    c.title = "rce";
    c.created_at = c.updated_at = "2026-05-11T10:00:00Z";
    BOOST_REQUIRE(st->insert_case(c, 2026, 1));
  }
  ~fixture() { std::filesystem::remove_all(dir); }
  void write_key(const std::string& key, int mode = 0600) {
    BOOST_REQUIRE(fs::write_file_atomic(cfg.path("cve.key"), key + "\n"));
    ::chmod(cfg.path("cve.key").c_str(), mode);
  }
  json container() {
    auto c = cve::container_from_advisory(cfg, dir + "/OSSA-2026-012.yaml", "CVE-2026-1000");
    BOOST_REQUIRE_MESSAGE(c, (c ? "" : c.err().message()));
    return *c;
  }
};

// python3-jsonschema's verdict on a CNA container, against the shared bundled schema.
int python_validate(const std::string& dir, const json& c) {
  auto path = dir + "/container.json";
  BOOST_REQUIRE(fs::write_file_atomic(path, c.dump()));
  std::string cmd = "python3 -c 'import json,sys,jsonschema\n"
                    "s=json.load(open(sys.argv[1]))\n"
                    "[s.pop(k,None) for k in (\"oneOf\",\"required\",\"properties\",\"additionalProperties\")]\n"
                    "s[\"$ref\"]=\"#/definitions/cnaPublishedContainer\"\n"
                    "d=json.load(open(sys.argv[2])); d.setdefault(\"providerMetadata\",{\"orgId\":\"00000000-0000-4000-8000-000000000000\"})\n"
                    "e=list(jsonschema.Draft7Validator(s).iter_errors(d)); [print(x.message) for x in e]; sys.exit(1 if e else 0)' " +
                    schema + " " + path;
  return std::system(cmd.c_str());
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(containers_from_advisories_validate_against_the_schema, fixture) {
  auto c = container();
  BOOST_TEST(c["title"] == "Remote Code Execution in Ironic conductor when Anaconda driver enabled");
  BOOST_TEST(c["affected"][0]["product"] == "Ironic");
  BOOST_TEST(c["affected"][0]["vendor"] == "OpenStack");
  BOOST_TEST(c["affected"][0]["versions"].size() == 2u);
  BOOST_TEST(c["affected"][0]["versions"][1] ==
             json({{"version", "27.0.0"}, {"lessThan", "29.0.6"}, {"status", "affected"}, {"versionType", "python"}}));
  BOOST_TEST(c["affected"][1]["defaultStatus"] == "unknown");  // "all versions": free text, not comparable
  BOOST_TEST(c["references"][0]["url"] == "https://security.openstack.org/ossa/OSSA-2026-012.html");
  BOOST_TEST(!c.contains("providerMetadata"));  // CVE Services fills it in
  BOOST_TEST(c["credits"][0]["value"] == "Jane Doe (Example Corp)");
  BOOST_REQUIRE(cve::validate_container(cfg, c));
  // Refused before sending, with every problem named by its path.
  auto bad = c;
  bad.erase("references");
  bad["affected"][0].erase("vendor");
  bad["descriptions"][0]["lang"] = "fr";
  auto v = cve::validate_container(cfg, bad);
  BOOST_REQUIRE(!v);
  BOOST_TEST((v.err().kind == failure::data));
  BOOST_TEST(v.err().what.find("/references") != std::string::npos);
  BOOST_TEST(v.err().what.find("/affected/0") != std::string::npos);
  BOOST_TEST(v.err().what.find("English") != std::string::npos);
  if (!have_schema()) {
    BOOST_TEST_MESSAGE("SKIP the schema checks: " << schema << " is absent (present in CI, not in a user's clone)");
    return;
  }
  // The full schema catches what the structural check does not (a bad status value).
  auto odd = c;
  odd["affected"][0]["versions"][0]["status"] = "vulnerable";
  auto full = cve::validate_container(cfg, odd);
  BOOST_REQUIRE(!full);
  BOOST_TEST(full.err().what.find("[affected][0]") != std::string::npos, full.err().what);
  // A second opinion from python3-jsonschema on what we send, and on what we refuse.
  BOOST_TEST(python_validate(dir, c) == 0);
  BOOST_TEST(python_validate(dir, odd) != 0);
  // Every advisory of the corpus that names products becomes a valid container.
  int built = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(VMT_SHARED_DIR) + "/corpus/ossa/yaml")) {
    auto got = cve::container_from_advisory(cfg, e.path().string(), "");
    if (!got) continue;  // e.g. an advisory without a description
    if ((*got)["affected"].empty() || (*got)["references"].empty()) continue;
    auto ok = cve::validate_container(cfg, *got);
    BOOST_TEST(ok.ok(), e.path().filename().string() << ": " << (ok ? "" : ok.err().what));
    ++built;
  }
  BOOST_TEST(built > 0);
}

BOOST_FIXTURE_TEST_CASE(reserve_publish_and_look_first, fixture) {
  auto ids = cve::reserve(cfg, 2026, 1, tracker::http_options(cfg));
  BOOST_REQUIRE_MESSAGE(ids, (ids ? "" : ids.err().message()));
  BOOST_TEST(*ids == std::vector<std::string>{"CVE-2026-1001"});
  auto log = cve->log();
  BOOST_TEST(log[0]["path"] == "/api/cve-id");
  BOOST_TEST(log[0]["query"] == json({{"amount", "1"}, {"cve_year", "2026"}, {"short_name", "vmtcna"}}));
  BOOST_TEST(cve::reserve(cfg, 2026, 2, tracker::http_options(cfg))->size() == 2u);  // batch_type sent
  BOOST_REQUIRE(cve::publish(cfg, "CVE-2026-1000", container(), tracker::http_options(cfg)));
  BOOST_TEST(cve->trail(2) == (std::vector<std::string>{"GET /api/cve-id/CVE-2026-1000", "POST /api/cve/CVE-2026-1000/cna"}),
             boost::test_tools::per_element());
  BOOST_TEST(cve->log().back()["json"]["cnaContainer"]["descriptions"][0]["lang"] == "en");
  // Published already: looked up, not sent again.
  BOOST_REQUIRE(cve::publish(cfg, "CVE-2026-1000", container(), tracker::http_options(cfg)));
  BOOST_TEST(cve->trail(4) == std::vector<std::string>{"GET /api/cve-id/CVE-2026-1000"}, boost::test_tools::per_element());
  // An id CVE Services does not know.
  auto unknown = cve::publish(cfg, "CVE-2026-9999", container(), tracker::http_options(cfg));
  BOOST_REQUIRE(!unknown);
  BOOST_TEST((unknown.err().kind == failure::data));
  BOOST_TEST(unknown.err().what.find("CVE_ID_NOT_FOUND") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(publication_staged_for_the_disclosure_hour, fixture) {
  BOOST_REQUIRE(cve::stage_publish(cfg, *st, "VMT-2026-001", "CVE-2026-1000", container(), "2026-05-19T15:00:00Z"));
  BOOST_TEST(st->due_actions("2026-05-19T14:59:59Z").value().empty());
  auto due = st->due_actions("2026-05-19T15:00:00Z").value();
  BOOST_REQUIRE(due.size() == 1u);
  BOOST_TEST(due[0].kind == "cve-publish");
  BOOST_TEST(cve->count() == 0u);  // nothing was sent when staging
  // An outage at the hour: the action stays pending with the error, for the next watchdog run.
  cve->control({{"fail", {{{"method", "POST"}, {"path", "/cna"}, {"status", 503}, {"times", 2}}}}});
  auto first = cve::run_staged(cfg, *st, due[0]);
  BOOST_REQUIRE(!first);
  BOOST_TEST((first.err().kind == failure::temporary));
  auto again = st->due_actions("2026-05-19T15:05:00Z").value();
  BOOST_REQUIRE(again.size() == 1u);
  BOOST_TEST(again[0].attempts == 1);
  BOOST_TEST(again[0].last_error.find("503") != std::string::npos);
  BOOST_REQUIRE(cve::run_staged(cfg, *st, again[0]));
  BOOST_TEST(st->due_actions("2026-05-19T16:00:00Z").value().empty());
  BOOST_TEST(st->staged_actions("VMT-2026-001").value()[0].state == "done");
  auto events = st->case_events("VMT-2026-001").value();
  BOOST_REQUIRE(!events.empty());
  BOOST_TEST(events.back().summary.find("CVE-2026-1000 published") != std::string::npos);
  // An invalid container is refused when staging, not at the hour.
  auto bad = container();
  bad.erase("affected");
  BOOST_TEST(!cve::stage_publish(cfg, *st, "VMT-2026-001", "CVE-2026-1000", bad, "2026-05-19T15:00:00Z"));
  BOOST_TEST(!cve::stage_publish(cfg, *st, "VMT-2026-001", "CVE-2026-1000", container(), "tomorrow"));
}

BOOST_FIXTURE_TEST_CASE(credentials_are_checked_and_failures_classified, fixture) {
  write_key("wrong");
  auto r = cve::reserve(cfg, 2026, 1, tracker::http_options(cfg));
  BOOST_REQUIRE(!r);
  BOOST_TEST((r.err().kind == failure::permission));
  BOOST_TEST(r.err().what.find("UNAUTHORIZED") != std::string::npos);
  BOOST_TEST(r.err().fix.find("cve.key") != std::string::npos);
  write_key("k3y", 0644);
  auto loose = cve::reserve(cfg, 2026, 1, tracker::http_options(cfg));
  BOOST_REQUIRE(!loose);
  BOOST_TEST((loose.err().kind == failure::permission));
  write_key("k3y");
  auto cfg2 = cfg;
  cfg2.cve.org = "othercna";  // reserving for another organisation: 403
  auto other = cve::reserve(cfg2, 2026, 1, tracker::http_options(cfg2));
  BOOST_REQUIRE(!other);
  BOOST_TEST((other.err().kind == failure::permission));
  auto o = tracker::http_options(cfg);
  o.dry_run = true;
  std::string printed;
  o.print = [&](const std::string& s) { printed += s; };
  auto dry = cve::reserve(cfg, 2026, 1, o);
  BOOST_REQUIRE(dry);
  BOOST_TEST(printed.find("POST " + cve->base() + "/api/cve-id?amount=1") != std::string::npos);
  BOOST_TEST(printed.find("CVE-API-KEY: <redacted>") != std::string::npos);
  BOOST_TEST(printed.find("k3y") == std::string::npos);
  config::config none;
  BOOST_TEST((cve::reserve(none, 2026, 1, tracker::http_options(none)).err().kind == failure::config));
}
