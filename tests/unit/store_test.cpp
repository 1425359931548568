// store_test: case numbering, messages, ledger, quarantine, migrations, and the mapping of SQLite
// faults to failure classes (a locked store is temporary, a newer schema is refused).
#define BOOST_TEST_MODULE store
#include <boost/test/unit_test.hpp>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>

#include "store/store.h"

using namespace vmt;

namespace {
struct temp_store {
  std::string dir;
  std::unique_ptr<store::store> st;
  temp_store() {
    char t[] = "/tmp/vmt-store-XXXXXX";
    dir = ::mkdtemp(t);
    st = std::move(store::store::open(dir + "/vmt.db", 200).value());
  }
  ~temp_store() { std::filesystem::remove_all(dir); }
};

store::case_record sample(const std::string& id) {
  store::case_record c;
  c.id = id;
  c.title = "t";
  c.embargo_end = "2026-08-09";
  c.created_at = c.updated_at = "2026-05-11T10:00:00Z";
  return c;
}
}  // namespace

BOOST_FIXTURE_TEST_CASE(case_ids_count_per_year, temp_store) {
  BOOST_TEST(*st->next_case_id("VMT", 2026) == "VMT-2026-001");
  BOOST_REQUIRE(st->insert_case(sample("VMT-2026-001"), 2026, 1));
  BOOST_TEST(*st->next_case_id("VMT", 2026) == "VMT-2026-002");
  BOOST_TEST(*st->next_case_id("VMT", 2027) == "VMT-2027-001");
  BOOST_TEST(!st->insert_case(sample("VMT-2026-001"), 2026, 1));  // unique
  auto parsed = store::parse_case_id("VMT-2026-042", "VMT");
  BOOST_REQUIRE(parsed);
  BOOST_TEST(parsed->first == 2026);
  BOOST_TEST(parsed->second == 42);
  BOOST_TEST(!store::parse_case_id("VMT-26-1", "VMT"));
  BOOST_TEST(!store::parse_case_id("OSSA-2026-001", "VMT"));
}

BOOST_FIXTURE_TEST_CASE(case_round_trip_and_update, temp_store) {
  auto c = sample("VMT-2026-001");
  c.reporter_email = "jane@example.net";
  c.sig_status = "valid";
  c.sig_matches_from = true;
  BOOST_REQUIRE(st->insert_case(c, 2026, 1));
  auto got = st->find_case("VMT-2026-001").value().value();
  BOOST_TEST(got.reporter_email == "jane@example.net");
  BOOST_TEST(got.sig_matches_from);
  BOOST_TEST(got.is_private);
  got.ossa_status = "Confirmed";
  got.cve = "CVE-2026-12345";
  BOOST_REQUIRE(st->update_case(got));
  BOOST_TEST(st->find_case("VMT-2026-001").value()->cve == "CVE-2026-12345");
  BOOST_TEST(!st->find_case("VMT-2026-999").value());
  auto missing = sample("VMT-2026-999");
  BOOST_TEST(!st->update_case(missing));
}

BOOST_FIXTURE_TEST_CASE(messages_ledger_and_quarantine, temp_store) {
  BOOST_REQUIRE(st->insert_case(sample("VMT-2026-001"), 2026, 1));
  store::message_record m;
  m.case_id = "VMT-2026-001";
  m.dedupe_key = "k1";
  m.sha256 = "s1";
  m.message_id = "a@b";
  m.state = "filed";
  m.received_at = "2026-05-11T10:00:00Z";
  m.body = "secret";
  auto row = st->insert_message(m);
  BOOST_REQUIRE(row);
  BOOST_TEST(st->find_message_by_key("k1").value()->body == "secret");
  BOOST_TEST(st->find_messages_by_message_id("a@b").value().size() == 1u);
  m.row = *row;
  m.dedupe_key = "k1";
  BOOST_TEST(!st->insert_message(m));  // a second message with the same key is refused

  store::event_record e{0, "VMT-2026-001", "2026-05-11T10:00:01Z", "disclosed", "vmt-ingest", "team told",
                        {"nova-coresec"}, {"ABC"}, "a@b"};
  BOOST_REQUIRE(st->add_event(e));
  auto ev = st->case_events("VMT-2026-001").value();
  BOOST_REQUIRE(ev.size() == 1u);
  BOOST_TEST(ev[0].recipients == std::vector<std::string>{"nova-coresec"});
  BOOST_TEST(ev[0].keys == std::vector<std::string>{"ABC"});

  store::message_record q;
  q.dedupe_key = "k2";
  q.sha256 = "s2";
  q.state = "quarantined";
  q.received_at = "2026-05-11T10:00:00Z";
  auto qrow = st->insert_message(q);
  BOOST_REQUIRE(st->quarantine(*qrow, "no-key", "", "2026-05-11T10:00:00Z"));
  BOOST_REQUIRE(st->quarantine(*qrow, "no-key", "", "2026-05-11T10:00:00Z"));  // idempotent
  BOOST_TEST(st->quarantined().value().size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(tracker_ops_record_progress, temp_store) {
  BOOST_REQUIRE(st->insert_case(sample("VMT-2026-001"), 2026, 1));
  BOOST_TEST(!st->tracker_op_done("VMT-2026-001", "create").value());
  BOOST_REQUIRE(st->mark_tracker_op("VMT-2026-001", "create", "done", "17", "t"));
  BOOST_TEST(*st->tracker_op_done("VMT-2026-001", "create").value() == "17");
}

BOOST_FIXTURE_TEST_CASE(locked_store_is_a_temporary_failure, temp_store) {
  sqlite3* other = nullptr;
  BOOST_REQUIRE(sqlite3_open((dir + "/vmt.db").c_str(), &other) == SQLITE_OK);
  BOOST_REQUIRE(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
  auto r = st->transaction([&]() -> status { return st->insert_case(sample("VMT-2026-001"), 2026, 1); });
  BOOST_REQUIRE(!r);
  BOOST_TEST((r.err().kind == failure::temporary));
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  BOOST_TEST(bool(st->transaction([&]() -> status { return st->insert_case(sample("VMT-2026-001"), 2026, 1); })));
}

BOOST_FIXTURE_TEST_CASE(store_file_is_private, temp_store) {
  struct stat s;
  BOOST_REQUIRE(::stat((dir + "/vmt.db").c_str(), &s) == 0);
  BOOST_TEST((s.st_mode & 0777) == 0600);
}

BOOST_FIXTURE_TEST_CASE(newer_schema_is_refused, temp_store) {
  BOOST_REQUIRE(st->raw().exec("UPDATE meta SET value = '999' WHERE key = 'schema_version'"));
  st.reset();
  auto again = store::store::open(dir + "/vmt.db", 200);
  BOOST_REQUIRE(!again);
  BOOST_TEST((again.err().kind == failure::config));
  BOOST_TEST(again.err().what.find("newer vmt") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(staged_actions_wait_for_their_hour, temp_store) {
  BOOST_REQUIRE(st->insert_case(sample("VMT-2026-001"), 2026, 1));
  store::staged_action a;
  a.case_id = "VMT-2026-001";
  a.kind = "disclose";
  a.payload = "{}";
  a.not_before = "2026-05-14T15:00:00Z";
  a.created_at = "2026-05-11T10:00:00Z";
  BOOST_REQUIRE(st->stage(a));
  BOOST_TEST(st->due_actions("2026-05-14T14:59:59Z").value().empty());
  auto due = st->due_actions("2026-05-14T15:00:00Z").value();
  BOOST_REQUIRE(due.size() == 1u);
  a.not_before = "2026-05-15T15:00:00Z";  // re-staging moves it
  BOOST_REQUIRE(st->stage(a));
  BOOST_TEST(st->due_actions("2026-05-14T15:00:00Z").value().empty());
  BOOST_REQUIRE(st->finish_action(due[0].id, "done", "", "2026-05-15T15:00:01Z"));
  BOOST_REQUIRE(st->stage(a));  // a done action is not re-armed
  BOOST_TEST(st->staged_actions("VMT-2026-001").value()[0].state == "done");
}
