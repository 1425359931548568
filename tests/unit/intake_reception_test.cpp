// intake_reception_test: filing, follow-ups, duplicates, quarantine, routing and resumption of the
// reception, with a real SQLite store and the real local tracker; the message reader and the mail
// signer are replaced by simple fakes here (they have their own tests with real gpg).
#define BOOST_TEST_MODULE intake_reception
#include <boost/test/unit_test.hpp>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <thread>

#include "core/fs.h"
#include "intake/reception.h"
#include "tracker/local.h"
#include "transport/outbox.h"

using namespace vmt;

namespace {

// Headers and body of a simple RFC 5322 message, enough for the fake reader.
intake::analysis fake_analyze(std::string_view raw) {
  intake::analysis a;
  std::string s(raw);
  if (s.find("GARBAGE") != std::string::npos) {
    a.readable = false;
    a.quarantine_reason = "garbage";
    return a;
  }
  auto split = s.find("\n\n");
  std::string head = s.substr(0, split), body = split == std::string::npos ? "" : s.substr(split + 2);
  std::size_t pos = 0;
  while (pos < head.size()) {
    auto eol = head.find('\n', pos);
    auto line = head.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
    pos = eol == std::string::npos ? head.size() : eol + 1;
    auto colon = line.find(": ");
    if (colon == std::string::npos) continue;
    auto name = line.substr(0, colon), value = line.substr(colon + 2);
    if (name == "From") {
      auto lt = value.find('<');
      intake::mailbox m{lt == std::string::npos ? "" : value.substr(0, lt - 1),
                        lt == std::string::npos ? value : value.substr(lt + 1, value.find('>') - lt - 1)};
      a.from.mailboxes.push_back(m);
      a.from.header_count++;
      a.from.well_formed = a.from.header_count == 1;
    } else if (name == "Subject") {
      a.subject = value;
    } else if (name == "Message-ID") {
      a.message_id = value;
    } else if (name == "In-Reply-To") {
      a.in_reply_to = value;
    } else if (name == "To") {
      a.to.push_back({"", value});
    } else if (name == "Auto-Submitted") {
      a.auto_submitted = value;
    } else if (name == "X-VMT-Case") {
      a.vmt_case = value;
    }
  }
  a.body = body;
  a.encrypted = s.find("X-Test-Encrypted: yes") != std::string::npos;
  if (a.encrypted) a.decrypt = intake::decryption::ok;
  return a;
}

struct fixture {
  std::string dir;
  config::config cfg;
  std::unique_ptr<store::store> st;
  std::unique_ptr<tmpl::engine> templates;
  std::unique_ptr<intake::reception> rec;
  int composed = 0;
  bool tracker_down = false;

  fixture() {
    char tmpl_dir[] = "/tmp/vmt-reception-XXXXXX";
    dir = ::mkdtemp(tmpl_dir);
    cfg.file = dir + "/vmt.yaml";
    cfg.base = dir;
    cfg.team.address = "security@example.org";
    cfg.team.notify = {"coord@example.org"};
    config::project nova;
    nova.name = "nova";
    nova.display = "Nova";
    nova.subject_tags = {"[nova]"};
    nova.keywords = {"nova-compute"};
    nova.security_team = "nova-coresec";
    config::project swift;
    swift.name = "swift";
    swift.addresses = {"swift-security@example.org"};
    swift.security_team = "swift-coresec";
    cfg.projects = {nova, swift};
    st = std::move(store::store::open(dir + "/vmt.db", 2000).value());
    templates = std::make_unique<tmpl::engine>(std::vector<std::string>{std::string(VMT_SOURCE_DIR) + "/templates"});
    rec = std::make_unique<intake::reception>(intake::make_reception(cfg, *st, *templates));
    rec->analyze = [](std::string_view raw) -> result<intake::analysis> { return fake_analyze(raw); };
    rec->compose = [this](const intake::outgoing_mail& m) -> result<std::pair<std::string, std::string>> {
      ++composed;
      BOOST_TEST(m.body.find("SECRET-DETAIL") == std::string::npos);  // never quote report text
      return std::make_pair("Message-ID: <" + m.message_id + ">\nSubject: " + m.subject + "\n\n" + m.body, m.message_id);
    };
    rec->open_tracker = [this]() -> result<std::unique_ptr<tracker::tracker>> {
      if (tracker_down) return make_error(failure::temporary, "tracker", "down");
      return tracker::open_local(dir + "/tracker.db", 1000, "local:");
    };
  }
  ~fixture() { std::filesystem::remove_all(dir); }

  result<intake::receipt> deliver(const std::string& raw) {
    auto s = intake::spool_bytes(raw, dir + "/spool");
    if (!s) return std::move(s).err();
    return intake::receive(*rec, *s);
  }

  tracker::bug_state bug(const std::string& id) {
    auto t = tracker::open_local(dir + "/tracker.db", 1000, "local:");
    return (*t)->get_bug(id).value();
  }
  std::size_t outbox_count() { return transport::list(*st).value().size(); }
};

const std::string report =
    "Received: from mx1 by mx2\nFrom: Jane Doe <jane@example.net>\nTo: security@example.org\n"
    "Subject: [nova] token leak in logs\nMessage-ID: <r1@example.net>\nX-Test-Encrypted: yes\n\n"
    "SECRET-DETAIL: the token is logged.\n";

}  // namespace

BOOST_FIXTURE_TEST_CASE(new_report_becomes_case_bug_and_ack, fixture) {
  ::setenv("VMT_NOW", "2026-05-11T10:00:00Z", 1);
  auto r = deliver(report);
  BOOST_REQUIRE_MESSAGE(r, (r ? "" : r.err().message()));
  BOOST_TEST(r->case_id == "VMT-2026-001");
  BOOST_TEST((r->what == intake::outcome::new_case));
  auto c = st->find_case("VMT-2026-001").value().value();
  BOOST_TEST(c.project == "nova");
  BOOST_TEST(c.embargo_end == "2026-08-09");  // 90 days after 2026-05-11
  BOOST_TEST(c.is_private);
  BOOST_TEST(c.ossa_status == "Incomplete");
  BOOST_TEST(c.reporter_email == "jane@example.net");
  BOOST_TEST(c.title == "[nova] token leak in logs");
  auto b = bug(c.tracker_bug);
  BOOST_TEST(b.information_type == "Private Security");
  BOOST_TEST(b.description.rfind("This issue is being treated as a potential security risk under", 0) == 0);
  BOOST_TEST(b.description.find("This\nembargo shall not extend past 2026-08-09 and will be made") != std::string::npos);
  BOOST_TEST(b.description.find("SECRET-DETAIL") != std::string::npos);
  // The project's core security team, and the reporter where the tracker knows them.
  auto subscribers = b.subscribers;
  std::sort(subscribers.begin(), subscribers.end());
  BOOST_TEST(subscribers == (std::vector<std::string>{"jane@example.net", "nova-coresec"}));
  BOOST_REQUIRE(b.tasks.size() == 2u);
  BOOST_TEST(b.tasks[1].first == "ossa");
  BOOST_TEST(b.tasks[1].second == "Incomplete");
  BOOST_REQUIRE(b.comments.size() == 1u);
  BOOST_TEST(b.comments[0].rfind("Since this report concerns a possible security risk", 0) == 0);
  BOOST_TEST(outbox_count() == 1u);
  auto events = st->case_events(c.id).value();
  bool told_team = false;
  for (const auto& e : events)
    if (e.kind == "disclosed" && e.recipients == std::vector<std::string>{"nova-coresec"}) told_team = true;
  BOOST_TEST(told_team);
  ::unsetenv("VMT_NOW");
}

// A delivery killed while spooling leaves its temporary file; the MTA delivers the message again,
// so the next delivery removes the litter (it may hold report text) once its writer is gone.
BOOST_FIXTURE_TEST_CASE(a_killed_delivery_leaves_no_temp_file_behind, fixture) {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  BOOST_REQUIRE(child > 0);
  ::waitpid(child, nullptr, 0);  // now certainly not running
  std::filesystem::create_directories(dir + "/spool");
  const auto dead = dir + "/spool/.incoming." + std::to_string(child) + ".1";
  const auto alive = dir + "/spool/.incoming." + std::to_string(::getpid()) + ".2";  // being written
  std::ofstream(dead) << "SECRET-DETAIL half a report";
  std::ofstream(alive) << "another delivery, still writing";
  // As vmt-ingest reads it: from a descriptor (its standard input).
  const auto in = dir + "/report.eml";
  std::ofstream(in) << report;
  int fd = ::open(in.c_str(), O_RDONLY);
  BOOST_REQUIRE(fd >= 0);
  auto s = intake::spool_from_fd(fd, dir + "/spool", 1 << 20);
  ::close(fd);
  BOOST_REQUIRE_MESSAGE(s, (s ? "" : s.err().message()));
  BOOST_REQUIRE(intake::receive(*rec, *s));
  BOOST_TEST(!std::filesystem::exists(dead));
  BOOST_TEST(std::filesystem::exists(alive));
}

// A report and its follow-up delivered together: the follow-up may be filed first (it opens the
// case and is acknowledged), then the report joins it. If the report's delivery stops after
// filing and the MTA delivers it again, it is a follow-up still: found through Postfix (T820),
// where it got a second acknowledgement because it is the case's oldest message.
BOOST_FIXTURE_TEST_CASE(a_report_filed_after_its_follow_up_is_not_acknowledged_on_resume, fixture) {
  const std::string follow_up = "From: Jane Doe <jane@example.net>\nSubject: Re: [nova] token leak in logs\n"
                                "Message-ID: <r2@example.net>\nIn-Reply-To: <r1@example.net>\n\nmore detail\n";
  // The report is recorded as received (the oldest row) and, while it is being read, its
  // follow-up arrives, waits for it in vain and opens the case; the report then joins that case.
  std::optional<result<intake::receipt>> inner;
  rec->analyze = [&](std::string_view raw) -> result<intake::analysis> {
    if (!inner && raw.find("SECRET-DETAIL") != std::string_view::npos) inner = deliver(follow_up);
    return fake_analyze(raw);
  };
  rec->after_step = [&](const std::string& step) {  // the report's delivery (not the nested one)
    if (step == "store" && inner) throw std::runtime_error("the delivery stops after filing");
  };
  auto spooled = intake::spool_bytes(report, dir + "/spool");
  BOOST_REQUIRE(spooled);
  BOOST_CHECK_THROW((void)intake::receive(*rec, *spooled), std::runtime_error);
  BOOST_REQUIRE(inner);
  BOOST_REQUIRE_MESSAGE(*inner, (*inner ? "" : inner->err().message()));
  BOOST_TEST(((*inner)->what == intake::outcome::new_case));
  // The MTA delivers the report again: it is a follow-up of that case, and is not acknowledged.
  rec->after_step = [](const std::string&) {};
  auto again = deliver(report);
  BOOST_REQUIRE_MESSAGE(again, (again ? "" : again.err().message()));
  BOOST_TEST((again->what == intake::outcome::follow_up));
  BOOST_TEST(again->case_id == (*inner)->case_id);
  BOOST_TEST(st->list_cases().value().size() == 1u);
  auto outbox = transport::list(*st).value();
  BOOST_TEST(std::count_if(outbox.begin(), outbox.end(), [](const auto& e) { return e.mail.kind == "ack"; }) == 1);
}

BOOST_FIXTURE_TEST_CASE(redelivery_changes_nothing, fixture) {
  BOOST_REQUIRE(deliver(report));
  // The same message through another hop: different trace headers, same content.
  auto again = deliver("Received: from elsewhere\nDelivered-To: security@example.org\n" + report.substr(report.find('\n') + 1));
  BOOST_REQUIRE(again);
  BOOST_TEST((again->what == intake::outcome::duplicate));
  BOOST_TEST(st->list_cases().value().size() == 1u);
  BOOST_TEST(outbox_count() == 1u);
  BOOST_TEST(composed == 1);
}

BOOST_FIXTURE_TEST_CASE(follow_up_by_reply_and_by_tag, fixture) {
  auto first = deliver(report);
  BOOST_REQUIRE(first);
  auto reply = deliver("From: Jane Doe <jane@example.net>\nSubject: Re: more\nMessage-ID: <r2@example.net>\n"
                       "In-Reply-To: <r1@example.net>\n\nmore detail\n");
  BOOST_REQUIRE(reply);
  BOOST_TEST((reply->what == intake::outcome::follow_up));
  BOOST_TEST(reply->case_id == first->case_id);
  auto tagged = deliver("From: Someone <s@example.com>\nSubject: Re: [VMT-" + first->case_id.substr(4) +
                        "] access please\nMessage-ID: <r3@example.com>\n\nplease subscribe me\n");
  BOOST_REQUIRE(tagged);
  BOOST_TEST(tagged->case_id == first->case_id);
  BOOST_TEST(st->list_cases().value().size() == 1u);
  BOOST_TEST(st->case_messages(first->case_id).value().size() == 3u);
  auto c = st->find_case(first->case_id).value().value();
  auto b = bug(c.tracker_bug);
  // Every follow-up goes on the private bug, whoever sent it (a stakeholder asking for access
  // must be seen), and the coordinators are told of each; none is acknowledged again.
  BOOST_REQUIRE(b.comments.size() == 3u);
  BOOST_TEST(b.comments[1].find("more detail") != std::string::npos);
  BOOST_TEST(b.comments[2].find("please subscribe me") != std::string::npos);
  auto out = transport::list(*st).value();
  BOOST_REQUIRE(out.size() == 3u);
  BOOST_TEST(out[0].mail.kind == "ack");
  BOOST_TEST(out[1].mail.kind == "follow-up-notice");
  BOOST_TEST(out[2].mail.kind == "follow-up-notice");
  BOOST_TEST(out[2].mail.recipients == std::vector<std::string>{"coord@example.org"});
  // Unanswered until someone answers: vmt check lists them.
  BOOST_TEST(st->unanswered_follow_ups().value().size() == 2u);
}

// RFC 3834: an automatic message is filed (it may matter) but never acknowledged, so two
// autoresponders cannot answer each other for ever.
BOOST_FIXTURE_TEST_CASE(automatic_mail_is_filed_but_not_acknowledged, fixture) {
  auto r = deliver("From: robot@example.net\nSubject: [nova] Out of office\nMessage-ID: <auto1@example.net>\n"
                   "Auto-Submitted: auto-replied\n\nI am away.\n");
  BOOST_REQUIRE_MESSAGE(r, (r ? "" : r.err().message()));
  BOOST_TEST((r->what == intake::outcome::new_case));
  BOOST_TEST(outbox_count() == 0u);
  BOOST_TEST(composed == 0);
}

// The team's own mail coming back (a notice to an address that forwards to the team, a list
// echo) is kept but never filed: no case, no acknowledgement, no notice, nothing to loop on.
BOOST_FIXTURE_TEST_CASE(our_own_mail_coming_back_is_ignored, fixture) {
  for (const std::string& raw :
       {std::string("From: vmt-ingest <security@example.org>\nSubject: [vmt] A message was quarantined\n"
                    "Message-ID: <own1@example.org>\nAuto-Submitted: auto-generated\n\nnotice\n"),
        std::string("From: list@example.net\nSubject: [pre-OSSA] Vulnerability\nMessage-ID: <own2@example.org>\n"
                    "X-VMT-Case: VMT-2026-001\n\necho\n")}) {
    auto r = deliver(raw);
    BOOST_REQUIRE_MESSAGE(r, (r ? "" : r.err().message()));
    BOOST_TEST((r->what == intake::outcome::ignored));
  }
  BOOST_TEST(st->list_cases().value().empty());
  BOOST_TEST(outbox_count() == 0u);
  BOOST_TEST(st->quarantined().value().empty());
}

BOOST_FIXTURE_TEST_CASE(unreadable_mail_is_quarantined_and_coordinators_told, fixture) {
  auto r = deliver("From: x@example.com\nSubject: hi\n\nGARBAGE\n");
  BOOST_REQUIRE(r);
  BOOST_TEST((r->what == intake::outcome::quarantined));
  BOOST_TEST(r->reason == "garbage");
  auto q = st->quarantined().value();
  BOOST_REQUIRE(q.size() == 1u);
  BOOST_TEST(q[0].spool_path.front() != '/');  // relative to the team folder: a backup restores
  BOOST_TEST(std::filesystem::exists(cfg.path(q[0].spool_path)));
  auto out = transport::list(*st).value();
  BOOST_REQUIRE(out.size() == 1u);
  BOOST_TEST(out[0].mail.kind == "quarantine-notice");
  BOOST_TEST(out[0].mail.recipients == std::vector<std::string>{"coord@example.org"});
  BOOST_TEST(st->list_cases().value().empty());
  auto again = deliver("From: x@example.com\nSubject: hi\n\nGARBAGE\n");
  BOOST_TEST((again->what == intake::outcome::duplicate));
  BOOST_TEST(transport::list(*st).value().size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(tracker_outage_is_temporary_and_the_retry_completes, fixture) {
  tracker_down = true;
  auto r = deliver(report);
  BOOST_REQUIRE(!r);
  BOOST_TEST((r.err().kind == failure::temporary));
  BOOST_TEST(st->list_cases().value().size() == 1u);  // filed in the store already
  BOOST_TEST(outbox_count() == 0u);
  tracker_down = false;
  auto again = deliver(report);
  BOOST_REQUIRE_MESSAGE(again, (again ? "" : again.err().message()));
  BOOST_TEST((again->what == intake::outcome::new_case));
  BOOST_TEST(st->list_cases().value().size() == 1u);
  auto c = st->find_case(again->case_id).value().value();
  BOOST_TEST(!c.tracker_bug.empty());
  BOOST_TEST(outbox_count() == 1u);
  auto third = deliver(report);
  BOOST_TEST((third->what == intake::outcome::duplicate));
}

BOOST_FIXTURE_TEST_CASE(crash_after_bug_creation_does_not_open_a_second_bug, fixture) {
  // Simulate a crash right after the tracker created the bug but before the store recorded it.
  rec->after_step = [](const std::string& step) {
    if (step == "tracker:create") throw std::runtime_error("crash");
  };
  BOOST_CHECK_THROW((void)deliver(report), std::runtime_error);
  // Forget that the store recorded it, as if the crash came one instant earlier.
  BOOST_REQUIRE(st->raw().exec("DELETE FROM tracker_ops"));
  rec->after_step = [](const std::string&) {};
  auto r = deliver(report);
  BOOST_REQUIRE(r);
  auto t = tracker::open_local(dir + "/tracker.db", 1000, "local:");
  BOOST_TEST(!(*t)->get_bug("2"));  // only bug 1 exists
  BOOST_TEST(bug("1").subscribers.size() == 2u);  // the team and the reporter, once each
}

BOOST_FIXTURE_TEST_CASE(routing_by_tag_address_keyword_or_unknown, fixture) {
  intake::analysis a;
  a.subject = "Re: [NOVA] thing";
  BOOST_TEST(intake::route_project(cfg, a) == "nova");
  a.subject = "thing";
  a.to = {{"", "Swift-Security@example.org"}};
  BOOST_TEST(intake::route_project(cfg, a) == "swift");
  a.to.clear();
  a.body = "a crash in nova-compute when";
  BOOST_TEST(intake::route_project(cfg, a) == "nova");
  a.body = "a crash in supernova when";
  BOOST_TEST(intake::route_project(cfg, a) == "unknown");
}

BOOST_AUTO_TEST_CASE(dedupe_key_ignores_trace_headers_only) {
  std::string m = "From: a@b\nSubject: s\n\nbody\n";
  BOOST_TEST(intake::dedupe_key("Received: x\n\ty\n" + m) == intake::dedupe_key(m));
  BOOST_TEST(intake::dedupe_key("From MAILER-DAEMON Thu\nReturn-Path: <a@b>\n" + m) == intake::dedupe_key(m));
  BOOST_TEST(intake::dedupe_key("From: a@b\nSubject: t\n\nbody\n") != intake::dedupe_key(m));
  BOOST_TEST(intake::dedupe_key("From: a@b\nSubject: s\n\nbody!\n") != intake::dedupe_key(m));
}

BOOST_FIXTURE_TEST_CASE(a_report_filed_as_a_bug_is_adopted, fixture) {
  auto t = tracker::open_local(dir + "/tracker.db", 1000, "local:");
  BOOST_REQUIRE(t);
  tracker::new_bug b;
  b.project = "nova";
  b.title = "nova leaks tokens";
  b.description = "SECRET-DETAIL as filed by the reporter";
  auto ref = (*t)->create_bug(b);
  BOOST_REQUIRE(ref);
  auto id = intake::adopt_bug(*rec, ref->id, "");
  BOOST_REQUIRE_MESSAGE(id, (id ? "" : id.err().message()));
  auto c = st->find_case(*id).value().value();
  BOOST_TEST(c.project == "nova");  // from the bug's task
  BOOST_TEST(c.tracker_bug == ref->id);
  BOOST_TEST(c.is_private);
  auto after = bug(ref->id);
  BOOST_TEST(after.description.rfind("This issue is being treated as a potential security risk", 0) == 0);
  BOOST_TEST(after.description.find("SECRET-DETAIL as filed by the reporter") != std::string::npos);
  BOOST_TEST(after.subscribers == std::vector<std::string>{"nova-coresec"});
  BOOST_REQUIRE(after.tasks.size() == 2u);
  BOOST_TEST(after.tasks[1].second == "Incomplete");
  BOOST_TEST(after.comments.size() == 1u);
  // Looked up by case afterwards, and adopting again is the same case and changes nothing.
  BOOST_TEST((*t)->find_bug_for_case(*id, "nova").value()->id == ref->id);
  BOOST_TEST(*intake::adopt_bug(*rec, ref->id, "") == *id);
  BOOST_TEST(bug(ref->id).description == after.description);
  BOOST_TEST(st->list_cases().value().size() == 1u);
  // A bug that is not a security bug is refused.
  b.information_type = "Public";
  auto plain = (*t)->create_bug(b);
  BOOST_TEST(!intake::adopt_bug(*rec, plain->id, ""));
}

BOOST_FIXTURE_TEST_CASE(message_locks_exclude_and_leave_no_file_behind, fixture) {
  const std::string spool = dir + "/spool";
  const std::string locks = spool + "/.locks";
  auto files = [&] {
    return std::distance(std::filesystem::directory_iterator(locks), std::filesystem::directory_iterator{});
  };
  auto first = std::make_unique<intake::lock>(intake::lock::acquire(spool, "msg-a", 1000).value());
  auto busy = intake::lock::acquire(spool, "msg-a", 50);
  BOOST_REQUIRE(!busy);
  BOOST_TEST((busy.err().kind == failure::temporary));
  BOOST_TEST(files() == 1);
  // A waiter blocked on the file that the holder removes must end up holding the name's new file,
  // so that it still excludes everyone else.
  auto waiter = std::async(std::launch::async, [&] {
    auto second = intake::lock::acquire(spool, "msg-a", 5000);
    if (!second) return std::string("waiter: ") + second.err().message();
    if (intake::lock::acquire(spool, "msg-a", 20)) return std::string("a third process got the lock too");
    if (!std::filesystem::exists(locks + "/msg-a")) return std::string("the held lock has no file");
    return std::string();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  first.reset();
  BOOST_TEST(waiter.get() == "");
  BOOST_TEST(files() == 0);
}
