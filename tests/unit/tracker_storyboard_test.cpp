// tracker_storyboard_test: the StoryBoard backend against a protocol-faithful fake StoryBoard
// (tests/fakes/fake_storyboard.py): the exact requests of a case lifecycle from the real reception
// on, read-modify-write of the story's access lists (a PUT replaces them), 409 for a duplicate
// subscription, 401/404 classification, the token file check, status mapping and dry-run.
#define BOOST_TEST_MODULE tracker_storyboard
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <filesystem>

#include "core/fs.h"
#include "fake_server.h"
#include "intake/reception.h"
#include "tracker/storyboard.h"

using namespace vmt;
using strings = std::vector<std::string>;

namespace {

intake::analysis fake_analyze(std::string_view) {
  intake::analysis a;
  a.message_id = "r1@example.net";
  a.subject = "[nova] token leak in logs";
  a.from.mailboxes.push_back({"Jane Doe", "jane@example.net"});
  a.from.header_count = 1;
  a.from.well_formed = true;
  a.encrypted = true;
  a.decrypt = intake::decryption::ok;
  a.body = "SECRET-DETAIL: the token is logged.\n";
  a.attachments.push_back({"poc.txt", "text/plain", "curl -v http://nova/...\n", true, false});
  return a;
}

struct fixture {
  test::fake_server sb{"fake_storyboard.py"};
  std::string dir;
  config::config cfg;
  std::unique_ptr<store::store> st;
  std::unique_ptr<tmpl::engine> templates;
  std::unique_ptr<intake::reception> rec;
  std::string printed;

  fixture() {
    ::setenv("VMT_NOW", "2026-05-11T10:00:00Z", 1);
    char d[] = "/tmp/vmt-sb-XXXXXX";
    dir = ::mkdtemp(d);
    cfg.file = dir + "/vmt.yaml";
    cfg.base = dir;
    cfg.team.address = "security@example.org";
    config::project nova;
    nova.name = "openstack/nova";
    nova.subject_tags = {"[nova]"};
    nova.security_team = "nova-coresec";
    cfg.projects = {nova};
    cfg.tracker.kind = "storyboard";
    cfg.tracker.api_root = sb.base() + "/api/v1";
    cfg.tracker.web_root = "https://storyboard.test";
    cfg.tracker.ossa_project = "openstack/ossa";
    cfg.tracker.token_file = "storyboard.token";
    cfg.tracker.timeout_s = 5;
    cfg.tracker.retries = 1;
    cfg.tracker.backoff_ms = 10;
    write_token("sbtok");
    st = std::move(store::store::open(dir + "/vmt.db", 2000).value());
    templates = std::make_unique<tmpl::engine>(strings{std::string(VMT_SOURCE_DIR) + "/templates"});
    rec = std::make_unique<intake::reception>(intake::make_reception(cfg, *st, *templates));
    rec->analyze = [](std::string_view raw) -> result<intake::analysis> { return fake_analyze(raw); };
    rec->compose = [](const intake::outgoing_mail& m) -> result<std::pair<std::string, std::string>> {
      return std::make_pair("Subject: " + m.subject + "\n\n" + m.body, m.message_id);
    };
  }
  ~fixture() { std::filesystem::remove_all(dir); }

  void write_token(const std::string& token, int mode = 0600) {
    auto path = cfg.path(cfg.tracker.token_file);
    BOOST_REQUIRE(fs::write_file_atomic(path, token + "\n"));
    ::chmod(path.c_str(), mode);
  }
  std::unique_ptr<tracker::tracker> open(bool dry_run = false) {
    auto o = tracker::http_options(cfg);
    o.dry_run = dry_run;
    o.print = [this](const std::string& s) { printed += s; };
    return std::move(tracker::open_storyboard(cfg, o).value());
  }
  result<intake::receipt> deliver(const std::string& raw) {
    auto s = intake::spool_bytes(raw, dir + "/spool");
    if (!s) return std::move(s).err();
    return intake::receive(*rec, *s);
  }
};

const std::string api = "/api/v1";

}  // namespace

BOOST_AUTO_TEST_CASE(whole_case_lifecycle_makes_exactly_these_requests) {
  fixture f;
  auto r = f.deliver("Subject: x\n\nreport\n");
  BOOST_REQUIRE_MESSAGE(r, (r ? "" : r.err().message()));
  auto c = f.st->find_case(r->case_id).value().value();
  const auto id = c.tracker_bug;
  const auto s = api + "/stories/" + id;
  BOOST_TEST(c.tracker_url == "https://storyboard.test/#!/story/" + id);
  BOOST_TEST(f.sb.trail() == (strings{
      "GET " + api + "/stories",                       // look first, by the case tag
      "GET " + api + "/projects", "POST " + api + "/stories", "PUT " + s + "/tags", "POST " + s + "/tasks",
      "POST " + api + "/subscriptions",                // follow it ourselves
      "GET " + api + "/projects", "GET " + s + "/tasks", "POST " + s + "/tasks",          // the ossa task, todo
      "GET " + api + "/teams", "GET " + s, "PUT " + s,                                   // the team joins the ACL
      "GET " + s + "/comments", "POST " + s + "/comments",                              // reception comment
      "GET " + s + "/comments", "POST " + s + "/comments"}),                            // the PoC, as a comment
      boost::test_tools::per_element());
  auto log = f.sb.log();
  BOOST_TEST(log[2]["json"] == nlohmann::json({{"title", "[nova] token leak in logs"},
                                               {"description", log[2]["json"]["description"]},
                                               {"private", true}}));
  BOOST_TEST(log[2]["authorization"] == "Bearer sbtok");
  BOOST_TEST(log[2]["status"] == 200);  // WSME answers 200, not 201
  BOOST_TEST(log[3]["json"] == nlohmann::json::array({"vmt-case-vmt-2026-001"}));
  BOOST_TEST(log[8]["json"]["status"] == "todo");
  BOOST_TEST(log[8]["json"]["project_id"] == 2);
  // Read-modify-write: the PUT carries the creator already on the list and the team.
  BOOST_TEST(log[11]["json"] == nlohmann::json({{"users", {{{"id", 1}}}}, {"teams", {{{"id", 10}}}}}));

  auto t = f.open();
  std::size_t mark = f.sb.count();
  auto step = [&](const char* what, const vmt::status& st, const strings& want) {
    BOOST_TEST_CONTEXT(what) {
      BOOST_REQUIRE_MESSAGE(st, (st ? "" : st.err().message()));
      BOOST_TEST(f.sb.trail(mark) == want, boost::test_tools::per_element());
    }
    mark = f.sb.count();
  };
  step("confirm", t->set_task_status(id, "openstack/ossa", "Confirmed"),
       {"GET " + api + "/projects", "GET " + s + "/tasks", "PUT " + api + "/tasks/104"});
  step("give a stakeholder access", t->subscribe(id, "alice@example.org"),
       {"GET " + api + "/teams", "GET " + api + "/users", "GET " + s, "PUT " + s});
  BOOST_TEST(f.sb.log().back()["json"] ==
             nlohmann::json({{"users", {{{"id", 1}}, {{"id", 2}}}}, {"teams", {{{"id", 10}}}}}));
  step("again: nothing written", t->subscribe(id, "alice@example.org"),
       {"GET " + api + "/teams", "GET " + api + "/users", "GET " + s});
  step("attach a patch", t->attach(id, "cve-2026-0001-master.patch", "diff --git a b\n", true, "Proposed patch"),
       {"GET " + s + "/comments", "POST " + s + "/comments"});
  step("CVE as a comment", t->link_cve(id, "CVE-2026-0001"), {"GET " + s + "/comments", "POST " + s + "/comments"});
  step("again: nothing", t->link_cve(id, "CVE-2026-0001"), {"GET " + s + "/comments"});
  step("retitle", t->set_title(id, "[nova] token leak in logs (CVE-2026-0001)"), {"GET " + s, "PUT " + s});
  step("retitle", t->set_title(id, "[OSSA-2026-001] [nova] token leak in logs"), {"GET " + s, "PUT " + s});
  step("remove the reminder", t->set_description(id, "the report only"), {"GET " + s, "PUT " + s});
  step("open the story", t->set_information_type(id, "Public Security"), {"GET " + s, "PUT " + s});
  BOOST_TEST(f.sb.log().back()["json"] == nlohmann::json({{"private", false}}));

  auto b = t->get_bug(id).value();
  BOOST_TEST(b.title == "[OSSA-2026-001] [nova] token leak in logs");
  BOOST_TEST(b.information_type == "Public Security");
  BOOST_TEST(b.subscribers == (strings{"nova-coresec", "vmt@example.org", "alice@example.org"}),
             boost::test_tools::per_element());
  BOOST_TEST(b.cves == strings{"CVE-2026-0001"});
  BOOST_TEST(b.attachments == (strings{"poc.txt", "cve-2026-0001-master.patch"}), boost::test_tools::per_element());
  BOOST_TEST(b.tags == strings{"vmt-case-vmt-2026-001"});
  BOOST_REQUIRE(b.tasks.size() == 2u);
  BOOST_TEST(b.tasks[1].first == "openstack/ossa");
  BOOST_TEST(b.tasks[1].second == "Confirmed");  // inprogress, read back in Launchpad's words
}

BOOST_AUTO_TEST_CASE(look_first_409_and_a_concurrent_acl_change) {
  fixture f;
  BOOST_REQUIRE(f.deliver("Subject: x\n\nreport\n"));
  auto c = f.st->find_case("VMT-2026-001").value().value();
  auto q = f.st->raw().prepare("DELETE FROM tracker_ops WHERE case_id = 'VMT-2026-001'").value();
  BOOST_REQUIRE(q.run());
  auto mark = f.sb.count();
  BOOST_REQUIRE(intake::complete_case_reception(*f.rec, "VMT-2026-001"));
  auto trail = f.sb.trail(mark);
  BOOST_TEST(std::count(trail.begin(), trail.end(), "POST " + api + "/stories") == 0);
  BOOST_TEST(std::count(trail.begin(), trail.end(), "POST " + api + "/stories/" + c.tracker_bug + "/comments") == 0);
  BOOST_TEST(std::count(trail.begin(), trail.end(), "PUT " + api + "/stories/" + c.tracker_bug) == 0);

  // A StoryBoard that subscribes creators itself answers our own subscription with 409: fine.
  f.sb.control({{"autosubscribe", true}});
  auto t = f.open();
  auto ref = t->create_bug({"VMT-2026-002", "openstack/nova", "second", "text", "Private Security"});
  BOOST_REQUIRE_MESSAGE(ref, (ref ? "" : ref.err().message()));
  BOOST_TEST(f.sb.log().back()["status"] == 409);

  // Someone replaces the access lists right after our PUT: we read again and write the union again.
  f.sb.control({{"acl_race", 1}});
  mark = f.sb.count();
  const auto s = api + "/stories/" + ref->id;
  BOOST_REQUIRE(t->subscribe(ref->id, "swift-coresec"));
  BOOST_TEST(f.sb.trail(mark) == (strings{"GET " + api + "/teams", "GET " + s, "PUT " + s, "GET " + s, "PUT " + s}),
             boost::test_tools::per_element());
  BOOST_TEST(t->get_bug(ref->id).value().subscribers == (strings{"swift-coresec", "vmt@example.org"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(bytes_that_are_not_utf8_never_abort_a_request) {
  fixture f;
  auto t = f.open();
  auto ref = t->create_bug({"VMT-2026-001", "openstack/nova", "first", "text", "Private Security"});
  BOOST_REQUIRE_MESSAGE(ref, (ref ? "" : ref.err().message()));
  // A git patch whose author line is Latin-1 is a file, not comment text: kept with the case.
  auto attached = t->attach(ref->id, "cve-2026-0001-master.patch", "From: Ren\xe9 <r@example.org>\n", true, "");
  BOOST_REQUIRE_MESSAGE(attached, (attached ? "" : attached.err().message()));
  auto content = f.sb.log().back()["json"]["content"].get<std::string>();
  BOOST_TEST(content.find("StoryBoard cannot hold files") != std::string::npos);
  BOOST_TEST(content.find("Ren") == std::string::npos);
  // A stray byte that reached a title anyway is replaced, and the request is still JSON.
  BOOST_REQUIRE(t->set_title(ref->id, "bad \xff title"));
  BOOST_TEST(f.sb.log().back()["json"]["title"] == "bad \xEF\xBF\xBD title");
}

BOOST_AUTO_TEST_CASE(failures_are_classified) {
  fixture f;
  auto t = f.open();
  auto ref = t->create_bug({"VMT-2026-001", "openstack/nova", "title", "text", "Private Security"}).value();
  {
    f.write_token("nobody");  // an unknown token: reads as a guest, writes refused with 401
    auto bad = f.open()->set_title(ref.id, "x");
    BOOST_REQUIRE(!bad);
    BOOST_TEST(bad.err().what.find("HTTP 404") != std::string::npos);  // a guest cannot see the private story
    auto create = f.open()->create_bug({"VMT-2026-002", "openstack/nova", "title", "text", "Private Security"});
    BOOST_REQUIRE(!create);
    BOOST_TEST((create.err().kind == failure::permission));
    BOOST_TEST(create.err().fix.find("Tokens") != std::string::npos);
  }
  {
    f.write_token("alicetok");  // a user outside the story's lists: 404, and the message says why
    auto hidden = f.open()->get_bug(ref.id);
    BOOST_REQUIRE(!hidden);
    BOOST_TEST(hidden.err().fix.find("users list or one of its teams") != std::string::npos);
    BOOST_TEST(hidden.err().what.find("Story " + ref.id + " not found") != std::string::npos);  // WSME faultstring
  }
  f.write_token("sbtok");
  BOOST_TEST((t->ensure_task(ref.id, "openstack/nope", "Incomplete").err().kind == failure::data));
  BOOST_TEST((t->subscribe(ref.id, "no-such-team").err().kind == failure::data));
  BOOST_TEST((t->set_task_status(ref.id, "openstack/nova", "Fixed").err().kind == failure::data));
  f.sb.control({{"fail", {{{"method", "POST"}, {"path", "/comments"}, {"status", 500}, {"times", 1}}}}});
  auto down = t->comment(ref.id, "k", "text");
  BOOST_REQUIRE(!down);
  BOOST_TEST((down.err().kind == failure::temporary));  // not resent: a comment is not idempotent
  f.write_token("sbtok", 0640);
  auto loose = f.open()->get_bug(ref.id);
  BOOST_REQUIRE(!loose);
  BOOST_TEST((loose.err().kind == failure::permission));
}

BOOST_AUTO_TEST_CASE(statuses_map_both_ways_and_dry_run_sends_no_write) {
  BOOST_TEST(tracker::storyboard_status("Incomplete") == "todo");
  BOOST_TEST(tracker::storyboard_status("Confirmed") == "inprogress");
  BOOST_TEST(tracker::storyboard_status("Triaged") == "review");
  BOOST_TEST(tracker::storyboard_status("Fix Released") == "merged");
  BOOST_TEST(tracker::storyboard_status("Won't Fix") == "invalid");
  BOOST_TEST(tracker::launchpad_status("review") == "Triaged");
  fixture f;
  auto t = f.open(true);
  BOOST_TEST(t->canonical("status", "In Progress") == "Confirmed");
  BOOST_TEST(t->canonical("information_type", "Public") == "Public Security");
  auto ref = t->create_bug({"VMT-2026-001", "openstack/nova", "title", "text", "Private Security"});
  BOOST_REQUIRE_MESSAGE(ref, (ref ? "" : ref.err().message()));
  BOOST_REQUIRE(t->subscribe(ref->id, "nova-coresec"));
  for (const auto& line : f.sb.trail()) BOOST_TEST(line.rfind("GET ", 0) == 0);
  BOOST_TEST(f.printed.find("dry-run: would send POST " + f.sb.base() + "/api/v1/stories\n") != std::string::npos);
  BOOST_TEST(f.printed.find("Authorization: <redacted>") != std::string::npos);
  BOOST_TEST(f.printed.find("sbtok") == std::string::npos);
}
