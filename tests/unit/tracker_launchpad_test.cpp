// tracker_launchpad_test: the Launchpad backend against a protocol-faithful fake Launchpad
// (tests/fakes/fake_launchpad.py on 127.0.0.1): the exact requests of a whole case lifecycle,
// starting with the real reception code, idempotency (look first), failure classification, the
// traps the API documents, the OAuth login exchange, the token file check and dry-run.
#define BOOST_TEST_MODULE tracker_launchpad
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <filesystem>

#include "core/fs.h"
#include "fake_server.h"
#include "intake/reception.h"
#include "tracker/launchpad.h"
#include "tracker/sync.h"

using namespace vmt;
using strings = std::vector<std::string>;

namespace {

const char* report_subject = "[nova] token leak in logs";

// The message reader is replaced: these tests are about the tracker, not about mail.
intake::analysis fake_analyze(std::string_view raw) {
  intake::analysis a;
  a.message_id = std::string(raw).find("second") != std::string::npos ? "r2@example.net" : "r1@example.net";
  a.subject = report_subject;
  a.from.mailboxes.push_back({"Jane Doe", "jane@example.net"});
  a.from.header_count = 1;
  a.from.well_formed = true;
  a.to.push_back({"", "security@example.org"});
  a.encrypted = true;
  a.decrypt = intake::decryption::ok;
  a.body = "SECRET-DETAIL: the token is logged.\n";
  a.attachments.push_back({"poc.txt", "text/plain", "curl -v http://nova/...\n", true, false});
  return a;
}

struct fixture {
  std::unique_ptr<test::fake_server> lp;
  std::string dir;
  config::config cfg;
  std::unique_ptr<store::store> st;
  std::unique_ptr<tmpl::engine> templates;
  std::unique_ptr<intake::reception> rec;
  std::string printed;

  explicit fixture(std::vector<std::string> fake_args = {}) {
    ::setenv("VMT_NOW", "2026-05-11T10:00:00Z", 1);
    lp = std::make_unique<test::fake_server>("fake_launchpad.py", fake_args);
    char d[] = "/tmp/vmt-lp-XXXXXX";
    dir = ::mkdtemp(d);
    cfg.file = dir + "/vmt.yaml";
    cfg.base = dir;
    cfg.team.address = "security@example.org";
    config::project nova;
    nova.name = "nova";
    nova.display = "Nova";
    nova.subject_tags = {"[nova]"};
    nova.security_team = "nova-coresec";
    cfg.projects = {nova};
    cfg.tracker.kind = "launchpad";
    cfg.tracker.api_root = lp->base() + "/devel/";
    cfg.tracker.auth_root = lp->base();
    cfg.tracker.web_root = "https://bugs.launchpad.test";
    cfg.tracker.token_file = "launchpad.token";
    cfg.tracker.timeout_s = 2;
    cfg.tracker.retries = 2;
    cfg.tracker.backoff_ms = 10;
    write_token("tok", "sec");
    st = std::move(store::store::open(dir + "/vmt.db", 2000).value());
    templates = std::make_unique<tmpl::engine>(strings{std::string(VMT_SOURCE_DIR) + "/templates"});
    rec = std::make_unique<intake::reception>(intake::make_reception(cfg, *st, *templates));
    rec->analyze = [](std::string_view raw) -> result<intake::analysis> { return fake_analyze(raw); };
    rec->compose = [](const intake::outgoing_mail& m) -> result<std::pair<std::string, std::string>> {
      return std::make_pair("Subject: " + m.subject + "\n\n" + m.body, m.message_id);
    };
  }
  ~fixture() { std::filesystem::remove_all(dir); }

  void write_token(const std::string& token, const std::string& secret, int mode = 0600) {
    auto path = cfg.path(cfg.tracker.token_file);
    BOOST_REQUIRE(fs::write_file_atomic(path, tracker::launchpad_credentials_text({"vmt", "", token, secret})));
    ::chmod(path.c_str(), mode);
  }

  std::unique_ptr<tracker::tracker> open(bool dry_run = false) {
    auto o = tracker::http_options(cfg);
    o.dry_run = dry_run;
    o.print = [this](const std::string& s) { printed += s; };
    return std::move(tracker::open_launchpad(cfg, o).value());
  }

  result<intake::receipt> deliver(const std::string& raw) {
    auto s = intake::spool_bytes(raw, dir + "/spool");
    if (!s) return std::move(s).err();
    return intake::receive(*rec, *s);
  }

  // The requests made since `mark`, as "METHOD /path [ws.op]".
  strings since(std::size_t mark) { return lp->trail(mark); }
};

std::string bug_path(const std::string& id) { return "/devel/bugs/" + id; }

}  // namespace

BOOST_AUTO_TEST_CASE(whole_case_lifecycle_makes_exactly_these_requests) {
  fixture f;
  // Reception, by the real reception code, against the fake Launchpad.
  auto r = f.deliver("Subject: x\n\nfirst report\n");
  BOOST_REQUIRE_MESSAGE(r, (r ? "" : r.err().message()));
  auto c = f.st->find_case(r->case_id).value().value();
  const auto id = c.tracker_bug;
  const auto b = bug_path(id);
  BOOST_TEST(c.tracker_kind == "launchpad");
  BOOST_TEST(c.tracker_url == "https://bugs.launchpad.test/bugs/" + id);
  BOOST_TEST(f.since(0) == (strings{
      "GET /devel/nova searchTasks",                                                   // look first
      "POST /devel/bugs createBug", "GET " + b,                                         // 201 + Location, then GET
      "GET " + b, "GET " + b + "/bug_tasks", "POST " + b + " addTask", "GET /devel/ossa/+bug/" + id,
      "PATCH /devel/ossa/+bug/" + id,                                                   // addTask cannot set status
      "POST " + b + " subscribe",                                                       // core security team
      "GET " + b, "GET " + b + "/messages", "POST " + b + " newMessage",                // reception comment
      "GET " + b, "GET " + b + "/attachments", "POST " + b + " addAttachment"}),        // the report's PoC
      boost::test_tools::per_element());

  // Request shapes: OAuth PLAINTEXT, JSON-encoded form values, absolute references, enums raw.
  auto log = f.lp->log();
  const auto& create = log[1];
  BOOST_TEST(create["auth"] == "oauth");
  BOOST_TEST(create["authorization"].get<std::string>().find("oauth_signature=\"%26sec\"") != std::string::npos);
  BOOST_TEST(create["authorization"].get<std::string>().find("oauth_signature_method=\"PLAINTEXT\"") != std::string::npos);
  BOOST_TEST(create["form"]["target"] == "\"" + f.lp->base() + "/devel/nova\"");
  BOOST_TEST(create["form"]["title"] == "\"[nova] token leak in logs\"");
  BOOST_TEST(create["form"]["information_type"] == "Private Security");
  BOOST_TEST(create["form"]["tags"] == "[\"vmt-case-vmt-2026-001\"]");
  BOOST_TEST(create["form"]["description"].get<std::string>().find("SECRET-DETAIL") != std::string::npos);
  BOOST_TEST(create["status"] == 201);
  BOOST_TEST(log[7]["json"] == nlohmann::json({{"status", "Incomplete"}}));
  BOOST_TEST(log[7]["if-match"].is_string());
  BOOST_TEST(log[8]["form"]["person"] == "\"" + f.lp->base() + "/devel/~nova-coresec\"");
  BOOST_TEST(log[14]["form"]["data"]["filename"] == "poc.txt");
  BOOST_TEST(log[14]["form"]["is_patch"] == "false");
  BOOST_TEST(log[14]["content_type"].get<std::string>().rfind("multipart/form-data", 0) == 0);

  // The rest of the process, as the workflow verbs drive it through the interface.
  auto t = f.open();
  std::size_t mark = f.lp->count();
  auto step = [&](const char* what, const vmt::status& s, const strings& want) {
    BOOST_TEST_CONTEXT(what) {
      BOOST_REQUIRE_MESSAGE(s, (s ? "" : s.err().message()));
      BOOST_TEST(f.since(mark) == want, boost::test_tools::per_element());
    }
    mark = f.lp->count();
  };
  step("confirm", t->set_task_status(id, "ossa", "Confirmed"),
       {"GET " + b, "GET " + b + "/bug_tasks", "PATCH /devel/ossa/+bug/" + id});
  step("subscribe a stakeholder", t->subscribe(id, "alice"), {"POST " + b + " subscribe"});
  // Three messages now (description, reception comment, attachment comment): two pages of two.
  step("comment", t->comment(id, "impact", "Impact description draft"),
       {"GET " + b, "GET " + b + "/messages", "GET " + b + "/messages", "POST " + b + " newMessage"});
  step("comment again: nothing", t->comment(id, "impact", "Impact description draft"),
       {"GET " + b, "GET " + b + "/messages", "GET " + b + "/messages"});
  step("attach a patch", t->attach(id, "cve-2026-0001-master.patch", "diff --git a b\n", true, "Proposed patch"),
       {"GET " + b, "GET " + b + "/attachments", "POST " + b + " addAttachment"});
  step("link a known CVE", t->link_cve(id, "CVE-2026-0001"),
       {"GET " + b, "GET " + b + "/cves", "POST " + b + " linkCVE"});
  step("link it again: nothing", t->link_cve(id, "CVE-2026-0001"), {"GET " + b, "GET " + b + "/cves"});
  // Launchpad has not imported this one: linkCVE answers 400, a comment naming it links it.
  step("link an unknown CVE", t->link_cve(id, "CVE-2026-4242"),
       {"GET " + b, "GET " + b + "/cves", "POST " + b + " linkCVE", "GET " + b, "GET " + b + "/messages",
        "GET " + b + "/messages", "GET " + b + "/messages", "POST " + b + " newMessage"});
  // A CVE recorded in error is unlinked (vmt cve-assign --replace); one not linked is left alone.
  step("link a wrong CVE", t->link_cve(id, "CVE-2026-0002"),
       {"GET " + b, "GET " + b + "/cves", "POST " + b + " linkCVE"});
  step("unlink it", t->unlink_cve(id, "CVE-2026-0002"),  // two CVEs: two pages of the collection
       {"GET " + b, "GET " + b + "/cves", "GET " + b + "/cves", "POST " + b + " unlinkCVE"});
  step("unlink it again: nothing", t->unlink_cve(id, "CVE-2026-0002"), {"GET " + b, "GET " + b + "/cves"});
  step("retitle with the CVE", t->set_title(id, std::string(report_subject) + " (CVE-2026-0001)"),
       {"GET " + b, "PATCH " + b});
  step("retitle with the advisory", t->set_title(id, std::string("[OSSA-2026-001] ") + report_subject),
       {"GET " + b, "PATCH " + b});
  auto before = t->get_bug(id).value();
  auto reminder = f.st->tracker_op_done(c.id, "reminder").value().value();
  BOOST_REQUIRE(before.description.rfind(reminder, 0) == 0);
  mark = f.lp->count();
  auto without = before.description.substr(reminder.size() + 2);
  step("remove the reminder", t->set_description(id, without), {"GET " + b, "PATCH " + b});
  step("open the bug", t->set_information_type(id, "Public Security"),
       {"GET " + b, "POST " + b + " transitionToInformationType"});
  auto l = f.lp->log();

  auto after = t->get_bug(id).value();
  BOOST_TEST(after.title == "[OSSA-2026-001] [nova] token leak in logs");
  BOOST_TEST(after.information_type == "Public Security");
  BOOST_TEST(after.description.find(reminder) == std::string::npos);
  BOOST_TEST(after.subscribers == (strings{"vmt-bot", "nova-coresec", "alice"}), boost::test_tools::per_element());
  BOOST_TEST(after.cves == (strings{"CVE-2026-0001", "CVE-2026-4242"}), boost::test_tools::per_element());
  BOOST_TEST(after.attachments == (strings{"poc.txt", "cve-2026-0001-master.patch"}), boost::test_tools::per_element());
  BOOST_REQUIRE(after.tasks.size() == 2u);
  BOOST_TEST(after.tasks[1].first == "ossa");
  BOOST_TEST(after.tasks[1].second == "Confirmed");
  // The PATCH that removed the reminder carried JSON and If-Match; the transition an enum title.
  BOOST_TEST(l[l.size() - 1]["form"]["information_type"] == "Public Security");
  BOOST_TEST(l[l.size() - 3]["json"].contains("description"));
  BOOST_TEST(l[l.size() - 3]["if-match"].is_string());
}

BOOST_AUTO_TEST_CASE(a_retried_reception_finds_the_bug_instead_of_creating_another) {
  fixture f;
  BOOST_REQUIRE(f.deliver("Subject: x\n\nfirst report\n"));
  auto c = f.st->find_case("VMT-2026-001").value().value();
  // As if the filter died after createBug and before recording it: the store forgets the step.
  auto q = f.st->raw().prepare("DELETE FROM tracker_ops WHERE case_id = 'VMT-2026-001'").value();
  BOOST_REQUIRE(q.run());
  auto mark = f.lp->count();
  BOOST_REQUIRE(intake::complete_case_reception(*f.rec, "VMT-2026-001"));
  auto trail = f.since(mark);
  BOOST_TEST(trail.front() == "GET /devel/nova searchTasks");
  BOOST_TEST(std::count(trail.begin(), trail.end(), "POST /devel/bugs createBug") == 0);
  BOOST_TEST(std::count(trail.begin(), trail.end(), "POST " + bug_path(c.tracker_bug) + " addTask") == 0);
  BOOST_TEST(std::count(trail.begin(), trail.end(), "POST " + bug_path(c.tracker_bug) + " newMessage") == 0);
  BOOST_TEST(std::count(trail.begin(), trail.end(), "POST " + bug_path(c.tracker_bug) + " addAttachment") == 0);
  BOOST_TEST(f.st->find_case("VMT-2026-001").value()->tracker_bug == c.tracker_bug);
  auto t = f.open();
  auto found = t->find_bug_for_case("VMT-2026-001", "nova").value();
  BOOST_REQUIRE(found.has_value());
  BOOST_TEST(found->id == c.tracker_bug);
  BOOST_TEST(!t->find_bug_for_case("VMT-2026-002", "nova").value().has_value());
}

BOOST_AUTO_TEST_CASE(passing_failures_are_retried_or_temporary) {
  fixture f;
  auto t = f.open();
  auto ref = t->create_bug({"VMT-2026-009", "nova", "123", "null", "Private Security"}).value();
  // JSON-encoded values: a title "123" and a description "null" stay text.
  BOOST_TEST(t->get_bug(ref.id).value().title == "123");
  // A 503 on a read is retried after a backoff and succeeds.
  f.lp->control({{"fail", {{{"method", "GET"}, {"path", bug_path(ref.id)}, {"status", 503}, {"times", 1}}}}});
  auto mark = f.lp->count();
  BOOST_REQUIRE(t->set_title(ref.id, "token leak"));
  BOOST_TEST(f.since(mark) == (strings{"GET " + bug_path(ref.id), "GET " + bug_path(ref.id), "PATCH " + bug_path(ref.id)}),
             boost::test_tools::per_element());
  // A timeout on a read too (the fake answers after 3 s; the client gives up after 2).
  f.lp->control({{"delay", {{{"method", "GET"}, {"path", bug_path(ref.id)}, {"seconds", 3}, {"times", 1}}}}});
  BOOST_REQUIRE(t->get_bug(ref.id));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // let the slow answer land in the log
  // A factory is not resent after a 5xx (the bug may exist): the step fails as temporary (75).
  f.lp->control({{"fail", {{{"method", "POST"}, {"path", "/devel/bugs"}, {"status", 502}, {"times", 1}}}}});
  mark = f.lp->count();
  auto created = t->create_bug({"VMT-2026-010", "nova", "title", "text", "Private Security"});
  BOOST_REQUIRE(!created);
  BOOST_TEST((created.err().kind == failure::temporary));
  BOOST_TEST(exit_code(created.err().kind) == 75);
  BOOST_TEST(f.since(mark) == strings{"POST /devel/bugs"}, boost::test_tools::per_element());
  // An outage that lasts: retries run out, temporary.
  f.lp->control({{"fail", {{{"method", "GET"}, {"path", bug_path(ref.id)}, {"status", 503}, {"times", 3}}}}});
  auto down = t->get_bug(ref.id);
  BOOST_REQUIRE(!down);
  BOOST_TEST((down.err().kind == failure::temporary));
  // A stale ETag (someone edited the bug between our read and our write): 412, read again, write.
  f.lp->control({{"stale_next_patch", 1}});
  mark = f.lp->count();
  BOOST_REQUIRE(t->set_title(ref.id, "token leak in logs"));
  auto l = f.lp->log();
  BOOST_TEST(f.since(mark) == (strings{"GET " + bug_path(ref.id), "PATCH " + bug_path(ref.id), "GET " + bug_path(ref.id),
                                       "PATCH " + bug_path(ref.id)}),
             boost::test_tools::per_element());
  BOOST_TEST(l[mark + 1]["status"] == 412);
  BOOST_TEST(l[mark + 3]["status"] == 209);
  // A stopped service: connection refused is temporary too.
  auto cfg = f.cfg;
  cfg.tracker.api_root = "http://127.0.0.1:1/devel/";
  auto o = tracker::http_options(cfg);
  o.retries = 1;
  auto off = tracker::open_launchpad(cfg, o).value()->get_bug("1");
  BOOST_REQUIRE(!off);
  BOOST_TEST((off.err().kind == failure::temporary));
}

BOOST_AUTO_TEST_CASE(permission_failures_say_what_is_missing) {
  {
    fixture f;  // a wrong secret: 401, the message says which permission and how to get it
    f.write_token("tok", "wrong");
    auto got = f.open()->get_bug("1");
    BOOST_REQUIRE(!got);
    BOOST_TEST((got.err().kind == failure::permission));
    BOOST_TEST(got.err().what.find("HTTP 401") != std::string::npos);
    BOOST_TEST(got.err().fix.find("WRITE_PRIVATE") != std::string::npos);
    BOOST_TEST(got.err().fix.find("vmt tracker login launchpad") != std::string::npos);
  }
  {
    fixture f({"--level", "WRITE_PUBLIC"});  // a token that cannot see private bugs
    auto t = f.open();
    auto ref = t->create_bug({"VMT-2026-001", "nova", "title", "text", "Private Security"});
    BOOST_REQUIRE(ref);  // created all the same: returned so that it is never created twice
    auto task = t->ensure_task(ref->id, "ossa", "Incomplete");
    BOOST_REQUIRE(!task);
    BOOST_TEST(task.err().what.find("HTTP 404") != std::string::npos);
    BOOST_TEST(task.err().fix.find("private bug the token may not see") != std::string::npos);
    BOOST_TEST(task.err().fix.find("Change Anything") != std::string::npos);
  }
  {
    fixture f({"--no-supervisor"});  // Triaged needs the ossa bug supervisor team
    auto t = f.open();
    auto ref = t->create_bug({"VMT-2026-001", "nova", "title", "text", "Private Security"}).value();
    BOOST_REQUIRE(t->ensure_task(ref.id, "ossa", "Incomplete"));
    auto s = t->set_task_status(ref.id, "ossa", "Triaged");
    BOOST_REQUIRE(!s);
    BOOST_TEST((s.err().kind == failure::permission));
    BOOST_TEST(s.err().fix.find("bug supervisor") != std::string::npos);
  }
  {
    fixture f;  // an open team cannot be subscribed to a private bug
    auto t = f.open();
    auto ref = t->create_bug({"VMT-2026-001", "nova", "title", "text", "Private Security"}).value();
    auto s = t->subscribe(ref.id, "open-team");
    BOOST_REQUIRE(!s);
    BOOST_TEST((s.err().kind == failure::unavailable));
    auto nobody = t->subscribe(ref.id, "no-such-team");
    BOOST_REQUIRE(!nobody);
    BOOST_TEST((nobody.err().kind == failure::data));
    BOOST_TEST(t->set_task_status(ref.id, "ossa", "Confirmed").err().what.find("has no task on ossa") != std::string::npos);
    BOOST_TEST((t->set_task_status(ref.id, "nova", "Fixed").err().kind == failure::data));
  }
}

BOOST_AUTO_TEST_CASE(a_token_file_readable_by_others_is_refused) {
  fixture f;
  f.write_token("tok", "sec", 0644);
  auto c = tracker::read_launchpad_credentials(f.cfg.path(f.cfg.tracker.token_file));
  BOOST_REQUIRE(!c);
  BOOST_TEST((c.err().kind == failure::permission));
  auto mark = f.lp->count();
  auto got = f.open()->get_bug("1");
  BOOST_REQUIRE(!got);
  BOOST_TEST((got.err().kind == failure::permission));
  BOOST_TEST(f.lp->count() == mark);  // nothing was sent with it
}

BOOST_AUTO_TEST_CASE(login_is_the_three_step_token_exchange) {
  fixture f;
  http::client h(http::options{});
  auto rt = tracker::launchpad_get_request_token(h, f.lp->base(), "vmt");
  BOOST_REQUIRE_MESSAGE(rt, (rt ? "" : rt.err().message()));
  auto url = tracker::launchpad_authorize_url(f.lp->base(), rt->token);
  BOOST_TEST(url == f.lp->base() + "/+authorize-token?oauth_token=" + rt->token + "&allow_permission=WRITE_PRIVATE");
  // Before the human step the exchange is refused, and the message says what to do.
  auto early = tracker::launchpad_get_access_token(h, f.lp->base(), "vmt", *rt);
  BOOST_REQUIRE(!early);
  BOOST_TEST((early.err().kind == failure::permission));
  BOOST_TEST(early.err().fix.find("Change Anything") != std::string::npos);
  // The human step (the fake grants through a test parameter).
  http::request grant;
  grant.url = url + "&test_grant=WRITE_PRIVATE";
  BOOST_REQUIRE(h.send(grant)->status == 200);
  auto cred = tracker::launchpad_get_access_token(h, f.lp->base(), "vmt", *rt);
  BOOST_REQUIRE_MESSAGE(cred, (cred ? "" : cred.err().message()));
  f.write_token(cred->token, cred->token_secret);
  auto t = f.open();
  BOOST_REQUIRE(t->create_bug({"VMT-2026-001", "nova", "title", "text", "Private Security"}));
  auto log = f.lp->log();
  BOOST_TEST(log[0]["form"]["oauth_signature"] == "&");
  BOOST_TEST(log[3]["form"]["oauth_signature"] == "&" + rt->secret);
  BOOST_TEST(log.back()["auth"] == "oauth");
  // A request token serves once.
  BOOST_TEST(!tracker::launchpad_get_access_token(h, f.lp->base(), "vmt", *rt));
}

BOOST_AUTO_TEST_CASE(dry_run_prints_the_writes_and_sends_only_reads) {
  fixture f;
  auto real = f.open();
  auto ref = real->create_bug({"VMT-2026-001", "nova", "title", "text", "Private Security"}).value();
  auto mark = f.lp->count();
  auto t = f.open(true);
  BOOST_REQUIRE(t->set_title(ref.id, "new title"));
  BOOST_REQUIRE(t->set_information_type(ref.id, "Public Security"));
  auto created = t->create_bug({"VMT-2026-002", "nova", "other", "text", "Private Security"});
  BOOST_REQUIRE(created);
  BOOST_TEST(created->id == "dry-run");
  BOOST_REQUIRE(t->ensure_task(created->id, "ossa", "Incomplete"));
  for (const auto& line : f.since(mark)) BOOST_TEST(line.rfind("GET ", 0) == 0);
  BOOST_TEST(f.printed.find("dry-run: would send PATCH " + f.lp->base() + "/devel/bugs/" + ref.id) != std::string::npos);
  BOOST_TEST(f.printed.find("title = \"new title\"") == std::string::npos);  // PATCH bodies are JSON
  BOOST_TEST(f.printed.find("{\"title\":\"new title\"}") != std::string::npos);
  BOOST_TEST(f.printed.find("ws.op = transitionToInformationType") != std::string::npos);
  BOOST_TEST(f.printed.find("ws.op = createBug") != std::string::npos);
  BOOST_TEST(f.printed.find("Authorization: <redacted>") != std::string::npos);
  BOOST_TEST(f.printed.find("oauth_signature") == std::string::npos);  // the secret never shows
  BOOST_TEST(real->get_bug(ref.id).value().title == "title");
}

BOOST_AUTO_TEST_CASE(sync_reports_hand_changes_then_repairs_them) {
  fixture f;
  BOOST_REQUIRE(f.deliver("Subject: x\n\nfirst report\n"));
  auto c = f.st->find_case("VMT-2026-001").value().value();
  auto t = f.open();
  // Nothing differs right after reception.
  auto clean = tracker::compare(f.cfg, *f.st, *t, c).value();
  BOOST_TEST(clean.empty());
  // A coordinator retitles the bug and drops the reminder by hand; the store got a CVE meanwhile.
  f.lp->control({{"edit", {{c.tracker_bug, {{"title", "renamed"}, {"description", "only the report"}}}}}});
  c.cve = "CVE-2026-0001";
  c.ossa_status = "Confirmed";
  BOOST_REQUIRE(f.st->update_case(c));
  auto diffs = tracker::sync(f.cfg, *f.st, *t, c.id, false, "test").value();
  strings fields;
  for (const auto& d : diffs) fields.push_back(d.field);
  BOOST_TEST(fields == (strings{"title", "description", "task:ossa", "cve"}), boost::test_tools::per_element());
  BOOST_TEST(diffs[0].want == "[nova] token leak in logs (CVE-2026-0001)");
  for (const auto& d : diffs) BOOST_TEST(d.have.find("only the report") == std::string::npos);  // never print the text
  auto mark = f.lp->count();
  BOOST_REQUIRE(tracker::sync(f.cfg, *f.st, *t, c.id, true, "test"));
  BOOST_TEST(f.since(mark).size() > 0u);
  BOOST_TEST(tracker::compare(f.cfg, *f.st, *t, c).value().empty());
  auto b = t->get_bug(c.tracker_bug).value();
  BOOST_TEST(b.description.rfind(f.st->tracker_op_done(c.id, "reminder").value().value(), 0) == 0);
  // Disclosure in the store: the sync opens the bug last, retitles, removes the reminder.
  c.is_private = false;
  c.advisory_id = "OSSA-2026-001";
  BOOST_REQUIRE(f.st->update_case(c));
  mark = f.lp->count();
  BOOST_REQUIRE(tracker::sync(f.cfg, *f.st, *t, c.id, true, "test"));
  auto trail = f.since(mark);
  BOOST_TEST(trail.back() == "POST " + bug_path(c.tracker_bug) + " transitionToInformationType");
  b = t->get_bug(c.tracker_bug).value();
  BOOST_TEST(b.title == "[OSSA-2026-001] [nova] token leak in logs");
  BOOST_TEST(b.information_type == "Public Security");
  BOOST_TEST(b.description == "only the report");
  // A subscriber the store does not know is reported, never removed.
  f.lp->control({{"subscribe", {{c.tracker_bug, "alice"}}}});
  auto extra = tracker::compare(f.cfg, *f.st, *t, c).value();
  BOOST_REQUIRE(extra.size() == 1u);
  BOOST_TEST(extra[0].report_only);
  BOOST_TEST(extra[0].have == "alice");
}
