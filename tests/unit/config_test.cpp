// config_test: the shipped example loads; mistakes are refused with file, line, field and fix.
#define BOOST_TEST_MODULE config
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "config/config.h"
#include "core/fs.h"

using namespace vmt;

namespace {
struct temp_config {
  std::string dir, file;
  explicit temp_config(const std::string& yaml) {
    char t[] = "/tmp/vmt-config-XXXXXX";
    dir = ::mkdtemp(t);
    file = dir + "/vmt.yaml";
    (void)fs::write_file_atomic(file, yaml);
  }
  ~temp_config() { std::filesystem::remove_all(dir); }
};
}  // namespace

BOOST_AUTO_TEST_CASE(shipped_example_is_valid) {
  auto c = config::load(std::string(VMT_SOURCE_DIR) + "/config/vmt.yaml.example");
  BOOST_REQUIRE_MESSAGE(c, (c ? "" : c.err().message()));
  BOOST_TEST(c->team.address == "security@example.org");
  BOOST_TEST(c->projects.size() == 1u);
  BOOST_TEST(c->projects[0].branches.size() == 6u);
  BOOST_TEST(c->projects[0].branches[1].git_ref == "stable/2026.1");
  BOOST_TEST(c->projects[0].branches[5].git_ref == "unmaintained/2023.2");
  BOOST_TEST(c->disclosure.holidays.size() == 2u);
  BOOST_TEST(c->disclosure.holidays[1].to == "2026-05-25");
  BOOST_TEST(c->linux_distros->encrypt);
  BOOST_TEST(c->disclosure.weekdays == (std::vector<int>{2, 3, 4}));
}

BOOST_AUTO_TEST_CASE(minimal_config_gets_defaults) {
  temp_config t("team: {address: sec@example.org}\n");
  auto c = config::load(t.file);
  BOOST_REQUIRE(c);
  BOOST_TEST(c->tracker.kind == "local");
  BOOST_TEST(c->embargo.days == 90);
  BOOST_TEST(c->disclosure.hour_utc == 15);
  BOOST_TEST(c->path("vmt.db") == t.dir + "/vmt.db");
}

BOOST_AUTO_TEST_CASE(unknown_setting_names_line_and_field) {
  temp_config t("team:\n  address: sec@example.org\n  adress: typo@example.org\n");
  auto c = config::load(t.file);
  BOOST_REQUIRE(!c);
  BOOST_TEST((c.err().kind == failure::config));
  BOOST_TEST(c.err().where == t.file + ":3: team.adress");
  BOOST_TEST(c.err().fix.find("address") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(wrong_values_are_explained) {
  temp_config a("team: {address: sec@example.org}\ntracker: {kind: jira}\n");
  auto c = config::load(a.file);
  BOOST_REQUIRE(!c);
  BOOST_TEST(c.err().where.find("tracker.kind") != std::string::npos);
  BOOST_TEST(c.err().fix == "use local, launchpad or storyboard");

  temp_config b("team: {address: not-an-address}\n");
  BOOST_TEST(config::load(b.file).err().where.find("team.address") != std::string::npos);

  temp_config k("team: {address: a@b.org}\nlinux_distros: {email: d@b.org}\n");
  auto ck = config::load(k.file);
  BOOST_REQUIRE(!ck);
  BOOST_TEST(ck.err().where.find("linux_distros.key") != std::string::npos);

  temp_config h("team: {address: a@b.org}\ndisclosure: {holidays: [{from: 2026-02-30}]}\n");
  BOOST_TEST(config::load(h.file).err().what.find("not a date") != std::string::npos);

  temp_config y("team: {address: a@b.org\n");
  auto cy = config::load(y.file);
  BOOST_REQUIRE(!cy);
  BOOST_TEST(cy.err().what.find("not valid YAML") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_file_is_no_input) {
  auto c = config::load("/nonexistent/vmt.yaml");
  BOOST_REQUIRE(!c);
  BOOST_TEST((c.err().kind == failure::no_input));
  BOOST_TEST(c.err().fix.find("vmt init") != std::string::npos);
}
