// advisory_test: reading advisory YAML as PyYAML does, bounded parsing of hostile input, the
// Python-compatible layout helpers, version ranges, checks, exports, and the published corpus.
#define BOOST_TEST_MODULE advisory
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "advisory/advisory.h"
#include "advisory/layout.h"
#include "advisory/render.h"
#include "advisory/site.h"
#include "advisory/versions.h"
#include "advisory/yaml_tree.h"
#include "core/fs.h"

using namespace vmt;
using namespace vmt::advisory;

namespace {

const char* minimal = R"(date: 2026-05-11

id: OSSA-2026-013

title: Token leak in Nova logs

description: >
  Jane Doe (Example Corp) reported a vulnerability in Nova
  API logs.

  Only deployments with debug logging are affected.

affected-products:
  - product: nova
    version: '<30.2.2, >=31.0.0 <31.2.1, ==32.0.0'

vulnerabilities:
  - cve-id: CVE-2026-12345

reporters:
  - name: Jane
      Doe
    affiliation: Example Corp
    reported:
      - CVE-2026-12345

issues:
  links:
    - https://bugs.launchpad.net/nova/+bug/1234567

reviews:
  master:
    - https://review.opendev.org/c/openstack/nova/+/1
  2025.1/epoxy:
    - https://review.opendev.org/c/openstack/nova/+/2
  type: gerrit

notes:
  - This fix will be included in a future release of Nova which is not yet scheduled but will come.
)";

std::string renderer_root() { return std::string(VMT_SOURCE_DIR) + "/templates"; }

render_options test_options() {
  render_options o;
  o.template_roots = {renderer_root()};
  return o;
}

struct temp_dir {
  std::string path;
  temp_dir() {
    char tmpl[] = "/tmp/vmt-advisory-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~temp_dir() { std::filesystem::remove_all(path); }
};

// The error of a result that must have failed.
template <class T>
error failed(const result<T>& r) {
  BOOST_TEST_REQUIRE(!r.ok());
  return r.err();
}

}  // namespace

// --- YAML read as PyYAML (YAML 1.1) reads it -------------------------------------------------

BOOST_AUTO_TEST_CASE(python_float_repr_matches_python) {
  using detail::python_float_repr;
  BOOST_TEST(python_float_repr(2014.1) == "2014.1");
  BOOST_TEST(python_float_repr(1.0) == "1.0");
  BOOST_TEST(python_float_repr(1e20) == "1e+20");
  BOOST_TEST(python_float_repr(0.0001) == "0.0001");
  BOOST_TEST(python_float_repr(1e-5) == "1e-05");
  BOOST_TEST(python_float_repr(1e16) == "1e+16");
  BOOST_TEST(python_float_repr(123456789012345.0) == "123456789012345.0");
  BOOST_TEST(python_float_repr(0.1 + 0.2) == "0.30000000000000004");
}

BOOST_AUTO_TEST_CASE(plain_scalars_get_yaml_1_1_types) {
  auto t = detail::parse("t.yaml",
                         "a: 010\nb: 1_000\nc: 1:20\nd: 0x1F\ne: 1:20.5\nf: .5\ng: 1e3\nh: 1.e+3\nj: on\n"
                         "k: Off\nl: ~\nm: 2014-12-10\nn: 0b101\no: '2014.1'\np: 2014.1\n");
  BOOST_TEST_REQUIRE(t.ok());
  auto text = [&](const char* k) { return (*t)->get(k)->text; };
  BOOST_TEST(text("a") == "8");
  BOOST_TEST(text("b") == "1000");
  BOOST_TEST(text("c") == "80");
  BOOST_TEST(text("d") == "31");
  BOOST_TEST(text("e") == "80.5");
  BOOST_TEST(text("f") == "0.5");
  BOOST_TEST(text("g") == "1e3");  // YAML 1.1 floats need a dot: a string
  BOOST_TEST(text("h") == "1000.0");
  BOOST_TEST(text("j") == "True");
  BOOST_TEST(text("k") == "False");
  BOOST_TEST(text("l") == "None");
  BOOST_TEST(text("m") == "2014-12-10");
  BOOST_TEST(text("n") == "5");
  BOOST_TEST(text("o") == "2014.1");
  BOOST_TEST(!(*t)->get("o")->plain);
  BOOST_TEST(((*t)->get("p")->resolved == detail::scalar_type::floating));
}

BOOST_AUTO_TEST_CASE(block_scalars_fold_as_pyyaml_does) {
  auto t = detail::parse("t.yaml",
                         "folded: >\n  a\n  b\n\n  c\nliteral: |\n  a\n  b\nkeep: |+\n  a\n\n\nplain: x\n  y\n"
                         "quoted: 'it''s\n  here'\n");
  BOOST_TEST_REQUIRE(t.ok());
  BOOST_TEST((*t)->get("folded")->text == "a b\nc\n");
  BOOST_TEST((*t)->get("literal")->text == "a\nb\n");
  BOOST_TEST((*t)->get("keep")->text == "a\n\n\n");
  BOOST_TEST((*t)->get("plain")->text == "x y");
  BOOST_TEST((*t)->get("quoted")->text == "it's here");
}

BOOST_AUTO_TEST_CASE(advisory_model_reads_the_fields) {
  auto a = load_text("OSSA-2026-013.yaml", minimal);
  BOOST_TEST_REQUIRE(a.ok());
  BOOST_TEST(a->id.value == "OSSA-2026-013");
  BOOST_TEST(a->year() == 2026);
  BOOST_TEST(a->description.value ==
             "Jane Doe (Example Corp) reported a vulnerability in Nova API logs.\nOnly deployments with debug "
             "logging are affected.\n");
  BOOST_TEST(a->reporters.at(0).name.value == "Jane Doe");  // a multi-line plain name folds
  BOOST_TEST(a->reviews.size() == 2u);                     // "type: gerrit" is not a branch
  BOOST_TEST(a->affected.at(0).version.line == 15);
  BOOST_TEST(a->affected.at(0).version.column == 14);
  BOOST_TEST(check(*a).empty());
}

// --- hostile input: clear errors, no crash, no hang ----------------------------------------

BOOST_AUTO_TEST_CASE(truncated_yaml_names_file_line_and_column) {
  // Cut inside a flow list: a syntax error with its place.
  std::string doc = minimal;
  doc = doc.substr(0, doc.find("reporters:")) + "reporters:\n  - name: Jane\n    reported: [CVE-2026-1";
  auto e = failed(load_text("OSSA-2026-013.yaml", doc));
  BOOST_TEST((e.kind == failure::data));
  BOOST_TEST(e.where == "OSSA-2026-013.yaml:22:1");
  // The field is named from the indentation before the error.
  BOOST_TEST(e.what.find("reporters.reported: malformed YAML: end of sequence flow not found") == 0);
  // Cut at a line: valid YAML, but check() says what is missing.
  std::string cut = minimal;
  cut = cut.substr(0, cut.find("affected-products:"));
  auto a = load_text("OSSA-2026-013.yaml", cut);
  BOOST_TEST_REQUIRE(a.ok());
  auto problems = check(*a);
  BOOST_TEST_REQUIRE(!problems.empty());
  BOOST_TEST(format_problem("f.yaml", problems.front()).find("f.yaml:1:1: error: affected-products: missing") == 0);
}

BOOST_AUTO_TEST_CASE(wrong_types_are_errors_naming_the_field) {
  std::string doc = minimal;
  auto pos = doc.find("title: Token leak in Nova logs");
  doc.replace(pos, std::strlen("title: Token leak in Nova logs"), "title: [a, b]");
  auto a = load_text("x.yaml", doc);
  BOOST_TEST_REQUIRE(a.ok());
  auto problems = check(*a);
  BOOST_TEST_REQUIRE(!problems.empty());
  BOOST_TEST(problems.front().field == "title");
  BOOST_TEST(!problems.front().warning);
  BOOST_TEST(problems.front().line == 5);
  BOOST_TEST(problems.front().column == 8);
  auto line = format_problem("x.yaml", problems.front());
  BOOST_TEST(line.find("x.yaml:5:8: error: title: expected text, got a list") == 0);

  auto b = load_text("y.yaml", "date: '2026-05-11'\nid: OSSA-2026-1\ntitle: t\n");
  BOOST_TEST_REQUIRE(b.ok());
  bool quoted_date = false, bad_id = false;
  for (const auto& p : check(*b)) {
    if (p.field == "date" && !p.warning && p.line == 1) quoted_date = true;
    if (p.field == "id" && !p.warning && p.line == 2 && p.column == 5) bad_id = true;
  }
  BOOST_TEST(quoted_date);
  BOOST_TEST(bad_id);
  BOOST_TEST((failed(load_text("z.yaml", "- a\n- b\n")).kind == failure::data));
  BOOST_TEST((failed(load_text("z.yaml", "")).kind == failure::data));
  BOOST_TEST((failed(load_text("z.yaml", "a: 1\n---\nb: 2\n")).kind == failure::data));
  BOOST_TEST((failed(load_text("z.yaml", "a: &x 1\nb: *x\n")).kind == failure::data));
}

BOOST_AUTO_TEST_CASE(ten_megabytes_of_garbage_is_refused_by_size) {
  std::string garbage(10u << 20, '\0');
  std::mt19937 rng(42);
  for (auto& c : garbage) c = static_cast<char>(rng());
  auto e = failed(load_text("garbage.yaml", garbage));
  BOOST_TEST((e.kind == failure::data));
  BOOST_TEST(e.what.find("more than the limit") != std::string::npos);

  // Under the size limit, garbage is a YAML error (or a binary-data error), never a crash.
  for (int seed = 0; seed < 20; ++seed) {
    std::mt19937 r(seed);
    std::string g(200000, ' ');
    for (auto& c : g) c = static_cast<char>(32 + r() % 95);  // printable: reaches the YAML parser
    auto res = load_text("g.yaml", g);
    if (!res.ok()) BOOST_TEST((res.err().kind == failure::data));
  }
}

BOOST_AUTO_TEST_CASE(deep_nesting_is_stopped_while_parsing) {
  // yaml-cpp descends recursively per nesting level: 100000 levels would exhaust the stack. The
  // event handler stops it at level 32, whatever the kind of nesting.
  auto flow = failed(load_text("deep.yaml", "a: " + std::string(100000, '[') + std::string(100000, ']')));
  BOOST_TEST((flow.kind == failure::data));
  BOOST_TEST(flow.what == "a: nesting deeper than 32 levels");
  BOOST_TEST(flow.where == "deep.yaml:1:35");

  std::string block;
  for (int i = 0; i < 1000; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  auto indented = failed(load_text("deep.yaml", block));
  BOOST_TEST(indented.what.find(": nesting deeper than 32 levels") != std::string::npos);
  BOOST_TEST(indented.what.find("k.k.k.") == 0);
  BOOST_TEST(indented.where == "deep.yaml:33:33");

  std::string seq;
  for (int i = 0; i < 100000; ++i) seq += "- ";
  auto dashes = failed(load_text("deep.yaml", seq + "x\n"));
  BOOST_TEST(dashes.what.find("nesting deeper than 32 levels") != std::string::npos);

  std::string braces;
  for (int i = 0; i < 100000; ++i) braces += "{a: ";
  BOOST_TEST((failed(load_text("deep.yaml", braces)).kind == failure::data));
  // Unterminated brackets end in a syntax error, not in recursion.
  BOOST_TEST((failed(load_text("deep.yaml", std::string(1000000, '['))).kind == failure::data));
}

BOOST_AUTO_TEST_CASE(load_of_missing_file_is_no_input) {
  BOOST_TEST((failed(load("/nonexistent/OSSA-2026-001.yaml")).kind == failure::no_input));
}

// --- layout helpers: Python semantics ------------------------------------------------------

BOOST_AUTO_TEST_CASE(wordwrap_matches_jinja_and_textwrap) {
  const std::string ws = "\n  ";
  BOOST_TEST(layout::wordwrap("a well-known state-of-the-art approach to re-use", 12, ws) ==
             "a well-known\n  state-of-\n  the-art\n  approach to\n  re-use");
  BOOST_TEST(layout::wordwrap("see https://review.opendev.org/c/openstack/ironic/+/987920 for the fix", 20, ws) ==
             "see\n  https://review.opendev.org/c/openstack/ironic/+/987920\n  for the fix");
  BOOST_TEST(layout::wordwrap("words--with em--dashes and x--y or -- alone", 10, ws) ==
             "words--\n  with em--\n  dashes and\n  x--y or --\n  alone");
  BOOST_TEST(layout::wordwrap("  leading spaces are kept on the first line only", 15, ws) ==
             "  leading\n  spaces are kept\n  on the first\n  line only");
  BOOST_TEST(layout::wordwrap("first line\nsecond line that is long enough to wrap", 12, ws) ==
             "first line\n  second line\n  that is long\n  enough to\n  wrap");
  BOOST_TEST(layout::wordwrap("co-operate e-mail a-b-c ab-cd", 6, ws) == "co-\n  operate\n  e-mail\n  a-b-c\n  ab-cd");
  BOOST_TEST(layout::wordwrap("tab\tseparated\twords here", 8, ws) == "tab\n  separated\n  words\n  here");
  BOOST_TEST(layout::wordwrap("h\u00e9llo w\u00f6rld \u00fcn\u00efcode fa\u00e7ade", 11, ws) ==
             "h\u00e9llo w\u00f6rld\n  \u00fcn\u00efcode\n  fa\u00e7ade");
}

BOOST_AUTO_TEST_CASE(capitalize_rule_indent_follow_python) {
  BOOST_TEST(layout::capitalize("2023.1/antelope (unmaintained)") == "2023.1/antelope (unmaintained)");
  BOOST_TEST(layout::capitalize("bugfix/34.0") == "Bugfix/34.0");
  BOOST_TEST(layout::capitalize("NOVA") == "Nova");
  BOOST_TEST(layout::capitalize("\xc3\x89""COLE nova") == "\xc3\x89""cole nova");
  BOOST_TEST(layout::rule("OSSA: Caf\xc3\xa9", "=") == std::string(10, '='));  // characters, not bytes
  BOOST_TEST(layout::indent("a\nb\n\nc", 4) == "a\n    b\n\n    c");
  BOOST_TEST(layout::strip("  x y \n") == "x y");
  BOOST_TEST(layout::long_date(2026, 5, 1) == "May 01, 2026");
}

BOOST_AUTO_TEST_CASE(html_inline_escapes_before_marking_up) {
  BOOST_TEST(layout::html_inline("use ``a<b>`` & see https://x.org/a?b=1&c=2.") ==
             "use <code>a&lt;b&gt;</code> &amp; see <a href=\"https://x.org/a?b=1&amp;c=2\">https://x.org/a?b=1&amp;c=2</a>.");
  BOOST_TEST(layout::html_inline("<script>") == "&lt;script&gt;");
}

// --- version ranges and `vmt affects` ------------------------------------------------------

BOOST_AUTO_TEST_CASE(versions_compare_as_pep440) {
  auto v = [](const char* s) { return *parse_version(s); };
  BOOST_TEST(compare(v("2014.1"), v("2014.1.0")) == 0);
  BOOST_TEST(compare(v("13.0.0.0rc1"), v("13.0.0")) < 0);
  BOOST_TEST(compare(v("1.0b2"), v("1.0rc1")) < 0);
  BOOST_TEST(compare(v("2.0.dev3"), v("2.0a1")) < 0);
  BOOST_TEST(compare(v("2.0.post1"), v("2.0")) > 0);
  BOOST_TEST(compare(v("29.0.10"), v("29.0.9")) > 0);
  BOOST_TEST(!parse_version("Essex"));
  BOOST_TEST(!parse_version("1.0-foo"));
}

BOOST_AUTO_TEST_CASE(version_fields_parse_and_warn) {
  auto f = parse_field("ironic", ">=17.0.0 <26.1.7, >=27.0.0 <29.0.6, ==30.0.0");
  BOOST_TEST_REQUIRE(f.structured);
  BOOST_TEST(f.groups.at(0).ranges.size() == 3u);
  BOOST_TEST(f.warnings.empty());
  BOOST_TEST(f.groups[0].ranges[1].contains(*parse_version("29.0.5")));
  BOOST_TEST(!f.groups[0].ranges[1].contains(*parse_version("29.0.6")));

  auto split = parse_field("ironic", "<24.1.3, >=25.0.0 <26.1.1, >=27.0.0, <29.0.1");
  BOOST_TEST_REQUIRE(split.structured);
  BOOST_TEST_REQUIRE(split.warnings.size() == 1u);
  BOOST_TEST(split.warnings[0].find("'>=27.0.0, <29.0.1': the comma splits one range in two") == 0);

  auto nospace = parse_field("nova", "<17.0.12,>=18.0.0<18.2.2,>=19.0.0<19.0.2");
  BOOST_TEST(nospace.structured);
  BOOST_TEST(nospace.groups[0].ranges.size() == 3u);

  auto multi = parse_field("Cinder, Glance, Nova",
                           "Cinder <19.1.2, >=20.0.0 <20.0.2, ==21.0.0; Glance <23.0.1, ==25.0.0; Nova <24.1.2");
  BOOST_TEST_REQUIRE(multi.structured);
  BOOST_TEST(multi.groups.size() == 3u);
  BOOST_TEST(multi.groups[1].product == "Glance");

  BOOST_TEST(!parse_field("horizon", "Essex (2012.1)").structured);
  BOOST_TEST(!parse_field("nova", "up to 2014.1.3").structured);
  BOOST_TEST(!parse_field("nova", "All versions").structured);
}

// Date versions (2011.1 .. 2015.1) and semantic ones (12.0.0 ...) are two lines: a bound in one
// never matches the other (found: nova 27.0.0 "affected" by "<=2015.1.2", as PEP 440 alone says).
BOOST_AUTO_TEST_CASE(date_and_semantic_versions_are_two_lines) {
  auto in = [](const char* field, const char* version) {
    auto f = parse_field("nova", field);
    BOOST_REQUIRE(f.structured);
    for (const auto& r : f.groups.at(0).ranges)
      if (r.contains(*parse_version(version))) return true;
    return false;
  };
  BOOST_TEST((scheme_of(*parse_version("2015.1.2")) == scheme::date));
  BOOST_TEST((scheme_of(*parse_version("27.0.0")) == scheme::semantic));
  BOOST_TEST(in("<=2015.1.2, ==12.0.0", "2015.1.2"));
  BOOST_TEST(in("<=2015.1.2, ==12.0.0", "2011.1"));
  BOOST_TEST(in("<=2015.1.2, ==12.0.0", "12.0.0"));
  BOOST_TEST(!in("<=2015.1.2, ==12.0.0", "27.0.0"));
  BOOST_TEST(!in("<=2015.1.2, >= 8.0.0 <= 8.0.1", "25.0.1rc1"));
  BOOST_TEST(!in("<12.0.1", "2015.1.2"));   // a semantic bound: not the date line
  BOOST_TEST(!in(">=2014.1", "27.0.0"));    // a date bound, open-ended: still the date line only
  // The crossing (date lower bound, semantic upper): Kilo from 2015.1 on, Liberty below 12.0.2.
  BOOST_TEST(in(">=2015.1 <12.0.2", "2015.1.1"));
  BOOST_TEST(!in(">=2015.1 <12.0.2", "2014.2"));
  BOOST_TEST(in(">=2015.1 <12.0.2", "12.0.1"));
  BOOST_TEST(!in(">=2015.1 <12.0.2", "13.0.0"));
  // The exports say the same in PEP 440 order: a date range starts at the first date version.
  auto date = to_bounds(parse_field("nova", "<=2015.1.2").groups[0].ranges[0]);
  BOOST_REQUIRE(date.size() == 1u);
  BOOST_TEST(date[0].introduced == first_date_version);
  BOOST_TEST(date[0].last_affected == "2015.1.2");
  auto cross = to_bounds(parse_field("nova", ">=2015.1 <12.0.2").groups[0].ranges[0]);
  BOOST_REQUIRE(cross.size() == 2u);
  BOOST_TEST(cross[0].introduced == "2015.1");
  BOOST_TEST(cross[0].open_ended);
  BOOST_TEST(cross[1].introduced == "0");
  BOOST_TEST(cross[1].fixed == "12.0.2");
  auto empty = parse_field("nova", ">=12.0.0 <2015.1");
  BOOST_TEST(to_bounds(empty.groups[0].ranges[0]).empty());
  BOOST_REQUIRE(empty.warnings.size() == 1u);
  BOOST_TEST(empty.warnings[0].find("is empty") != std::string::npos);
  BOOST_TEST(normalized_product("Glance_Store") == "glance-store");
  BOOST_TEST(normalized_product(" glance..store ") == "glance-store");
}

BOOST_AUTO_TEST_CASE(affects_answers_affected_not_affected_undecided) {
  auto a1 = *load_text("OSSA-2026-013.yaml", minimal);
  std::string old = minimal;
  old.replace(old.find("'<30.2.2, >=31.0.0 <31.2.1, ==32.0.0'"),
              std::strlen("'<30.2.2, >=31.0.0 <31.2.1, ==32.0.0'"), "up to 2014.1.3");
  old.replace(old.find("OSSA-2026-013"), 13, "OSSA-2014-001");
  auto a2 = *load_text("OSSA-2014-001.yaml", old);
  auto ans = affects({a1, a2}, "Nova", "31.1.0");
  BOOST_TEST_REQUIRE(ans.ok());
  BOOST_TEST(ans->affected.size() == 1u);
  BOOST_TEST(ans->affected[0].detail == ">=31.0.0 <31.2.1");
  BOOST_TEST(ans->undecided.size() == 1u);
  BOOST_TEST(ans->undecided[0].id == "OSSA-2014-001");
  auto fixed = affects({a1}, "nova", "31.2.1");
  BOOST_TEST(fixed->affected.empty());
  BOOST_TEST(fixed->not_affected == 1);
  BOOST_TEST((failed(affects({a1}, "nova", "latest")).kind == failure::usage));
}

// --- checks -----------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(check_flags_ids_cves_links_and_suspicious_values) {
  std::string doc = minimal;
  doc.replace(doc.find("CVE-2026-12345"), 14, "CVE-26-1");
  doc.replace(doc.find("https://bugs.launchpad.net/nova/+bug/1234567"), 45, "bugs.launchpad.net/nova");
  doc.replace(doc.find("'<30.2.2, >=31.0.0 <31.2.1, ==32.0.0'"), 37, "2014.1");
  auto a = *load_text("OSSA-2026-013.yaml", doc);
  int errors = 0;
  bool cve = false, link = false, floaty = false;
  for (const auto& p : check(a)) {
    if (!p.warning) ++errors;
    if (p.field == "vulnerabilities[0].cve-id" && !p.warning && p.line == 18 && p.column == 13) cve = true;
    if (p.field == "issues.links[0]" && !p.warning) link = true;
    if (p.field == "affected-products[0].version" && p.warning && p.what.find("read as a float") != std::string::npos)
      floaty = true;
  }
  BOOST_TEST(errors == 2);
  BOOST_TEST(cve);
  BOOST_TEST(link);
  BOOST_TEST(floaty);
}

BOOST_AUTO_TEST_CASE(next_id_is_the_next_free_number_of_the_year) {
  temp_dir d;
  for (const char* f : {"OSSA-2026-001.yaml", "OSSA-2026-011.yaml", "OSSA-2025-020.yaml", "README"})
    std::ofstream(d.path + "/" + f) << "x";
  BOOST_TEST(*next_id(d.path, 2026) == "OSSA-2026-012");
  BOOST_TEST(*next_id(d.path, 2027) == "OSSA-2027-001");
  BOOST_TEST(*next_id(d.path + "/absent", 2026) == "OSSA-2026-001");
  BOOST_TEST(parse_id("OSSA-2026-012")->second == 12);
  BOOST_TEST(!parse_id("OSSA-2026-12"));
  BOOST_TEST(*parse_note_id("OSSN-0097") == 97);
}

// --- rendering and exports -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(rst_layout_of_a_new_advisory) {
  renderer r(test_options());
  auto a = *load_text("OSSA-2026-013.yaml", minimal);
  auto out = r.rst(a);
  BOOST_TEST_REQUIRE(out.ok());
  const std::string& s = *out;
  BOOST_TEST(s.find(std::string(38, '=') + "\nOSSA-2026-013: Token leak in Nova logs\n" + std::string(38, '=') + "\n") == 0);
  BOOST_TEST(s.find(":Date: May 11, 2026\n:CVE: CVE-2026-12345\n") != std::string::npos);
  BOOST_TEST(s.find("- Nova: <30.2.2, >=31.0.0 <31.2.1, ==32.0.0\n") != std::string::npos);
  // Branches sorted as strings: "2025.1/epoxy" before "master", labels capitalised.
  BOOST_TEST(s.find("+/2 (2025.1/epoxy)\n- https://review.opendev.org/c/openstack/nova/+/1 (Master)\n") !=
             std::string::npos);
  BOOST_TEST(s.find("- Jane Doe from Example Corp (CVE-2026-12345)\n") != std::string::npos);
  BOOST_TEST(s.find("- This fix will be included in a future release of Nova which is not yet\n  scheduled but will come.\n") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(html_escapes_and_osv_cna_have_the_ranges) {
  renderer r(test_options());
  std::string doc = minimal;
  doc.replace(doc.find("title: Token leak in Nova logs"), 30, "title: '<script>alert(1)</script>'");
  auto a = *load_text("OSSA-2026-013.yaml", doc);
  auto html = r.html(a);
  BOOST_TEST_REQUIRE(html.ok());
  BOOST_TEST(html->find("<script>") == std::string::npos);
  BOOST_TEST(html->find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);

  auto osv = r.osv(a);
  BOOST_TEST(osv["id"] == "x_OSSA-2026-013");
  BOOST_TEST(osv["aliases"][0] == "CVE-2026-12345");
  BOOST_TEST(osv["affected"][0]["package"]["name"] == "nova");
  BOOST_TEST(osv["affected"][0]["ranges"][1]["events"][0]["introduced"] == "31.0.0");
  BOOST_TEST(osv["affected"][0]["ranges"][1]["events"][1]["fixed"] == "31.2.1");
  BOOST_TEST(osv["affected"][0]["versions"][0] == "32.0.0");
  auto cna = r.cna(a);
  BOOST_TEST_REQUIRE(cna.count("CVE-2026-12345") == 1u);
  const auto& c = cna["CVE-2026-12345"]["cnaContainer"];
  BOOST_TEST(c["affected"][0]["product"] == "Nova");
  BOOST_TEST(c["affected"][0]["versions"][0]["lessThan"] == "30.2.2");
  BOOST_TEST(c["affected"][0]["versions"][0]["version"] == "0");
  BOOST_TEST(c["references"][0]["tags"][0] == "vendor-advisory");
}

BOOST_AUTO_TEST_CASE(notes_render_with_their_own_template) {
  renderer r(test_options());
  auto n = load_note_text("OSSN-0097.yaml", R"(id: OSSN-0097
date: 2026-05-12
title: Glance image locations can be changed by their owner
summary: >
  When show_multiple_locations is enabled, an image owner can replace
  the data behind an image.
affected-products:
  - product: glance
    version: '<29.1.1'
discussion: |
  Deployments exposing locations are affected.
recommended-actions: |
  Run a second glance-api for internal use.
authors:
  - Jane Doe, Example Corp
references:
  - label: Original Launchpad bug
    url: https://launchpad.net/bugs/1
cve: CVE-2026-11111
)");
  BOOST_TEST_REQUIRE(n.ok());
  BOOST_TEST(check(*n).empty());
  auto t = r.text(*n);
  BOOST_TEST_REQUIRE(t.ok());
  BOOST_TEST(t->find("Glance image locations can be changed by their owner\n---\n\n### Summary ###\n") == 0);
  BOOST_TEST(t->find("### Affected Services / Software ###\n- glance: <29.1.1\n") != std::string::npos);
  BOOST_TEST(t->find("Authors:\n- Jane Doe, Example Corp\nThis OSSN: https://security.openstack.org/ossn/OSSN-0097.html\n") !=
             std::string::npos);
  BOOST_TEST(t->find("CVE: CVE-2026-11111\n") != std::string::npos);
  auto bad = load_note_text("OSSN-97.yaml", "id: OSSN-97\ntitle: x\ndate: 2026-01-01\n");
  BOOST_TEST(!check(*bad).empty());
}

BOOST_AUTO_TEST_CASE(site_rebuild_swaps_in_place_and_drops_stale_files) {
  temp_dir d;
  std::string src = d.path + "/src", out = d.path + "/site";
  std::filesystem::create_directories(src);
  std::ofstream(src + "/OSSA-2026-013.yaml") << minimal;
  std::string second = minimal;
  second.replace(second.find("OSSA-2026-013"), 13, "OSSA-2026-014");
  second.replace(second.find("CVE-2026-12345"), 14, "CVE-2026-22222");
  std::ofstream(src + "/OSSA-2026-014.yaml") << second;
  renderer r(test_options());
  auto first = build_site(r, src, out);
  BOOST_TEST_REQUIRE(first.ok());
  BOOST_TEST(first->advisories == 2);
  BOOST_TEST(fs::exists(out + "/ossa/OSSA-2026-014.html"));
  BOOST_TEST(fs::exists(out + "/cve/CVE-2026-22222.json"));
  BOOST_TEST(fs::exists(out + "/index.html"));
  // Withdraw one advisory: its files go, the other's stay; the previous build is kept aside.
  std::filesystem::remove(src + "/OSSA-2026-014.yaml");
  BOOST_TEST_REQUIRE(build_site(r, src, out).ok());
  BOOST_TEST(!fs::exists(out + "/ossa/OSSA-2026-014.html"));
  BOOST_TEST(!fs::exists(out + "/cve/CVE-2026-22222.json"));
  BOOST_TEST(fs::exists(out + "/ossa/OSSA-2026-013.rst"));
  BOOST_TEST(fs::exists(d.path + "/.site.vmt-prev/.vmt-site"));
  auto index = fs::read_file(out + "/index.html");
  BOOST_TEST(index->find("OSSA-2026-014") == std::string::npos);
  BOOST_TEST_REQUIRE(build_site(r, src, out).ok());  // a third build reuses the second buffer
  BOOST_TEST(!fs::exists(out + "/ossa/OSSA-2026-014.html"));
  // A folder that vmt did not make is never replaced.
  std::filesystem::create_directories(d.path + "/mine");
  std::ofstream(d.path + "/mine/keep.txt") << "x";
  auto refused = build_site(r, src, d.path + "/mine");
  BOOST_TEST_REQUIRE(!refused.ok());
  BOOST_TEST((refused.err().kind == failure::cant_create));
  BOOST_TEST(fs::exists(d.path + "/mine/keep.txt"));
}

// --- the published corpus --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(corpus_renders_byte_for_byte) {
  std::string dir = std::string(VMT_SHARED_DIR) + "/corpus/ossa";
  if (!fs::exists(dir + "/yaml")) {
    BOOST_TEST_MESSAGE("skipped: " << dir << " is absent (present in CI, absent in a user's clone)");
    return;
  }
  renderer r(test_options());
  auto files = list_sources(dir + "/yaml");
  BOOST_TEST_REQUIRE(files.ok());
  int same = 0;
  for (const auto& f : *files) {
    auto a = load(f);
    BOOST_TEST_REQUIRE(a.ok(), f);
    auto out = r.rst(*a);
    BOOST_TEST_REQUIRE(out.ok(), f);
    std::string base = f.substr(f.rfind('/') + 1);
    auto want = fs::read_file(dir + "/rst/" + base.substr(0, base.size() - 5) + ".rst");
    BOOST_TEST_REQUIRE(want.ok(), f);
    if (*out == *want) ++same;
    else BOOST_TEST(*out == *want, f << " differs");
  }
  BOOST_TEST(same == static_cast<int>(files->size()));
  BOOST_TEST(files->size() == 183u);
}
