// transport_test: the outbox and its runner with real files, a real SQLite store and real child
// processes: the maildir transport, state transitions and crash recovery per transport, held mail
// released at its hour (VMT_NOW), idempotent enqueue, failure classification, backoff, locks, and
// the refusal of a password file others can read. Networked SMTP is in tests/integration/T5*.
#define BOOST_TEST_MODULE transport
#include <boost/test/unit_test.hpp>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/clock.h"
#include "core/fs.h"
#include "store/store.h"
#include "transport/outbox.h"
#include "transport/transports.h"

using namespace vmt;
namespace tp = vmt::transport;
namespace fsys = std::filesystem;

namespace {

struct temp_dir {
  std::string path;
  temp_dir() {
    char tmpl[] = "/tmp/vmt-transport-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~temp_dir() { fsys::remove_all(path); }
};

std::string message(const std::string& id, const std::string& body = "Hello.\n") {
  return "From: VMT <vmt@example.org>\nTo: <a@example.net>\nSubject: test " + id + "\nMessage-ID: <" + id +
         ">\nDate: Mon, 11 May 2026 10:00:00 +0000\n\n" + body;
}

// A configured team folder: vmt.yaml with `transport`, the store, the outbox.
struct team {
  temp_dir dir;
  config::config cfg;
  std::unique_ptr<store::store> st;

  explicit team(const std::string& transport_yaml = "") {
    // Every section is written, even empty: the loader (lib/config) needs them all today.
    std::ofstream(dir.path + "/vmt.yaml") << "team:\n  address: security@example.org\n"
                                          << "store:\ntracker:\nembargo:\ndisclosure:\nlimits:\nlog:\n"
                                          << (transport_yaml.empty() ? "transport:\n" : transport_yaml);
    auto c = config::load(dir.path + "/vmt.yaml");
    if (!c) BOOST_FAIL(c.err().message());
    cfg = std::move(*c);
    auto s = store::store::open(cfg.path(cfg.store.path), 1000);
    if (!s) BOOST_FAIL(s.err().message());
    st = std::move(*s);
  }
  std::string outbox() const { return cfg.path(cfg.outbox); }
  std::string sent() const { return cfg.path(cfg.transport.sent_maildir); }
  std::string file(const tp::outbox_entry& e) const { return tp::file_of(cfg, e); }

  tp::queued_mail mail(const std::string& id, std::vector<std::string> to = {"a@example.net"},
                       std::string not_before = {}) {
    tp::queued_mail m;
    m.message_id = id;
    m.kind = "test";
    m.sender = "security@example.org";
    m.recipients = std::move(to);
    m.not_before = std::move(not_before);
    return m;
  }
  std::int64_t queue(const std::string& id, std::vector<std::string> to = {"a@example.net"}, std::string nb = {}) {
    auto r = tp::enqueue(*st, cfg, mail(id, std::move(to), std::move(nb)), message(id));
    BOOST_REQUIRE_MESSAGE(r, (r ? "" : r.err().message()));
    return entry(id).id;
  }
  tp::outbox_entry entry(const std::string& id) {
    auto e = tp::find(*st, id);
    BOOST_REQUIRE(e);
    BOOST_REQUIRE(e->has_value());
    return **e;
  }
  tp::flush_report flush(clock::seconds now = clock::now()) {
    auto r = tp::flush(*st, cfg, now);
    BOOST_REQUIRE_MESSAGE(r, (r ? "" : r.err().message()));
    return *r;
  }
  void exec(const std::string& sql) { BOOST_REQUIRE(st->raw().exec(sql)); }
};

std::size_t files_in(const std::string& dir) {
  if (!fsys::exists(dir)) return 0;
  return static_cast<std::size_t>(std::distance(fsys::directory_iterator(dir), {}));
}

std::string base(const std::string& p) { return fsys::path(p).filename().string(); }

clock::seconds at(const char* iso) { return *clock::parse_iso_time(iso); }

// A fake sendmail: records its arguments and standard input, then exits with `code` (or sleeps).
std::string fake_sendmail(const std::string& dir, const std::string& tail) {
  auto path = dir + "/sendmail";
  std::ofstream(path) << "#!/bin/sh\nprintf '%s\\n' \"$@\" > " << dir << "/args\ncat > " << dir << "/stdin\n"
                      << tail << "\n";
  ::chmod(path.c_str(), 0755);
  return path;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(enqueue)

BOOST_AUTO_TEST_CASE(is_idempotent_by_message_id) {
  team t;
  auto first = tp::enqueue(*t.st, t.cfg, t.mail("m1@example.org"), message("m1@example.org"));
  auto again = tp::enqueue(*t.st, t.cfg, t.mail("m1@example.org"), message("m1@example.org", "other\n"));
  BOOST_REQUIRE(first);
  BOOST_REQUIRE(again);
  BOOST_TEST(*first);
  BOOST_TEST(!*again);
  auto rows = tp::list(*t.st);
  BOOST_REQUIRE(rows);
  BOOST_TEST(rows->size() == 1u);
  BOOST_TEST(rows->front().state == "queued");
  BOOST_TEST(files_in(t.outbox() + "/new") == 1u);
  BOOST_TEST(*fs::read_file(t.file(rows->front())) == message("m1@example.org"));  // the first bytes stay
  struct stat s;
  ::stat(t.file(rows->front()).c_str(), &s);
  BOOST_TEST((s.st_mode & 0777) == 0600);
}

BOOST_AUTO_TEST_CASE(refuses_bad_envelopes_and_times) {
  team t;
  auto bad_rcpt = tp::enqueue(*t.st, t.cfg, t.mail("m2@example.org", {"-oQ/tmp@x"}), message("m2"));
  auto display = tp::enqueue(*t.st, t.cfg, t.mail("m3@example.org", {"Eve <e@example.net>"}), message("m3"));
  auto bad_time = tp::enqueue(*t.st, t.cfg, t.mail("m4@example.org", {"a@example.net"}, "tomorrow"), message("m4"));
  BOOST_TEST(!bad_rcpt);
  BOOST_TEST(!display);
  BOOST_TEST(!bad_time);
  BOOST_TEST(bad_rcpt.err().what.find("-oQ/tmp@x") != std::string::npos);
  BOOST_TEST(tp::list(*t.st)->empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(maildir_transport)

BOOST_AUTO_TEST_CASE(delivers_once_and_files_the_outbox_copy_as_seen) {
  team t;
  t.queue("m1@example.org");
  t.queue("m2@example.org", {"a@example.net", "b@example.com"});
  auto rep = t.flush();
  BOOST_TEST(rep.sent == 2);
  BOOST_TEST(!rep.left_to_retry());
  BOOST_TEST(files_in(t.sent() + "/new") == 2u);
  auto e = t.entry("m1@example.org");
  BOOST_TEST(e.state == "sent");
  BOOST_TEST(e.attempts == 1);
  BOOST_TEST(e.transport == "maildir");
  BOOST_TEST(e.path == "cur/" + base(e.path));
  BOOST_TEST(e.path.substr(e.path.size() - 4) == ":2,S");
  BOOST_TEST(files_in(t.outbox() + "/new") == 0u);
  auto name = base(e.path).substr(0, base(e.path).find(':'));
  BOOST_TEST(*fs::read_file(t.sent() + "/new/" + name) == message("m1@example.org"));
  // A second pass has nothing to do.
  auto again = t.flush();
  BOOST_TEST(again.sent == 0);
  BOOST_TEST(files_in(t.sent() + "/new") == 2u);
}

BOOST_AUTO_TEST_CASE(records_the_disclosure_in_the_case_ledger) {
  team t;
  store::case_record c;
  c.id = "VMT-2026-001";
  c.title = "t";
  c.created_at = c.updated_at = "2026-05-11T10:00:00Z";
  BOOST_REQUIRE(t.st->insert_case(c, 2026, 1));
  auto m = t.mail("vs1@example.org", {"distros@example.net"});
  m.case_id = c.id;
  m.kind = "vs";
  m.encrypted_to = {"0123456789ABCDEF0123456789ABCDEF01234567"};
  BOOST_REQUIRE(*tp::enqueue(*t.st, t.cfg, m, message("vs1@example.org")));
  t.flush();
  auto events = t.st->case_events(c.id);
  BOOST_REQUIRE(events);
  BOOST_REQUIRE(events->size() == 1u);
  const auto& ev = events->front();
  BOOST_TEST(ev.kind == "mail-sent");
  BOOST_TEST(ev.message_id == "vs1@example.org");
  BOOST_TEST(ev.recipients == std::vector<std::string>{"distros@example.net"});
  BOOST_TEST(ev.keys == m.encrypted_to);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(held_mail)

BOOST_AUTO_TEST_CASE(is_released_at_its_hour_and_not_a_second_before) {
  team t;
  t.queue("ossa1@example.org", {"announce@example.net"}, "2026-05-12T15:00:00Z");
  t.queue("ossa2@example.org", {"list@example.net"}, "2026-05-12 15:00");  // normalised
  BOOST_TEST(t.entry("ossa2@example.org").mail.not_before == "2026-05-12T15:00:00Z");
  BOOST_TEST(files_in(t.outbox() + "/hold") == 2u);
  BOOST_TEST(files_in(t.outbox() + "/new") == 0u);

  ::setenv("VMT_NOW", "2026-05-12T14:59:59Z", 1);
  auto early = t.flush(clock::now());
  BOOST_TEST(early.released == 0);
  BOOST_TEST(early.sent == 0);
  BOOST_TEST(early.held == 2);
  BOOST_TEST(!early.left_to_retry());  // waiting for its hour is not a failure
  BOOST_TEST(files_in(t.sent() + "/new") == 0u);
  BOOST_TEST(t.entry("ossa1@example.org").state == "held");

  ::setenv("VMT_NOW", "2026-05-12T15:00:00Z", 1);
  auto due = t.flush(clock::now());
  ::unsetenv("VMT_NOW");
  BOOST_TEST(due.released == 2);
  BOOST_TEST(due.sent == 2);
  BOOST_TEST(files_in(t.outbox() + "/hold") == 0u);
  BOOST_TEST(files_in(t.sent() + "/new") == 2u);
  BOOST_TEST(t.entry("ossa1@example.org").sent_at == "2026-05-12T15:00:00Z");
}

BOOST_AUTO_TEST_CASE(release_alone_moves_without_sending) {
  team t;
  t.queue("h@example.org", {"a@example.net"}, "2026-05-12T15:00:00Z");
  auto n = tp::release_due(*t.st, t.cfg, at("2026-05-12T15:00:00Z"));
  BOOST_REQUIRE(n);
  BOOST_TEST(*n == 1);
  auto e = t.entry("h@example.org");
  BOOST_TEST(e.state == "queued");
  BOOST_TEST(e.path == "new/" + base(e.path));
  BOOST_TEST(fs::exists(t.file(e)));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(recovery)

// A runner that died after delivering into the sent maildir but before recording it.
BOOST_AUTO_TEST_CASE(maildir_delivery_found_is_not_repeated) {
  team t;
  t.queue("r1@example.org");
  auto e = t.entry("r1@example.org");
  t.exec("UPDATE outbox SET state='sending', attempts=1, transport='maildir' WHERE id=" + std::to_string(e.id));
  // The copy arrived and a mail client already read it (renamed to cur/NAME:2,S).
  BOOST_REQUIRE(fs::make_maildir(t.sent()));
  BOOST_REQUIRE(fs::write_file_atomic(t.sent() + "/cur/" + base(e.path) + ":2,S", message("r1@example.org")));
  auto rep = t.flush();
  BOOST_TEST(rep.sent == 1);
  BOOST_TEST(files_in(t.sent() + "/new") == 0u);  // not delivered a second time
  BOOST_TEST(t.entry("r1@example.org").attempts == 1);
  BOOST_TEST(t.entry("r1@example.org").state == "sent");
}

BOOST_AUTO_TEST_CASE(maildir_delivery_not_found_is_made) {
  team t;
  t.queue("r2@example.org");
  t.exec("UPDATE outbox SET state='sending', attempts=1, transport='maildir'");
  auto rep = t.flush();
  BOOST_TEST(rep.sent == 1);
  BOOST_TEST(files_in(t.sent() + "/new") == 1u);
  BOOST_TEST(t.entry("r2@example.org").attempts == 2);
}

BOOST_AUTO_TEST_CASE(smtp_before_the_final_dot_is_resent_after_it_is_uncertain) {
  team t;
  t.queue("s1@example.org");
  t.queue("s2@example.org");
  t.exec("UPDATE outbox SET state='sending', attempts=1, transport='smtp' WHERE message_id='s1@example.org'");
  t.exec("UPDATE outbox SET state='sending', attempts=1, transport='smtp', phase='end-of-data' "
         "WHERE message_id='s2@example.org'");
  auto rep = t.flush();  // the configured transport is maildir: resends go there
  BOOST_TEST(rep.sent == 1);
  BOOST_TEST(rep.uncertain == 1);
  BOOST_TEST(rep.left_to_retry());
  BOOST_TEST(t.entry("s1@example.org").state == "sent");
  auto u = t.entry("s2@example.org");
  BOOST_TEST(u.state == "uncertain");
  BOOST_TEST(u.last_error.find("may have accepted") != std::string::npos);
  BOOST_TEST(files_in(t.sent() + "/new") == 1u);
  // Never resent by the runner on its own...
  BOOST_TEST(t.flush().sent == 0);
  // ...until a coordinator decides.
  BOOST_REQUIRE(tp::retry(*t.st, u.id, "coord@example.org", clock::now()));
  BOOST_TEST(t.flush().sent == 1);
  BOOST_TEST(files_in(t.sent() + "/new") == 2u);
}

BOOST_AUTO_TEST_CASE(uncertain_mail_can_be_marked_sent) {
  team t;
  t.queue("s3@example.org");
  t.exec("UPDATE outbox SET state='uncertain', attempts=1, transport='smtp'");
  auto id = t.entry("s3@example.org").id;
  BOOST_TEST(!tp::retry(*t.st, id + 100, "c@example.org", clock::now()));
  BOOST_REQUIRE(tp::mark_sent(*t.st, t.cfg, id, "coord@example.org", clock::now()));
  auto e = t.entry("s3@example.org");
  BOOST_TEST(e.state == "sent");
  BOOST_TEST(e.receipt == "marked sent by coord@example.org");
  BOOST_TEST(fs::exists(t.file(e)));
  BOOST_TEST(!tp::mark_sent(*t.st, t.cfg, id, "coord@example.org", clock::now()));  // only from uncertain
  BOOST_TEST(t.flush().sent == 0);
  BOOST_TEST(files_in(t.sent() + "/new") == 0u);
}

BOOST_AUTO_TEST_CASE(sendmail_receipts_decide) {
  team t;
  for (auto id : {"k1@example.org", "k2@example.org", "k3@example.org", "k4@example.org"}) t.queue(id);
  t.exec("UPDATE outbox SET state='sending', attempts=1, transport='sendmail'");
  auto receipts = t.outbox() + "/receipts/";
  BOOST_REQUIRE(fs::make_private_dir(receipts));
  auto name = [&](const char* id) { return base(t.entry(id).path); };
  // k1: sendmail finished with 0 after the runner died.
  std::ofstream(receipts + name("k1@example.org") + ".lock");
  std::ofstream(receipts + name("k1@example.org") + ".receipt") << "exit 0\n";
  // k2: still running (its helper holds the lock).
  auto lock2 = receipts + name("k2@example.org") + ".lock";
  int fd = ::open(lock2.c_str(), O_RDWR | O_CREAT, 0600);
  BOOST_REQUIRE(::flock(fd, LOCK_EX) == 0);
  // k3: the helper died without a receipt.
  std::ofstream(receipts + name("k3@example.org") + ".lock");
  // k4: the runner died before starting sendmail: no lock at all.

  auto rep = t.flush();  // configured transport: maildir, for the resend of k4
  ::close(fd);
  BOOST_TEST(t.entry("k1@example.org").state == "sent");
  BOOST_TEST(t.entry("k2@example.org").state == "sending");
  BOOST_TEST(t.entry("k3@example.org").state == "uncertain");
  BOOST_TEST(t.entry("k4@example.org").state == "sent");
  BOOST_TEST(rep.in_progress == 1);
  BOOST_TEST(rep.left_to_retry());
  BOOST_TEST(files_in(t.sent() + "/new") == 1u);  // only k4 went through a transport
  BOOST_TEST(!fs::exists(receipts + name("k1@example.org") + ".receipt"));  // tidied once recorded
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sendmail_transport)

BOOST_AUTO_TEST_CASE(passes_the_store_envelope_explicitly) {
  temp_dir bin;
  auto prog = fake_sendmail(bin.path, "exit 0");
  team t("transport:\n  kind: sendmail\n  sendmail: " + prog + "\n");
  t.queue("sm1@example.org", {"a@example.net", "b@example.com"});
  auto rep = t.flush();
  BOOST_TEST(rep.sent == 1);
  BOOST_TEST(*fs::read_file(bin.path + "/args") ==
             "-i\n-f\nsecurity@example.org\n--\na@example.net\nb@example.com\n");  // no -t
  BOOST_TEST(*fs::read_file(bin.path + "/stdin") == message("sm1@example.org"));
  BOOST_TEST(t.entry("sm1@example.org").receipt == "sendmail exited 0");
}

BOOST_AUTO_TEST_CASE(tempfail_defers_with_backoff_other_codes_fail) {
  temp_dir bin;
  auto prog = fake_sendmail(bin.path, "echo 'queue file write error' >&2; exit 75");
  team t("transport:\n  kind: sendmail\n  sendmail: " + prog + "\n");
  t.queue("sm2@example.org");
  auto now = clock::now();
  auto rep = t.flush(now);
  BOOST_TEST(rep.deferred == 1);
  BOOST_TEST(rep.left_to_retry());
  auto e = t.entry("sm2@example.org");
  BOOST_TEST(e.state == "queued");
  BOOST_TEST(e.attempts == 1);
  BOOST_TEST(e.last_error.find("EX_TEMPFAIL") != std::string::npos);
  BOOST_TEST(e.last_error.find("queue file write error") != std::string::npos);
  BOOST_TEST(e.next_attempt == clock::iso_time(now + std::chrono::minutes(1)));
  // Not retried before its time...
  auto soon = t.flush(now + std::chrono::seconds(30));
  BOOST_TEST(soon.deferred == 1);
  BOOST_TEST(t.entry("sm2@example.org").attempts == 1);
  // ...retried after it; now the program refuses for good.
  fake_sendmail(bin.path, "exit 67");
  auto later = t.flush(now + std::chrono::minutes(2));
  BOOST_TEST(later.failed == 1);
  e = t.entry("sm2@example.org");
  BOOST_TEST(e.state == "failed");
  BOOST_TEST(e.attempts == 2);
  BOOST_TEST(e.last_error.find("EX_NOUSER") != std::string::npos);
  BOOST_TEST(fs::exists(t.file(e)));  // never dropped: the file stays for retry
}

BOOST_AUTO_TEST_CASE(a_killed_sendmail_is_uncertain) {
  temp_dir bin;
  auto prog = fake_sendmail(bin.path, "kill -9 $$");
  team t("transport:\n  kind: sendmail\n  sendmail: " + prog + "\n");
  t.queue("sm3@example.org");
  auto rep = t.flush();
  BOOST_TEST(rep.uncertain == 1);
  BOOST_TEST(t.entry("sm3@example.org").state == "uncertain");
}

BOOST_AUTO_TEST_CASE(a_missing_program_stops_the_pass) {
  team t("transport:\n  kind: sendmail\n  sendmail: /nonexistent/sendmail\n");
  t.queue("sm4@example.org");
  t.queue("sm5@example.org");
  auto rep = t.flush();
  BOOST_TEST(rep.deferred == 2);
  BOOST_TEST(t.entry("sm4@example.org").attempts == 1);
  BOOST_TEST(t.entry("sm4@example.org").last_error.find("transport.sendmail") != std::string::npos);
  BOOST_TEST(t.entry("sm5@example.org").attempts == 0);  // not tried: it would fail alike
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(smtp_transport)

BOOST_AUTO_TEST_CASE(refused_connection_is_temporary) {
  // A port nobody listens on: bind one, learn it, close it.
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  int port = ntohs(a.sin_port);
  ::close(s);
  team t("transport:\n  kind: smtp\n  smtp_url: smtp://127.0.0.1:" + std::to_string(port) +
         "\n  smtp_starttls: false\n");
  t.queue("c1@example.org");
  t.queue("c2@example.org");
  auto rep = t.flush();
  BOOST_TEST(rep.deferred == 2);
  BOOST_TEST(rep.sent == 0);
  auto e = t.entry("c1@example.org");
  BOOST_TEST(e.state == "queued");
  BOOST_TEST(e.transport == "smtp");
  BOOST_TEST(e.last_error.find("cannot talk to the SMTP server") != std::string::npos);
  BOOST_TEST(t.entry("c2@example.org").attempts == 0);
}

BOOST_AUTO_TEST_CASE(password_file_readable_by_others_is_refused) {
  team t("transport:\n  kind: smtp\n  smtp_url: smtp://127.0.0.1:1\n  smtp_user: vmt\n"
         "  smtp_password_file: smtp.pw\n");
  std::ofstream(t.dir.path + "/smtp.pw") << "hunter2-pw\n";
  ::chmod((t.dir.path + "/smtp.pw").c_str(), 0644);
  t.queue("p1@example.org");
  auto r = tp::flush(*t.st, t.cfg, clock::now());
  BOOST_REQUIRE(!r);
  BOOST_TEST(static_cast<int>(r.err().kind) == static_cast<int>(failure::permission));
  BOOST_TEST(r.err().fix.find("chmod 600") != std::string::npos);
  BOOST_TEST(r.err().message().find("hunter2") == std::string::npos);
  BOOST_TEST(t.entry("p1@example.org").state == "queued");
  BOOST_TEST(t.entry("p1@example.org").attempts == 0);
}

BOOST_AUTO_TEST_CASE(password_in_clear_to_a_remote_host_is_refused) {
  team t("transport:\n  kind: smtp\n  smtp_url: smtp://mail.example.org:25\n  smtp_starttls: false\n"
         "  smtp_user: vmt\n  smtp_password_file: smtp.pw\n");
  std::ofstream(t.dir.path + "/smtp.pw") << "secret\n";
  ::chmod((t.dir.path + "/smtp.pw").c_str(), 0600);
  t.queue("p2@example.org");
  auto r = tp::flush(*t.st, t.cfg, clock::now());
  BOOST_REQUIRE(!r);
  BOOST_TEST(static_cast<int>(r.err().kind) == static_cast<int>(failure::config));
  BOOST_TEST(r.err().what.find("clear text") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(classification)

BOOST_AUTO_TEST_CASE(smtp_table) {
  using detail_v = vmt::transport::detail::verdict;
  namespace d = vmt::transport::detail;
  struct row {
    CURLcode code;
    long reply;
    bool past;
    detail_v want;
    bool connection;
  } rows[] = {
      {CURLE_OK, 250, true, detail_v::sent, false},
      {CURLE_SEND_ERROR, 550, false, detail_v::permanent, false},      // RCPT refused
      {CURLE_WEIRD_SERVER_REPLY, 554, true, detail_v::permanent, false}, // refused after the dot
      {CURLE_SEND_ERROR, 451, false, detail_v::temporary, false},      // greylisted
      {CURLE_WEIRD_SERVER_REPLY, 452, true, detail_v::temporary, false}, // deferred after the dot
      {CURLE_WEIRD_SERVER_REPLY, 421, false, detail_v::temporary, true}, // service closing
      {CURLE_COULDNT_CONNECT, 0, false, detail_v::temporary, true},
      {CURLE_OPERATION_TIMEDOUT, 0, false, detail_v::temporary, true},
      {CURLE_USE_SSL_FAILED, 250, false, detail_v::temporary, true},   // no STARTTLS: no fallback
      {CURLE_LOGIN_DENIED, 535, false, detail_v::temporary, true},
      {CURLE_SEND_ERROR, 354, false, detail_v::temporary, false},      // dropped mid-DATA
      {CURLE_RECV_ERROR, 354, true, detail_v::uncertain, false},       // dropped after the dot
      {CURLE_OPERATION_TIMEDOUT, 354, true, detail_v::uncertain, false},
  };
  for (const auto& r : rows) {
    auto got = d::classify_smtp(r.code, r.reply, "x", r.past);
    BOOST_TEST_INFO("curl " << r.code << " reply " << r.reply << " past " << r.past);
    BOOST_TEST(static_cast<int>(got.v) == static_cast<int>(r.want));
    BOOST_TEST(got.connection_level == r.connection);
  }
}

BOOST_AUTO_TEST_CASE(sendmail_table) {
  namespace d = vmt::transport::detail;
  using v = d::verdict;
  struct row {
    const char* receipt;
    v want;
  } rows[] = {{"exit 0", v::sent},          {"exit 75", v::temporary}, {"exit 71", v::temporary},
              {"exit 127", v::temporary},   {"exit 67", v::permanent}, {"exit 64", v::permanent},
              {"exit 1", v::permanent},     {"signal 9", v::uncertain}, {"timeout 120", v::uncertain},
              {"garbage", v::uncertain}};
  for (const auto& r : rows) {
    BOOST_TEST_INFO(r.receipt);
    BOOST_TEST(static_cast<int>(d::classify_sendmail(r.receipt, "").v) == static_cast<int>(r.want));
  }
}

BOOST_AUTO_TEST_CASE(envelope_addresses_and_backoff) {
  namespace d = vmt::transport::detail;
  BOOST_TEST(d::valid_envelope_address("a.b+c@example.org"));
  for (const char* bad : {"", "-f@x", "a b@x", "<a@x>", "a@x\r\nRCPT TO:<e@x>", "noat", "a@", "@x", "a@x,b@y"})
    BOOST_TEST(!d::valid_envelope_address(bad), bad);
  using namespace std::chrono;
  BOOST_TEST(d::backoff(1).count() == 60);
  BOOST_TEST(d::backoff(2).count() == 120);
  BOOST_TEST(d::backoff(7).count() == 3600);
  BOOST_TEST(d::backoff(50).count() == 3600);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(runner)

BOOST_AUTO_TEST_CASE(gives_up_loudly_after_five_days) {
  temp_dir bin;
  auto prog = fake_sendmail(bin.path, "exit 75");
  team t("transport:\n  kind: sendmail\n  sendmail: " + prog + "\n");
  t.queue("g1@example.org");
  auto created = clock::parse_iso_time(t.entry("g1@example.org").created_at).value();
  BOOST_TEST(t.flush(created + std::chrono::hours(1)).deferred == 1);
  auto rep = t.flush(created + std::chrono::hours(24 * 5 + 2));
  BOOST_TEST(rep.failed == 1);
  auto e = t.entry("g1@example.org");
  BOOST_TEST(e.state == "failed");
  BOOST_TEST(e.last_error.find("gave up after 2 attempts") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_rows_fail_and_are_never_sent) {
  team t;
  t.queue("b1@example.org");
  t.queue("b2@example.org");
  t.exec("UPDATE outbox SET recipients='[\"x@y\\r\\nDATA\"]' WHERE message_id='b1@example.org'");
  ::unlink(t.file(t.entry("b2@example.org")).c_str());
  auto rep = t.flush();
  BOOST_TEST(rep.failed == 2);
  auto b1 = t.entry("b1@example.org").last_error;
  BOOST_TEST(b1.find("invalid envelope address 'x@y\\r\\nDATA'") != std::string::npos);  // escaped for logs
  BOOST_TEST(b1.find('\n') == std::string::npos);
  BOOST_TEST(t.entry("b2@example.org").last_error.find("no such file") != std::string::npos);
  BOOST_TEST(files_in(t.sent() + "/new") == 0u);
}

BOOST_AUTO_TEST_CASE(a_second_runner_is_turned_away) {
  team t;
  t.queue("l1@example.org");
  BOOST_REQUIRE(fs::make_maildir(t.outbox()));
  int fd = ::open((t.outbox() + "/runner.lock").c_str(), O_RDWR | O_CREAT, 0600);
  BOOST_REQUIRE(::flock(fd, LOCK_EX) == 0);
  auto r = tp::flush(*t.st, t.cfg, clock::now());
  ::close(fd);
  BOOST_REQUIRE(!r);
  BOOST_TEST(static_cast<int>(r.err().kind) == static_cast<int>(failure::temporary));
  BOOST_TEST(t.entry("l1@example.org").state == "queued");
  BOOST_TEST(t.flush().sent == 1);
}

BOOST_AUTO_TEST_CASE(header_block_stops_at_the_body) {
  team t;
  t.queue("hb@example.org");
  auto h = tp::header_block(t.cfg, t.entry("hb@example.org"));
  BOOST_REQUIRE(h);
  BOOST_TEST(h->find("Subject: test hb@example.org\n") != std::string::npos);
  BOOST_TEST(h->find("Hello.") == std::string::npos);
}

// A restored backup lives elsewhere: the store keeps outbox paths relative to the outbox, so a
// team folder copied to a new place still sends what was queued before the copy.
BOOST_AUTO_TEST_CASE(a_copied_team_folder_sends_its_outbox) {
  temp_dir elsewhere;
  {
    team t;
    t.queue("moved@example.org");
    BOOST_TEST(t.entry("moved@example.org").path.front() != '/');
    t.st.reset();
    fsys::copy(t.dir.path, elsewhere.path + "/team", fsys::copy_options::recursive);
  }  // the original folder is gone
  auto c = config::load(elsewhere.path + "/team/vmt.yaml");
  BOOST_REQUIRE(c);
  auto st = store::store::open(c->path(c->store.path), 1000);
  BOOST_REQUIRE(st);
  auto r = tp::flush(**st, *c, clock::now());
  BOOST_REQUIRE_MESSAGE(r, (r ? "" : r.err().message()));
  BOOST_TEST(r->sent == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
