// tmpl_test: templates render from the operator's folder first, values are never re-expanded,
// mail templates split into subject and body.
#define BOOST_TEST_MODULE tmpl
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "core/fs.h"
#include "tmpl/tmpl.h"

using namespace vmt;

BOOST_AUTO_TEST_CASE(operator_folder_overrides_shipped_template) {
  char t[] = "/tmp/vmt-tmpl-XXXXXX";
  std::string dir = ::mkdtemp(t);
  BOOST_REQUIRE(fs::make_private_dir(dir + "/reception"));
  BOOST_REQUIRE(fs::write_file_atomic(dir + "/reception/incomplete.tpl", "Our own words.\n"));
  tmpl::engine e({dir, std::string(VMT_SOURCE_DIR) + "/templates"});
  tmpl::dictionary d;
  BOOST_TEST(*e.render("reception/incomplete.tpl", d) == "Our own words.\n");
  auto shipped = e.render("reception/embargo-reminder.tpl", d);
  BOOST_REQUIRE(shipped);
  BOOST_TEST(shipped->rfind("This issue is being treated", 0) == 0);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(values_are_not_re_expanded) {
  tmpl::engine e({std::string(VMT_SOURCE_DIR) + "/templates"});
  tmpl::dictionary d;
  d.set("VENDOR", "{{TEAM_NAME}}").set("TEAM_NAME", "T").set("NINETY_DAYS", "{{#X}}2026-08-09{{/X}}");
  auto out = e.render("reception/embargo-reminder.tpl", d);
  BOOST_REQUIRE(out);
  BOOST_TEST(out->find("publication by the {{TEAM_NAME}} T in the") != std::string::npos);
  BOOST_TEST(out->find("not extend past {{#X}}2026-08-09{{/X}} and") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(seed_reminder_text_with_openstack_defaults) {
  tmpl::engine e({std::string(VMT_SOURCE_DIR) + "/templates"});
  tmpl::dictionary d;
  d.set("VENDOR", "OpenStack").set("TEAM_NAME", "Vulnerability Management Team").set("NINETY_DAYS", "2026-08-09");
  auto out = e.render("reception/embargo-reminder.tpl", d);
  BOOST_TEST(out->find("publication by the OpenStack Vulnerability Management Team in the\n"
                       "form of an official OpenStack Security Advisory.") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(mail_template_has_subject_and_body) {
  tmpl::engine e({std::string(VMT_SOURCE_DIR) + "/templates"});
  tmpl::dictionary d;
  d.set("CASE_ID", "VMT-2026-001").set("VENDOR", "OpenStack").set("TEAM_NAME", "Vulnerability Management Team");
  d.set("REPORTER_NAME", "Jane").set("EMBARGO_END", "2026-08-09").set("REPORTER_KEY", "ABCD");
  d.show("HAS_NAME").show("ENCRYPTED");
  auto m = tmpl::render_mail(e, "reception/ack.tpl", d);
  BOOST_REQUIRE_MESSAGE(m, (m ? "" : m.err().message()));
  BOOST_TEST(m->subject == "[VMT-2026-001] Your report to the OpenStack Vulnerability Management Team");
  BOOST_TEST(m->body.rfind("Hello Jane,\n", 0) == 0);
  BOOST_TEST(m->body.find("encrypted to your OpenPGP key\nABCD.") != std::string::npos);
  BOOST_TEST(m->body.find("We do not have an OpenPGP key") == std::string::npos);
  BOOST_TEST(m->body.find("\n\n\n") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_template_names_the_folders) {
  tmpl::engine e({"/nonexistent"});
  tmpl::dictionary d;
  auto r = e.render("x.tpl", d);
  BOOST_REQUIRE(!r);
  BOOST_TEST((r.err().kind == failure::config));
  BOOST_TEST(r.err().what.find("/nonexistent") != std::string::npos);
}
