// tracker_test: the embedded tracker keeps Launchpad's semantics: vocabularies, idempotent
// subscriptions, comments by key, CVE links, look-first by case.
#define BOOST_TEST_MODULE tracker
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "tracker/local.h"
#include "tracker/sync.h"

using namespace vmt;

namespace {
struct temp_tracker {
  std::string dir;
  std::unique_ptr<tracker::tracker> t;
  temp_tracker() {
    char d[] = "/tmp/vmt-tracker-XXXXXX";
    dir = ::mkdtemp(d);
    t = std::move(tracker::open_local(dir + "/tracker.db", 500, "https://bugs.example").value());
  }
  ~temp_tracker() { std::filesystem::remove_all(dir); }
  tracker::bug_ref make() {
    tracker::new_bug b;
    b.case_id = "VMT-2026-001";
    b.project = "nova";
    b.title = "token leak";
    b.description = "reminder\n\nreport";
    return t->create_bug(b).value();
  }
};
}  // namespace

BOOST_FIXTURE_TEST_CASE(private_bug_lifecycle, temp_tracker) {
  auto ref = make();
  BOOST_TEST(ref.url == "https://bugs.example/bugs/" + ref.id);
  BOOST_TEST(t->find_bug_for_case("VMT-2026-001", "nova").value()->id == ref.id);
  BOOST_TEST(!t->find_bug_for_case("VMT-2026-002", "nova").value());
  BOOST_REQUIRE(t->ensure_task(ref.id, "ossa", "Incomplete"));
  BOOST_REQUIRE(t->subscribe(ref.id, "nova-coresec"));
  BOOST_REQUIRE(t->subscribe(ref.id, "nova-coresec"));
  BOOST_REQUIRE(t->comment(ref.id, "reception", "incomplete"));
  BOOST_REQUIRE(t->comment(ref.id, "reception", "incomplete"));
  BOOST_REQUIRE(t->link_cve(ref.id, "CVE-2026-1234"));
  BOOST_REQUIRE(t->link_cve(ref.id, "CVE-2026-9999"));    // recorded in error...
  BOOST_REQUIRE(t->unlink_cve(ref.id, "CVE-2026-9999"));  // ...and withdrawn
  BOOST_REQUIRE(t->unlink_cve(ref.id, "CVE-2026-9999"));
  BOOST_REQUIRE(t->set_task_status(ref.id, "ossa", "Confirmed"));
  BOOST_REQUIRE(t->set_title(ref.id, "token leak (CVE-2026-1234)"));
  BOOST_REQUIRE(t->attach(ref.id, "cve-2026-1234-master.patch", "diff", true, "patch"));
  BOOST_REQUIRE(t->attach(ref.id, "cve-2026-1234-master.patch", "diff", true, "patch"));
  BOOST_REQUIRE(t->set_information_type(ref.id, "Public Security"));
  auto b = t->get_bug(ref.id).value();
  BOOST_TEST(b.title == "token leak (CVE-2026-1234)");
  BOOST_TEST(b.information_type == "Public Security");
  BOOST_TEST(b.subscribers.size() == 1u);
  BOOST_TEST(b.comments.size() == 1u);
  BOOST_TEST(b.attachments.size() == 1u);
  BOOST_TEST(b.cves == std::vector<std::string>{"CVE-2026-1234"});
  BOOST_REQUIRE(b.tasks.size() == 2u);
  BOOST_TEST(b.tasks[0].first == "nova");
  BOOST_TEST(b.tasks[0].second == "New");
  BOOST_TEST(b.tasks[1].second == "Confirmed");
}

BOOST_FIXTURE_TEST_CASE(refuses_what_launchpad_refuses, temp_tracker) {
  auto ref = make();
  BOOST_TEST(!t->set_task_status(ref.id, "ossa", "Fixed"));          // no such status
  BOOST_TEST(!t->set_task_status(ref.id, "swift", "Confirmed"));     // no such task
  BOOST_TEST(!t->set_information_type(ref.id, "Secret"));
  BOOST_TEST(!t->set_title(ref.id, std::string(201, 'x')));
  BOOST_TEST(!t->attach(ref.id, "a/b.patch", "x", true, ""));
  auto missing = t->get_bug("999");
  BOOST_REQUIRE(!missing);
  BOOST_TEST((missing.err().kind == failure::data));
  BOOST_TEST(!t->get_bug("abc"));
}

// The title the process wants is computed from the bare title, so applying it again (vmt tracker
// sync after cve-assign or disclose) never stacks decorations: found "(CVE-...) (CVE-...)" and
// "[OSSA-...] [OSSA-...]".
BOOST_AUTO_TEST_CASE(process_titles_are_decorated_once) {
  vmt::store::case_record c;
  c.title = "token leak in logs";
  c.is_private = true;
  c.cve = "CVE-2026-1234";
  auto with_cve = vmt::tracker::process_title(c);
  BOOST_TEST(with_cve == "token leak in logs (CVE-2026-1234)");
  c.title = with_cve;  // what an older version stored
  BOOST_TEST(vmt::tracker::process_title(c) == with_cve);
  c.cve = "CVE-2026-99998";  // replaced: the old id goes, the new one comes once
  BOOST_TEST(vmt::tracker::process_title(c) == "token leak in logs (CVE-2026-99998)");
  c.is_private = false;
  c.advisory_id = "OSSA-2026-001";
  auto disclosed = vmt::tracker::process_title(c);
  BOOST_TEST(disclosed == "[OSSA-2026-001] token leak in logs");
  c.title = "[OSSA-2026-001] [OSSA-2026-001] token leak in logs (CVE-2026-1234) (CVE-2026-1234)";
  BOOST_TEST(vmt::tracker::process_title(c) == disclosed);
}
