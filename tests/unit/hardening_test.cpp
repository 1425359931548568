// hardening_test: regression tests for what fuzzing and the fault tests found (issue 6), each with
// its input inline: the MIME splitter's range for an empty part, and reception inputs that used to
// make vmt-ingest defer a message forever (an exception, or an error that retrying cannot fix) or
// repeat a ledger line after a crash. The reader is the real one (plain messages: no gpg call); the
// store is in memory, the tracker the real local one, the composer checks what compose() checks.
#define BOOST_TEST_MODULE hardening
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "crypto/compose.h"
#include "crypto/keys.h"
#include "crypto/openpgp.h"
#include "intake/reception.h"
#include "message/address.h"
#include "message/header.h"
#include "message/mime.h"
#include "tracker/local.h"
#include "transport/outbox.h"

using namespace vmt;

namespace {

struct crash : std::runtime_error {
  crash() : std::runtime_error("crash") {}
};

struct fixture {
  std::string dir;
  config::config cfg;
  std::unique_ptr<store::store> st;
  std::unique_ptr<tmpl::engine> templates;
  std::unique_ptr<intake::reception> rec;
  std::vector<intake::outgoing_mail> sent;

  fixture() {
    ::setenv("VMT_NOW", "2026-05-11T10:00:00Z", 1);
    char d[] = "/tmp/vmt-hardening-XXXXXX";
    dir = ::mkdtemp(d);
    cfg.file = dir + "/vmt.yaml";
    cfg.base = dir;
    cfg.team.address = "security@example.org";
    cfg.team.notify = {"coord@example.org"};
    BOOST_REQUIRE(crypto::prepare_home(dir + "/gnupg"));
    st = std::move(store::store::open_memory().value());
    templates =
        std::make_unique<tmpl::engine>(std::vector<std::string>{std::string(VMT_SOURCE_DIR) + "/templates"});
    rec = std::make_unique<intake::reception>(intake::make_reception(cfg, *st, *templates));
    rec->compose = [this](const intake::outgoing_mail& m) -> result<std::pair<std::string, std::string>> {
      // What crypto::compose refuses, refused alike (without signing).
      VMT_TRY_STATUS(message::format_mailbox(m.from_name, m.from_email));
      if (!m.to_email.empty()) VMT_TRY_STATUS(message::format_mailbox(m.to_name, m.to_email));
      if (!m.in_reply_to.empty() && !crypto::valid_message_id(m.in_reply_to))
        return make_error(failure::data, "in_reply_to", "not a valid message id");
      sent.push_back(m);
      return std::make_pair("Subject: x\n\n" + m.body, m.message_id);
    };
    rec->open_tracker = [this]() { return tracker::open_local(dir + "/tracker.db", 1000, "local:"); };
  }
  ~fixture() {
    crypto::stop_agent(dir + "/gnupg");
    std::filesystem::remove_all(dir);
    ::unsetenv("VMT_NOW");
  }
  result<intake::receipt> deliver(const std::string& raw) {
    auto s = intake::spool_bytes(raw, dir + "/spool");
    if (!s) return std::move(s).err();
    return intake::receive(*rec, *s);
  }
  long long count(const std::string& sql) {
    auto q = st->raw().prepare(sql).value();
    BOOST_REQUIRE(q.step().value());
    return q.integer(0);
  }
  bool has_event(const std::string& kind) {
    return count("SELECT COUNT(*) FROM events WHERE kind = '" + kind + "'") > 0;
  }
};

}  // namespace

// fuzz_mime, tests/fuzz-regressions/fuzz_mime/empty-part-range: two delimiters in a row made the
// empty part's end one byte before its start, and raw_bytes() returned the rest of the message.
BOOST_AUTO_TEST_CASE(empty_part_has_an_empty_range) {
  const std::string raw =
      "Content-Type: multipart/mixed; boundary=\":foo\"\n\n--:foo\n--:foo\nContent-Type: text/plain\n--:foo\n"
      "Content-Type: text/plain\r\n--:foo\nContent-Type: text/html\n--:foo--\n";
  auto d = message::parse(raw, {});
  BOOST_REQUIRE(d.root.children.size() == 4u);
  for (const auto& e : d.root.children) {
    BOOST_TEST(e.begin <= e.body_begin);
    BOOST_TEST(e.body_begin <= e.end);
    BOOST_TEST(message::raw_bytes(d, e).size() == e.end - e.begin);
  }
  BOOST_TEST(message::raw_bytes(d, d.root.children[0]).empty());
}

// fuzz_headers, tests/fuzz-regressions/fuzz_headers/quoted-local-part-crlf: a quoted local part
// holding CRLF (folding, legal inside a quoted-string) or a NUL passed valid_addr_spec, so
// format_mailbox() put a line break into an outbound header.
BOOST_AUTO_TEST_CASE(addr_spec_with_control_characters_is_refused) {
  for (std::string a : {std::string("\"a\r\n b\"@example.org"), std::string("\"a\r\nBcc: x\"@example.org"),
                        std::string("\"a\0b\"@example.org", 17), std::string("\"a\tb\"@example.org")}) {
    BOOST_TEST(!message::valid_addr_spec(a));
    BOOST_TEST(!message::format_mailbox("Jane", a));
  }
  BOOST_TEST(message::valid_addr_spec("\"a b\"@example.org"));  // a space stays legal
}

// fuzz_reception, tests/fuzz-regressions/fuzz_reception/from-not-utf8: a From addr-spec with bytes
// that are not UTF-8 made verdict_json() throw (vmt-ingest deferred the message forever) and would
// have reached a JSON tracker API in the bug description.
BOOST_FIXTURE_TEST_CASE(from_that_is_not_utf8_is_filed, fixture) {
  auto r = deliver("From: me@myself.com\xb0\xb0\nTo: security@example.org\nSubject: hello\n\nhello nova\n");
  BOOST_REQUIRE_MESSAGE(r, (r ? "" : r.err().message()));
  BOOST_TEST((r->what == intake::outcome::new_case));
  auto m = st->case_messages(r->case_id).value();
  BOOST_REQUIRE(m.size() == 1u);
  BOOST_CHECK_NO_THROW(nlohmann::json::parse(m[0].verdict));
  auto t = tracker::open_local(dir + "/tracker.db", 1000, "local:").value();
  auto bug = t->get_bug(st->find_case(r->case_id).value()->tracker_bug).value();
  BOOST_CHECK_NO_THROW((void)nlohmann::json(bug.description).dump());  // what Launchpad would be sent
  BOOST_TEST(has_event("ack-skipped"));                                // not an address a transport can carry
}

// A valid addr-spec that is no envelope address used to make the ack enqueue fail: deferred forever.
BOOST_FIXTURE_TEST_CASE(from_that_is_no_envelope_address_is_filed_without_ack, fixture) {
  for (const char* from : {"\"jane doe\"@example.org", "jane@[192.0.2.1]", "-oQ@example.org"}) {
    auto r = deliver(std::string("From: ") + from + "\nSubject: [nova] x " + from + "\n\nreport\n");
    BOOST_REQUIRE_MESSAGE(r, from << ": " << (r ? "" : r.err().message()));
    BOOST_TEST((r->what == intake::outcome::new_case));
  }
  BOOST_TEST(count("SELECT COUNT(*) FROM outbox") == 0);
  BOOST_TEST(count("SELECT COUNT(*) FROM events WHERE kind = 'ack-skipped'") == 3);
}

// A Message-ID no reply may carry used to make compose() refuse the ack: deferred forever. (The
// reader drops white space inside a msg-id, so the first one becomes valid; the others are left out.)
BOOST_FIXTURE_TEST_CASE(invalid_message_id_is_left_out_of_the_reply, fixture) {
  for (const char* id : {"<two words@example.org>", "<a@b@example.org>", "<\"q\"@example.org>"}) {
    auto r = deliver(std::string("From: Jane <jane@example.org>\nMessage-ID: ") + id + "\nSubject: [nova] " +
                     id + "\n\nreport\n");
    BOOST_REQUIRE_MESSAGE(r, id << ": " << (r ? "" : r.err().message()));
    BOOST_REQUIRE(!sent.empty());
    const auto& irt = sent.back().in_reply_to;
    BOOST_TEST((irt.empty() || crypto::valid_message_id(irt)), id << " became In-Reply-To " << irt);
  }
}

// A long subject becomes a title cut at a character boundary (trackers take JSON, UTF-8 only).
BOOST_FIXTURE_TEST_CASE(long_title_is_cut_at_a_character_boundary, fixture) {
  std::string subject(196, 'a');
  for (int i = 0; i < 20; ++i) subject += "\xc3\xa9";  // "é"
  auto r = deliver("From: Jane <jane@example.org>\nSubject: " + subject + "\n\nreport\n");
  BOOST_REQUIRE(r);
  auto title = st->find_case(r->case_id).value()->title;
  BOOST_TEST(title.size() <= 200u);
  BOOST_CHECK_NO_THROW((void)nlohmann::json(title).dump());
}

// T640: a crash between a tracker call and its record used to write the ledger line twice.
BOOST_FIXTURE_TEST_CASE(crash_between_tracker_call_and_record_tells_the_ledger_once, fixture) {
  const std::string raw =
      "From: Jane <jane@example.org>\nSubject: [nova] x\nMessage-ID: <c1@example.org>\n\nreport\n";
  for (const char* step : {"tracker-call:create", "tracker-call:ossa-task"}) {
    rec->after_step = [step](const std::string& s) {
      if (s == step) throw crash();
    };
    BOOST_CHECK_THROW((void)deliver(raw), crash);
    rec->after_step = [](const std::string&) {};
  }
  BOOST_REQUIRE(deliver(raw));
  BOOST_TEST(count("SELECT COUNT(*) FROM events WHERE kind = 'tracker'") == 1);
  BOOST_TEST(count("SELECT COUNT(*) FROM events WHERE kind = 'status'") == 1);
  BOOST_TEST(count("SELECT COUNT(*) FROM outbox WHERE kind = 'ack'") == 1);
}

// T640: a crash after quarantining used to lose the coordinators' notice (the redelivery saw a
// quarantined message and stopped).
BOOST_FIXTURE_TEST_CASE(crash_after_quarantine_still_tells_the_coordinators, fixture) {
  const std::string garbage("\x01\x02\x03\xff\xfe binary noise \x00\x01", 22);
  rec->after_step = [](const std::string& s) {
    if (s == "store") throw crash();
  };
  BOOST_CHECK_THROW((void)deliver(garbage), crash);
  rec->after_step = [](const std::string&) {};
  auto r = deliver(garbage);
  BOOST_REQUIRE(r);
  BOOST_TEST((r->what == intake::outcome::duplicate));
  BOOST_TEST(count("SELECT COUNT(*) FROM outbox WHERE kind = 'quarantine-notice'") == 1);
  BOOST_REQUIRE(deliver(garbage));
  BOOST_TEST(count("SELECT COUNT(*) FROM outbox WHERE kind = 'quarantine-notice'") == 1);
}
