// process_test: the OSSA task state machine, the report taxonomy, the disclosure calendar and
// AFFECTED_VERSIONS (with a throwaway git repository built at test time by the real git). Longer
// than most files because the cases are tables, one row per rule or seed example.
#define BOOST_TEST_MODULE process
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/clock.h"
#include "process/calendar.h"
#include "process/states.h"
#include "process/taxonomy.h"
#include "process/versions.h"

using namespace vmt;
using namespace vmt::process;

// Readable values in failure messages.
namespace vmt {
std::ostream& operator<<(std::ostream& o, failure f) {
  return o << failure_name(f);
}
namespace process {
std::ostream& operator<<(std::ostream& o, ossa_status s) {
  return o << name(s);
}
std::ostream& operator<<(std::ostream& o, verb v) {
  return o << verb_name(v);
}
}  // namespace process
}  // namespace vmt

namespace {

clock::days day(const char* s) {
  auto d = clock::parse_iso_date(s);
  BOOST_REQUIRE_MESSAGE(d, "bad test date " << s);
  return *d;
}

config::disclosure_settings window(int lo, int hi, std::vector<config::holiday> hols = {}) {
  config::disclosure_settings s;
  s.min_business_days = lo;
  s.max_business_days = hi;
  s.holidays = std::move(hols);
  return s;
}

const config::holiday memorial{"2026-05-25", "2026-05-25", "Memorial Day"};
const config::holiday winter{"2026-12-24", "2027-01-01", "Winter break"};
const config::holiday good_friday{"2026-04-03", "2026-04-03", "Good Friday"};
const config::holiday easter_monday{"2026-04-06", "2026-04-06", "Easter Monday"};

}  // namespace

// --- state machine ---------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(transitions_table) {
  using s = ossa_status;
  case_facts emb;  // embargoed, no CVE yet, patches not merged
  case_facts emb_cve{true, true, false};
  case_facts pub{false, false, false};
  case_facts pub_cve{false, true, false};
  case_facts merged{true, true, true};
  struct row {
    s from;
    verb v;
    case_facts f;
    std::optional<s> to;  // nullopt: refused
  };
  const row rows[] = {
      {s::incomplete, verb::confirm, emb, s::confirmed},
      {s::confirmed, verb::confirm, emb, std::nullopt},
      {s::confirmed, verb::challenge, emb, s::incomplete},
      {s::triaged, verb::challenge, emb, s::incomplete},
      {s::in_progress, verb::challenge, emb, s::incomplete},
      {s::wont_fix, verb::challenge, pub, s::incomplete},
      {s::incomplete, verb::challenge, emb, std::nullopt},
      {s::fix_released, verb::challenge, emb, std::nullopt},
      {s::confirmed, verb::describe, emb, s::triaged},
      {s::triaged, verb::describe, emb, s::triaged},
      {s::incomplete, verb::describe, emb, std::nullopt},
      {s::confirmed, verb::cve_request, emb, std::nullopt},
      {s::triaged, verb::cve_request, emb, s::in_progress},
      {s::in_progress, verb::cve_request, emb, s::in_progress},
      {s::triaged, verb::cve_assign, emb, std::nullopt},
      {s::in_progress, verb::cve_assign, emb, s::in_progress},    // embargoed: stays until disclosure
      {s::in_progress, verb::cve_assign, pub, s::fix_committed},  // public: Fix Committed at once
      {s::in_progress, verb::notify, emb, std::nullopt},          // no CVE yet
      {s::in_progress, verb::notify, emb_cve, s::in_progress},
      {s::in_progress, verb::notify, pub_cve, std::nullopt},  // no advance notice for public reports
      {s::triaged, verb::notify, emb_cve, std::nullopt},
      {s::in_progress, verb::disclose, emb_cve, s::fix_committed},
      {s::in_progress, verb::disclose, emb, std::nullopt},
      {s::fix_committed, verb::disclose, pub_cve, s::fix_committed},
      {s::in_progress, verb::publish, emb_cve, std::nullopt},
      {s::fix_committed, verb::publish, emb_cve, s::fix_committed},
      {s::fix_committed, verb::release, emb_cve, std::nullopt},  // patches not merged yet
      {s::fix_committed, verb::release, merged, s::fix_released},
      {s::in_progress, verb::release, merged, std::nullopt},
      {s::triaged, verb::end_embargo, emb, s::triaged},
      {s::in_progress, verb::end_embargo, emb_cve, s::fix_committed},  // public rule with a CVE
      {s::in_progress, verb::end_embargo, pub, std::nullopt},
      {s::incomplete, verb::wont_fix, emb, s::wont_fix},
      {s::in_progress, verb::invalid, emb, s::invalid},
      {s::fix_committed, verb::wont_fix, emb, s::wont_fix},
      {s::wont_fix, verb::invalid, emb, std::nullopt},
      {s::fix_released, verb::wont_fix, emb, std::nullopt},
  };
  for (const auto& r : rows) {
    BOOST_TEST_CONTEXT(name(r.from) << " + " << verb_name(r.v) << " (embargoed " << r.f.embargoed << ", cve "
                                    << r.f.cve_assigned << ", merged " << r.f.patches_merged << ")") {
      auto got = check_transition(r.from, r.v, r.f);
      BOOST_TEST(got.ok() == r.to.has_value());
      if (got && r.to) BOOST_TEST(std::string(name(*got)) == std::string(name(*r.to)));
      if (!got) BOOST_TEST(got.err().kind == failure::unavailable);
    }
  }
}

BOOST_AUTO_TEST_CASE(refusal_says_state_and_what_is_next) {
  auto r = check_transition(ossa_status::in_progress, verb::release, {true, true, false}, "VMT-2026-001");
  BOOST_REQUIRE(!r);
  std::string m = r.err().message();
  BOOST_TEST(r.err().where == "VMT-2026-001");
  BOOST_TEST(m.find("the case is In Progress") != std::string::npos, m);
  BOOST_TEST(m.find("Send CVE request") != std::string::npos, m);  // the step it stands for
  BOOST_TEST(m.find("release is not allowed") != std::string::npos, m);
  BOOST_TEST(
      r.err().fix ==
      "allowed next: challenge, cve-request, cve-assign, notify, disclose, end-embargo, won't-fix, invalid");
  auto closed = check_transition(ossa_status::fix_released, verb::confirm);
  BOOST_REQUIRE(!closed);
  BOOST_TEST(closed.err().fix == "nothing is allowed next: the case is closed");
}

BOOST_AUTO_TEST_CASE(both_paths_walk_to_fix_released) {
  // Embargoed: the diagram from Reception to All patches merged.
  case_facts f;
  ossa_status st = ossa_status::incomplete;
  auto step = [&](verb v) {
    auto r = check_transition(st, v, f);
    BOOST_REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.err().message()));
    st = *r;
  };
  for (verb v : {verb::confirm, verb::describe, verb::cve_request, verb::cve_assign}) step(v);
  BOOST_TEST(st == ossa_status::in_progress);
  f.cve_assigned = true;
  for (verb v : {verb::notify, verb::disclose, verb::publish}) step(v);
  BOOST_TEST(st == ossa_status::fix_committed);
  f.patches_merged = true;
  step(verb::release);
  BOOST_TEST(st == ossa_status::fix_released);
  BOOST_TEST(allowed_verbs(st, f).empty());
  // Public: no notification; Fix Committed when the CVE is assigned.
  f = {false, false, false};
  st = ossa_status::incomplete;
  for (verb v : {verb::confirm, verb::describe, verb::cve_request, verb::cve_assign}) step(v);
  BOOST_TEST(st == ossa_status::fix_committed);
}

BOOST_AUTO_TEST_CASE(status_names_launchpad_and_storyboard) {
  struct row {
    const char* text;
    ossa_status want;
  };
  const row rows[] = {{"Incomplete", ossa_status::incomplete},
                      {"todo", ossa_status::incomplete},
                      {"New", ossa_status::incomplete},
                      {"Confirmed", ossa_status::confirmed},
                      {"inprogress", ossa_status::confirmed},
                      {"Triaged", ossa_status::triaged},
                      {"review", ossa_status::triaged},
                      {"In Progress", ossa_status::in_progress},
                      {"in_progress", ossa_status::in_progress},
                      {"Fix Committed", ossa_status::fix_committed},
                      {"Fix Released", ossa_status::fix_released},
                      {"merged", ossa_status::fix_released},
                      {"Won't Fix", ossa_status::wont_fix},
                      {"wontfix", ossa_status::wont_fix},
                      {"Invalid", ossa_status::invalid}};
  for (const auto& r : rows) {
    BOOST_TEST_CONTEXT(r.text) {
      auto got = parse_status(r.text);
      BOOST_REQUIRE(got.has_value());
      BOOST_TEST(static_cast<int>(*got) == static_cast<int>(r.want));
    }
  }
  BOOST_TEST(!parse_status("Opinion").has_value());
  BOOST_TEST(info(ossa_status::confirmed).storyboard == "inprogress");
  BOOST_TEST(info(ossa_status::fix_released).storyboard == "merged");
  BOOST_TEST(info(ossa_status::wont_fix).storyboard == "invalid");
  BOOST_TEST(statuses().size() == 8u);
  for (const auto& i : statuses())
    BOOST_TEST(parse_status(i.launchpad).value_or(ossa_status::invalid) == i.status);
  for (verb v : all_verbs()) BOOST_TEST(parse_verb(verb_name(v)).value_or(verb::confirm) == v);
  BOOST_TEST(parse_verb("wont-fix").value_or(verb::confirm) == verb::wont_fix);
  BOOST_TEST(parse_verb("review").value_or(verb::confirm) == verb::describe);
}

// --- taxonomy --------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(taxonomy_classes_and_outcomes) {
  const std::pair<const char*, const char*> want[] = {{"A", "OSSA"},
                                                      {"B1", "OSSN"},
                                                      {"B2", "OSSN"},
                                                      {"B3", "OSSN"},
                                                      {"C1", "Potential OSSN"},
                                                      {"C2", "Potential OSSN"},
                                                      {"D", "Potential OSSN"},
                                                      {"E", "none"},
                                                      {"Y", "none"},
                                                      {"Z", "none"}};
  BOOST_REQUIRE(taxonomy().size() == std::size(want));
  for (std::size_t i = 0; i < std::size(want); ++i) {
    BOOST_TEST(taxonomy()[i].id == want[i].first);
    BOOST_TEST(outcome_name(taxonomy()[i].result) == want[i].second);
  }
  BOOST_TEST(find_class("b1")->id == "B1");
  BOOST_TEST(find_class("Class C2")->id == "C2");
  BOOST_TEST(warrants_advisory(*find_class("A")));
  BOOST_TEST(!warrants_advisory(*find_class("B2")));
  auto bad = find_class("F");
  BOOST_REQUIRE(!bad);
  BOOST_TEST(bad.err().kind == failure::usage);
  BOOST_TEST(bad.err().fix.find("A, B1, B2, B3, C1, C2, D, E, Y, Z") != std::string::npos);
}

// The descriptions are the seed's words: compare with its table when the seed is at hand.
BOOST_AUTO_TEST_CASE(taxonomy_matches_the_seed_word_for_word) {
  std::ifstream in(std::string(VMT_SHARED_DIR) + "/seeds/004_1723eb29eb6c0b23.txt");
  if (!in) {
    BOOST_TEST_MESSAGE("seed absent (no ../shared): skipped");
    return;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string seed = ss.str();
  for (const auto& c : taxonomy()) {
    BOOST_TEST_CONTEXT("class " << c.id) {
      std::string row = "Class " + std::string(c.id) + " |\n";
      auto at = seed.find(row);
      BOOST_REQUIRE(at != std::string::npos);
      std::string expect = c.result == outcome::none ? std::string(c.description) + " |"
                                                     : std::string(outcome_name(c.result)) + " |\n" +
                                                           std::string(c.description) + " |";
      BOOST_TEST(seed.compare(at + row.size(), expect.size(), expect) == 0);
    }
  }
}

// --- calendar --------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(proposals_table) {
  struct row {
    const char* what;
    const char* notified;
    config::disclosure_settings s;
    const char* want;  // nullptr: no day fits
    int business_day;
  };
  auto capped = [](int lo, int hi, int max_days) {
    auto s = window(lo, hi);
    s.distros_max_days = max_days;
    return s;
  };
  auto any_weekday = window(3, 5);
  any_weekday.weekdays = {1, 2, 3, 4, 5};
  const row rows[] = {
      {"Monday: Thursday is the 3rd", "2026-05-11", window(3, 5), "2026-05-14", 3},
      {"Tuesday: skips Fri/Mon to the 5th", "2026-05-12", window(3, 5), "2026-05-19", 5},
      {"Wednesday", "2026-05-13", window(3, 5), "2026-05-19", 4},
      {"Thursday", "2026-05-14", window(3, 5), "2026-05-19", 3},
      {"Friday", "2026-05-15", window(3, 5), "2026-05-20", 3},
      {"Saturday counts from Monday", "2026-05-16", window(3, 5), "2026-05-20", 3},
      {"Sunday", "2026-05-17", window(3, 5), "2026-05-20", 3},
      {"long weekend: without the holiday", "2026-05-22", window(3, 5), "2026-05-27", 3},
      {"long weekend: Thursday after Memorial Day", "2026-05-22", window(3, 5, {memorial}), "2026-05-28", 3},
      {"Easter: Good Friday and Easter Monday", "2026-04-01", window(3, 5, {good_friday, easter_monday}),
       "2026-04-08", 3},
      {"year end: before the break", "2026-12-16", window(3, 5, {winter}), "2026-12-22", 4},
      {"year end: into the break", "2026-12-18", window(3, 5, {winter}), "2026-12-23", 3},
      {"year end: the break leaves nothing within 14 days", "2026-12-21", window(3, 5, {winter}), nullptr, 0},
      {"year end: across the new year", "2026-12-30", window(3, 5), "2027-01-05", 4},
      {"leap day", "2028-02-24", window(3, 5), "2028-02-29", 3},
      {"after a leap day", "2028-02-25", window(3, 5), "2028-03-01", 3},
      {"no leap day in 2027", "2027-02-25", window(3, 5), "2027-03-02", 3},
      {"5-10 from Monday: the 6th", "2026-05-11", window(5, 10), "2026-05-19", 6},
      {"5-10 from Tuesday: the 5th", "2026-05-12", window(5, 10), "2026-05-19", 5},
      {"5-10 from Friday: the 7th", "2026-05-15", window(5, 10), "2026-05-26", 7},
      {"5-10 with a holiday week passes 14 days", "2026-05-11",
       window(5, 10, {{"2026-05-12", "2026-05-19", "week"}}), nullptr, 0},
      {"10th business day exactly 14 days later", "2026-05-12", window(10, 10), "2026-05-26", 10},
      {"10th business day 15 days later", "2026-05-12", window(10, 10, {{"2026-05-13", "", "one day"}}),
       nullptr, 0},
      {"a shorter distros limit still fits", "2026-05-12", capped(3, 5, 7), "2026-05-19", 5},
      {"a shorter distros limit", "2026-05-12", capped(3, 5, 6), nullptr, 0},
      {"Monday and Friday allowed", "2026-05-12", any_weekday, "2026-05-15", 3},
  };
  for (const auto& r : rows) {
    BOOST_TEST_CONTEXT(r.what << " (notified " << r.notified << ")") {
      auto p = propose(day(r.notified), r.s);
      BOOST_TEST(p.ok() == (r.want != nullptr));
      if (p && r.want) {
        BOOST_TEST(clock::iso_date(p->day) == r.want);
        BOOST_TEST(clock::iso_time(p->at) == std::string(r.want) + "T15:00:00Z");
        BOOST_TEST(p->business_day == r.business_day);
      }
      if (!p) BOOST_TEST(p.err().kind == failure::unavailable);
    }
  }
}

BOOST_AUTO_TEST_CASE(plan_explains_each_day) {
  auto plan = explain(day("2026-05-12"), window(3, 5));
  BOOST_REQUIRE(plan);
  std::vector<std::string> got;
  for (const auto& d : plan->days) got.push_back(verdict_id(d.verdict));
  std::vector<std::string> want{
      "too_early", "too_early", "weekday_not_allowed", "weekend", "weekend", "weekday_not_allowed", "chosen"};
  BOOST_TEST(got == want, boost::test_tools::per_element());
  BOOST_TEST(plan->days[2].reason == "business day 3: Friday is not a disclosure weekday");
  BOOST_TEST(clock::iso_date(plan->distros_limit) == "2026-05-26");

  auto held = explain(day("2026-12-21"), window(3, 5, {winter}));
  BOOST_REQUIRE(held);
  BOOST_TEST(!held->proposal.has_value());
  BOOST_TEST(held->days[2].reason == "holiday 'Winter break'");
  BOOST_TEST(verdict_id(held->days.back().verdict) == "past_distros_limit");
  auto p = propose(day("2026-12-21"), window(3, 5, {winter}));
  BOOST_REQUIRE(!p);
  BOOST_TEST(p.err().what.find(
                 "no Tuesday, Wednesday or Thursday is the 3rd to 5th business day after 2026-12-21") == 0,
             p.err().what);
  BOOST_TEST(p.err().what.find("7 holiday day(s)") != std::string::npos, p.err().what);
}

BOOST_AUTO_TEST_CASE(chosen_dates_table) {
  struct row {
    const char* notified;
    const char* chosen;
    config::disclosure_settings s;
    const char* refusal;  // nullptr: allowed; else a piece of the reason
  };
  const row rows[] = {
      {"2026-05-11", "2026-05-14", window(3, 5), nullptr},
      {"2026-05-11", "2026-05-12", window(3, 5),
       "the 1st business day after the notification; the window is the 3rd to 5th"},
      {"2026-05-11", "2026-05-13", window(3, 5), "the 2nd business day"},
      {"2026-05-11", "2026-05-19", window(3, 5), "the 6th business day"},
      {"2026-05-11", "2026-05-15", window(3, 5),
       "Friday is not a disclosure weekday (allowed: Tuesday, Wednesday and Thursday)"},
      {"2026-05-11", "2026-05-18", window(3, 5), "Monday is not a disclosure weekday"},
      {"2026-05-11", "2026-05-16", window(3, 5), "a Saturday, not a business day"},
      {"2026-05-11", "2026-05-11", window(3, 5), "not after the notification day 2026-05-11"},
      {"2026-05-11", "2026-05-01", window(3, 5), "not after the notification day"},
      {"2026-05-11", "2026-05-26", window(5, 20),
       "15 days after the notification: the linux-distros list allows at most 14"},
      {"2026-05-22", "2026-05-28", window(3, 5, {memorial}), nullptr},
      {"2026-05-22", "2026-05-27", window(3, 5, {memorial}), "the 2nd business day"},
      {"2026-12-21", "2026-12-24", window(3, 5, {winter}), "in the holiday period 'Winter break'"},
      {"2026-05-11", "2026-05-19", window(5, 10), nullptr},
      {"2028-02-24", "2028-02-29", window(3, 5), nullptr},
  };
  for (const auto& r : rows) {
    BOOST_TEST_CONTEXT(r.notified << " -> " << r.chosen) {
      auto c = check(day(r.notified), day(r.chosen), r.s);
      BOOST_TEST(c.ok() == (r.refusal == nullptr));
      if (!c && r.refusal) {
        BOOST_TEST(c.err().kind == failure::data);
        BOOST_TEST(c.err().what.find(r.refusal) != std::string::npos, c.err().what);
      }
      if (c) BOOST_TEST(clock::iso_date(c->day) == r.chosen);
    }
  }
  auto c = check(day("2026-05-11"), day("2026-05-18"), window(3, 5));
  BOOST_REQUIRE(!c);
  BOOST_TEST(c.err().fix == "choose the proposal, 2026-05-14, or override with --force and a reason");
}

BOOST_AUTO_TEST_CASE(bad_settings_are_config_errors) {
  auto s = window(3, 5, {{"2026-13-01", "", "nope"}});
  auto p = explain(day("2026-05-11"), s);
  BOOST_REQUIRE(!p);
  BOOST_TEST(p.err().kind == failure::config);
  BOOST_TEST(p.err().where == "disclosure.holidays[0]");
  auto w = window(3, 5);
  w.weekdays.clear();
  BOOST_TEST(explain(day("2026-05-11"), w).err().where == "disclosure.weekdays");
  BOOST_TEST(explain(day("2026-05-11"), window(5, 3)).err().kind == failure::config);
}

BOOST_AUTO_TEST_CASE(business_days_and_embargo_end) {
  auto s = window(3, 5, {winter});
  BOOST_TEST(is_business_day(day("2026-12-23"), s));
  BOOST_TEST(!is_business_day(day("2026-12-24"), s));
  BOOST_TEST(!is_business_day(day("2027-01-01"), s));
  BOOST_TEST(!is_business_day(day("2026-12-26"), s));  // Saturday
  BOOST_TEST(holiday_on(day("2026-12-31"), s) == "Winter break");
  BOOST_TEST(holiday_on(day("2027-01-04"), s).empty());
  config::embargo_settings e;  // 90 days, as `date -I -d90days`
  BOOST_TEST(clock::iso_date(embargo_end(day("2026-05-11"), e)) == "2026-08-09");
  BOOST_TEST(clock::iso_date(embargo_end(day("2024-01-01"), e)) == "2024-03-31");  // leap year
  BOOST_TEST(clock::iso_date(embargo_end(day("2027-12-01"), e)) == "2028-02-29");
  e.days = 30;
  BOOST_TEST(clock::iso_date(embargo_end(day("2026-12-15"), e)) == "2027-01-14");
  BOOST_TEST(ordinal(1) == "1st");
  BOOST_TEST(ordinal(12) == "12th");
  BOOST_TEST(ordinal(22) == "22nd");
  BOOST_TEST(
      describe_window(window(5, 10)) ==
      "the 5th to 10th business day after the notification, on a Tuesday, Wednesday or Thursday, at 15:00 "
      "UTC, at most 14 days after it");
}

// --- AFFECTED_VERSIONS -----------------------------------------------------------------------

namespace {
branch_versions bv(const char* name, const char* first, const char* highest,
                   const char* status = "maintained") {
  branch_versions b;
  b.branch = name;
  b.status = status;
  if (first) b.first = parse_version(first);
  if (highest) b.highest = parse_version(highest);
  return b;
}
}  // namespace

BOOST_AUTO_TEST_CASE(seed_examples) {
  struct row {
    const char* what;
    std::vector<branch_versions> in;
    const char* want;
  };
  const row rows[] = {
      {"kilo, liberty and mitaka supported",
       {bv("kilo", "2015.1.0", "2015.1.4"), bv("liberty", "8.0.0", "8.1.0"), bv("mitaka", "9.0.0", "9.0.0")},
       ">=2015.1.0 <2015.1.5, >=8.0.0 <8.1.1 and ==9.0.0"},
      {"kilo end of life",
       {bv("kilo", "2015.1.0", "2015.1.4", "eol"), bv("liberty", "8.0.0", "8.1.0"),
        bv("mitaka", "9.0.0", "9.0.0")},
       ">=8.0.0 <8.1.1 and ==9.0.0"},
      {"oldest affected version unknown",
       {bv("kilo", nullptr, "2015.1.4", "eol"), bv("liberty", nullptr, "8.1.0"),
        bv("mitaka", "9.0.0", "9.0.0")},
       "<8.1.1 and ==9.0.0"},
      {"any order in, oldest first out",
       {bv("mitaka", "9.0.0", "9.0.0"), bv("liberty", "8.0.0", "8.1.0"), bv("kilo", "2015.1.0", "2015.1.4")},
       ">=2015.1.0 <2015.1.5, >=8.0.0 <8.1.1 and ==9.0.0"},
      {"unmaintained branches stay",
       {bv("2023.1", "27.0.0", "27.4.1", "unmaintained"), bv("2025.1", "31.0.0", "31.1.0")},
       ">=27.0.0 <27.4.2 and >=31.0.0 <31.1.1"},
      {"one branch", {bv("2025.2", "32.0.0", "32.0.0")}, "==32.0.0"},
      {"a branch with no affected release is left out",
       {bv("master", nullptr, nullptr), bv("2025.2", "32.0.0", "32.1.0")},
       ">=32.0.0 <32.1.1"},
      {"next patch level, not the next tag", {bv("liberty", "8.1.0", "8.1.9")}, ">=8.1.0 <8.1.10"},
  };
  for (const auto& r : rows) {
    BOOST_TEST_CONTEXT(r.what) {
      auto a = affected_versions(r.in);
      BOOST_REQUIRE_MESSAGE(a.ok(), (a.ok() ? std::string() : a.err().message()));
      BOOST_TEST(a->line == r.want);
    }
  }
  auto a = affected_versions({bv("kilo", "2015.1.0", "2015.1.4", "eol"), bv("liberty", "8.0.0", "8.1.0")});
  BOOST_REQUIRE(a);
  BOOST_REQUIRE(a->dropped.size() == 1u);
  BOOST_TEST(a->dropped[0].branch == "kilo");
  BOOST_TEST(a->dropped[0].reason == "end of life");
}

BOOST_AUTO_TEST_CASE(bad_version_input_is_refused) {
  struct row {
    const char* what;
    std::vector<branch_versions> in;
    const char* error;
  };
  const row rows[] = {
      {"backwards", {bv("liberty", "8.1.0", "8.0.0")}, "is after the highest"},
      {"overlap",
       {bv("liberty", "8.0.0", "9.0.1"), bv("mitaka", "9.0.0", "9.0.0")},
       "overlaps branch mitaka"},
      {"newer branch open-ended",
       {bv("liberty", "8.0.0", "8.1.0"), bv("mitaka", nullptr, "9.0.0")},
       "the first affected version is unknown"},
      {"everything end of life", {bv("kilo", "2015.1.0", "2015.1.4", "eol")}, "no supported branch"},
      {"unknown status", {bv("kilo", "2015.1.0", "2015.1.4", "retired")}, "unknown status 'retired'"},
  };
  for (const auto& r : rows) {
    BOOST_TEST_CONTEXT(r.what) {
      auto a = affected_versions(r.in);
      BOOST_REQUIRE(!a);
      BOOST_TEST(a.err().kind == failure::data);
      BOOST_TEST(a.err().what.find(r.error) != std::string::npos, a.err().what);
    }
  }
}

BOOST_AUTO_TEST_CASE(version_parsing_and_order) {
  BOOST_TEST(parse_version("8.1.0")->str() == "8.1.0");
  BOOST_TEST(parse_version("v31.2.10")->str() == "31.2.10");
  for (const char* bad : {"9.0.0.0rc1", "9.0.0rc1", "9.0", "9", "", "a.b.c", "8.01.0", "-1.0.0", "8.1.0 "})
    BOOST_TEST(!parse_version(bad).has_value(), bad);
  BOOST_TEST(parse_version("8.1.0")->next_patch().str() == "8.1.1");
  BOOST_TEST(release_before(*parse_version("2015.1.4"), *parse_version("8.0.0")));
  BOOST_TEST(!release_before(*parse_version("8.0.0"), *parse_version("2015.1.4")));
  BOOST_TEST(release_before(*parse_version("8.1.0"), *parse_version("8.10.0")));
  BOOST_TEST(in_series("2015.1", *parse_version("2015.1.4")));
  BOOST_TEST(!in_series("2015.1", *parse_version("2015.10.0")));
  BOOST_TEST(in_series("31.", *parse_version("31.0.2")));
  config::project p;
  p.branches = {{"2025.1/epoxy", "stable/2025.1", "maintained", "31."},
                {"master", "master", "maintained", ""}};
  BOOST_TEST(find_branch(p, "epoxy")->git_ref == "stable/2025.1");
  BOOST_TEST(find_branch(p, "2025.1")->name == "2025.1/epoxy");
  BOOST_TEST(find_branch(p, "stable/2025.1")->series == "31.");
  BOOST_TEST(find_branch(p, "kilo") == nullptr);
}

// --- AFFECTED_VERSIONS from a real git repository ---------------------------------------------

namespace {
// A keystone-like history: kilo (2015.1.x) forks after the flaw was introduced, liberty (8.x)
// and mitaka (9.0.0, tagged on a commit master shares) later; each branch has its fix.
struct git_repo {
  std::string path;
  git_repo() {
    char tmpl[] = "/tmp/vmt-process-git-XXXXXX";
    path = ::mkdtemp(tmpl);
    ::setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    ::setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
    ::setenv("GIT_AUTHOR_NAME", "t", 1);
    ::setenv("GIT_AUTHOR_EMAIL", "t@example.org", 1);
    ::setenv("GIT_COMMITTER_NAME", "t", 1);
    ::setenv("GIT_COMMITTER_EMAIL", "t@example.org", 1);
    std::string script = R"(set -e
      git init -q -b master .
      c() { git commit -q --allow-empty -m "$1"; }
      c A; c B; git tag flaw
      git checkout -q -b stable/2015.1
      c k1; git tag 2015.1.0; c k2; git tag 2015.1.4; c kfix; git tag fix-kilo; c k3; git tag 2015.1.5
      git checkout -q master; c C; git tag late-flaw
      git checkout -q -b stable/liberty
      c l1; git tag 8.0.0; c l2; git tag 8.0.1; c l3; git tag 8.1.0; c lfix; git tag fix-liberty
      git checkout -q master; c D; git tag 9.0.0.0rc1
      git checkout -q -b stable/mitaka; git tag 9.0.0; c mfix; git tag fix-mitaka
      git checkout -q master; c E; c mafix; git tag fix-master
    )";
    std::ofstream(path + ".sh") << script;
    std::string cmd = "cd '" + path + "' && bash '" + path + ".sh' >/dev/null 2>&1";
    ok = std::system(cmd.c_str()) == 0;
    std::filesystem::remove(path + ".sh");
  }
  ~git_repo() { std::filesystem::remove_all(path); }
  bool ok = false;
};

std::vector<git_branch_fix> keystone_fixes(bool kilo_eol) {
  return {{"kilo", "stable/2015.1", kilo_eol ? "eol" : "maintained", "", "fix-kilo"},
          {"liberty", "stable/liberty", "maintained", "", "fix-liberty"},
          {"mitaka", "stable/mitaka", "maintained", "", "fix-mitaka"},
          {"master", "master", "maintained", "", "fix-master"}};
}
}  // namespace

BOOST_AUTO_TEST_CASE(git_reproduces_the_seed_examples) {
  git_repo g;
  BOOST_REQUIRE_MESSAGE(g.ok, "could not build the test repository with git");
  struct row {
    const char* what;
    bool kilo_eol;
    const char* introduced;
    const char* want;
  };
  const row rows[] = {
      {"introducing commit known", false, "flaw", ">=2015.1.0 <2015.1.5, >=8.0.0 <8.1.1 and ==9.0.0"},
      {"kilo end of life", true, "flaw", ">=8.0.0 <8.1.1 and ==9.0.0"},
      {"oldest unknown", true, "", "<8.1.1 and ==9.0.0"},
      {"oldest unknown, kilo supported", false, "", "<2015.1.5, >=8.0.0 <8.1.1 and ==9.0.0"},
      {"flaw introduced after kilo forked", false, "late-flaw", ">=8.0.0 <8.1.1 and ==9.0.0"},
  };
  for (const auto& r : rows) {
    BOOST_TEST_CONTEXT(r.what) {
      auto bs = branches_from_git(g.path, keystone_fixes(r.kilo_eol), r.introduced);
      BOOST_REQUIRE_MESSAGE(bs.ok(), (bs.ok() ? std::string() : bs.err().message()));
      auto a = affected_versions(*bs);
      BOOST_REQUIRE_MESSAGE(a.ok(), (a.ok() ? std::string() : a.err().message()));
      BOOST_TEST(a->line == r.want);
    }
  }
  // master reaches 9.0.0 through the commit it shares with mitaka, but has no release of its own.
  auto bs = branches_from_git(g.path, keystone_fixes(false), "flaw");
  BOOST_REQUIRE(bs);
  BOOST_TEST(bs->back().branch == "master");
  BOOST_TEST(!bs->back().highest.has_value());
  // Not fixed on kilo yet: 2015.1.5 is affected too.
  auto unfixed = keystone_fixes(false);
  unfixed[0].commit.clear();
  auto u = branches_from_git(g.path, unfixed, "flaw");
  BOOST_REQUIRE(u);
  BOOST_TEST(affected_versions(*u)->line == ">=2015.1.0 <2015.1.6, >=8.0.0 <8.1.1 and ==9.0.0");
  // A configured series overrides the guess.
  auto series = keystone_fixes(false);
  series[1].series = "8.0";
  auto sr = branches_from_git(g.path, series, "flaw");
  BOOST_REQUIRE(sr);
  BOOST_TEST((*sr)[1].highest->str() == "8.0.1");
}

BOOST_AUTO_TEST_CASE(git_errors_name_the_problem) {
  git_repo g;
  BOOST_REQUIRE(g.ok);
  auto wrong = keystone_fixes(false);
  wrong[0].commit = "fix-liberty";  // the liberty fix is not on kilo
  auto r = branches_from_git(g.path, wrong);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.err().kind == failure::data);
  BOOST_TEST(r.err().what == "fix commit fix-liberty is not on stable/2015.1");
  auto missing = keystone_fixes(false);
  missing[2].ref = "stable/newton";
  auto m = branches_from_git(g.path, missing);
  BOOST_REQUIRE(!m);
  BOOST_TEST(m.err().what == "branch 'stable/newton' is not in the repository");
  auto injected = keystone_fixes(false);
  injected[0].commit = "--output=/tmp/x";
  BOOST_TEST(!branches_from_git(g.path, injected).ok());
  auto not_repo = branches_from_git("/nonexistent-vmt-repo", keystone_fixes(false));
  BOOST_REQUIRE(!not_repo);
  BOOST_TEST(not_repo.err().kind == failure::no_input);
}
