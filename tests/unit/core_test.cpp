// core_test: status table, crash-safe files, clock formats, hashing, ASCII text helpers.
#define BOOST_TEST_MODULE core
#include <boost/test/unit_test.hpp>
#include <sys/stat.h>
#include <sysexits.h>

#include <cstdlib>
#include <filesystem>

#include "core/clock.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/status.h"
#include "core/text.h"

using namespace vmt;

namespace {
struct temp_dir {
  std::string path;
  temp_dir() {
    char tmpl[] = "/tmp/vmt-core-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~temp_dir() { std::filesystem::remove_all(path); }
};
}  // namespace

BOOST_AUTO_TEST_CASE(failure_classes_map_to_sysexits) {
  BOOST_TEST(exit_code(failure::temporary) == EX_TEMPFAIL);
  BOOST_TEST(exit_code(failure::config) == EX_CONFIG);
  BOOST_TEST(exit_code(failure::data) == EX_DATAERR);
  BOOST_TEST(exit_code(failure::permission) == EX_NOPERM);
  BOOST_TEST(std::string(failure_name(failure::temporary)) == "temporary");
}

BOOST_AUTO_TEST_CASE(error_message_names_where_what_fix) {
  auto e = make_error(failure::config, "vmt.yaml:3: tracker.kind", "unknown tracker 'x'", "use local");
  BOOST_TEST(e.message() == "vmt.yaml:3: tracker.kind: unknown tracker 'x' (use local)");
}

BOOST_AUTO_TEST_CASE(atomic_write_replaces_and_is_private) {
  temp_dir t;
  auto p = t.path + "/f";
  BOOST_REQUIRE(fs::write_file_atomic(p, "one"));
  BOOST_REQUIRE(fs::write_file_atomic(p, "two"));
  BOOST_TEST(*fs::read_file(p) == "two");
  struct stat st;
  ::stat(p.c_str(), &st);
  BOOST_TEST((st.st_mode & 0777) == 0600);
  BOOST_TEST(std::distance(std::filesystem::directory_iterator(t.path), {}) == 1);  // no tmp left
}

BOOST_AUTO_TEST_CASE(maildir_delivery_is_idempotent_by_name) {
  temp_dir t;
  auto md = t.path + "/box";
  auto a = fs::maildir_deliver(md, "x.eml", "hello");
  auto b = fs::maildir_deliver(md, "x.eml", "hello");
  BOOST_REQUIRE(a);
  BOOST_REQUIRE(b);
  BOOST_TEST(*a == *b);
  BOOST_TEST(std::distance(std::filesystem::directory_iterator(md + "/new"), {}) == 1);
  BOOST_TEST(!fs::maildir_deliver(md, "a/b", "x"));
}

BOOST_AUTO_TEST_CASE(read_file_limits_and_missing) {
  temp_dir t;
  auto p = t.path + "/big";
  BOOST_REQUIRE(fs::write_file_atomic(p, std::string(100, 'x')));
  auto r = fs::read_file(p, 10);
  BOOST_REQUIRE(!r);
  BOOST_TEST((r.err().kind == failure::data));
  auto m = fs::read_file(t.path + "/none");
  BOOST_TEST((m.err().kind == failure::no_input));
}

BOOST_AUTO_TEST_CASE(secret_files_readable_by_others_are_refused) {
  temp_dir t;
  auto p = t.path + "/token";
  BOOST_REQUIRE(fs::write_file_atomic(p, "secret", 0644));
  ::chmod(p.c_str(), 0644);
  auto st = fs::check_private_file(p);
  BOOST_REQUIRE(!st);
  BOOST_TEST((st.err().kind == failure::permission));
  BOOST_TEST(st.err().fix.find("chmod 600") != std::string::npos);
  ::chmod(p.c_str(), 0600);
  BOOST_TEST(bool(fs::check_private_file(p)));
}

BOOST_AUTO_TEST_CASE(dates_parse_and_format) {
  auto d = clock::parse_iso_date("2024-02-29");
  BOOST_REQUIRE(d);
  BOOST_TEST(clock::iso_date(*d) == "2024-02-29");
  BOOST_TEST(!clock::parse_iso_date("2023-02-29"));
  BOOST_TEST(!clock::parse_iso_date("2023-2-1"));
  BOOST_TEST(clock::long_date(*clock::parse_iso_date("2026-05-11")) == "May 11, 2026");
  auto t = clock::parse_iso_time("2026-05-11T15:00:00Z");
  BOOST_REQUIRE(t);
  BOOST_TEST(clock::iso_time(*t) == "2026-05-11T15:00:00Z");
  BOOST_TEST(clock::rfc5322_date(*t) == "Mon, 11 May 2026 15:00:00 +0000");
  BOOST_TEST(!clock::parse_iso_time("2026-05-11T25:00Z"));
}

BOOST_AUTO_TEST_CASE(clock_honours_vmt_now) {
  ::setenv("VMT_NOW", "2026-01-02T03:04:05Z", 1);
  BOOST_TEST(clock::iso_time(clock::now()) == "2026-01-02T03:04:05Z");
  ::unsetenv("VMT_NOW");
}

BOOST_AUTO_TEST_CASE(sha256_known_vector) {
  BOOST_TEST(hash::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(lower_folds_ascii_only) {
  // Bytes outside ASCII are left alone: std::tolower under a Latin-1 locale would fold 0xC9 into
  // 0xE9, and 0xC3 0x89 (É in UTF-8) would no longer be UTF-8.
  BOOST_TEST(text::lower("Content-Type: TEXT/Plain") == "content-type: text/plain");
  BOOST_TEST(text::lower("\xC3\x89T\xC9") == "\xC3\x89t\xC9");
  BOOST_TEST(text::lower("") == "");
}

BOOST_AUTO_TEST_CASE(utf8_validity_and_the_first_bad_byte) {
  BOOST_TEST(text::first_invalid_utf8("plain ASCII") == std::string::npos);
  BOOST_TEST(text::first_invalid_utf8("Ren\xC3\xA9 \xF0\x9F\x94\x92") == std::string::npos);
  BOOST_TEST(text::first_invalid_utf8("Ren\xE9") == 3u);                // Latin-1
  BOOST_TEST(text::first_invalid_utf8("ab\xC0\xAF") == 2u);            // overlong '/'
  BOOST_TEST(text::first_invalid_utf8("\xED\xA0\x80") == 0u);          // a surrogate
  BOOST_TEST(text::first_invalid_utf8("\xF4\x90\x80\x80") == 0u);      // past U+10FFFF
  BOOST_TEST(text::first_invalid_utf8("ok\xE2\x82") == 2u);            // cut short
}
