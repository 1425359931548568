// versions.h: the "version" field of an advisory as structured ranges, and the question a deployer
// asks: "is my version affected?".
//
// Since 2016 the VMT writes ranges like ">=17.0.0 <26.1.7, >=27.0.0 <29.0.6, ==30.0.0": a comma (or
// "and") separates ranges, the constraints inside one range all apply. Older advisories use free
// text ("Essex (2012.1)", "up to 2014.1.3", even "All versions", which meant all versions of its
// day), which no program can decide on.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "advisory/advisory.h"

namespace vmt::advisory {

// A release number compared as PEP 440 does for the forms OpenStack uses:
// 26.1.7, 2014.1, 13.0.0.0rc1, 1.0b2, 2.0.dev3, 2.0.post1.
struct version {
  std::vector<long> release;
  int phase = 4;  // 0 dev, 1 a, 2 b, 3 rc, 4 final, 5 post
  long serial = 0;
  std::string text;
};
std::optional<version> parse_version(std::string_view s);
// <0, 0, >0 (trailing zeros do not count: 2014.1 == 2014.1.0).
int compare(const version& a, const version& b);

// OpenStack numbered its releases by date (2011.1 "Cactus" .. 2015.1 "Kilo": the first number is a
// year), then by semantic version (nova 12.0.0 "Liberty", keystone 8.0.0, ...). The two schemes are
// two separate lines of versions: a bound written in one never matches a version of the other
// (PEP 440 alone would put nova 27.0.0 below 2015.1.2 and call it affected by "<=2015.1.2"). The
// one exception is a range that crosses over, with a date lower bound and a semantic upper bound
// (">=2015.1 <12.0.2"): it covers the date versions from its lower bound and the semantic ones
// below its upper bound. docs/advisories.md, "Version ranges".
enum class scheme { date, semantic };
scheme scheme_of(const version& v);
// The first version of the date scheme: where a date range without a lower bound starts in the
// exports, whose ordering (PEP 440) would otherwise take in every semantic version below it.
inline constexpr const char* first_date_version = "2010.1";

struct range {
  std::optional<version> lower;  // >= (or > when !lower_inclusive)
  bool lower_inclusive = true;
  std::optional<version> upper;  // < (or <= when upper_inclusive)
  bool upper_inclusive = false;
  std::optional<version> exact;  // ==
  std::string text;              // as written
  bool contains(const version& v) const;
};

struct product_ranges {
  std::string product;  // as the product field names it
  std::vector<range> ranges;
};

struct version_field {
  bool structured = false;
  std::vector<product_ranges> groups;  // one per product ("Cinder <19.1.2; Glance <23.0.1")
  std::vector<std::string> warnings;   // legal but suspicious, e.g. a comma splitting one range
  std::string why_free;                // when !structured: the part that is not a range
};

// Parse a version field for the product field it belongs to (which may list several products:
// "Cinder, Glance, Nova"; then each ';' group starts with its product's name).
version_field parse_field(const std::string& product, const std::string& field);

// The CVE JSON 5 / OSV view of one range, in PEP 440 order (their `python` and PyPI ordering):
// introduced ("0", or first_date_version for a date range, when unbounded), fixed or
// last_affected. A range that crosses from the date scheme to the semantic one gives two; an empty
// range (semantic lower bound, date upper bound) none.
struct bounds {
  std::string introduced = "0";
  std::string fixed;          // exclusive upper bound
  std::string last_affected;  // inclusive upper bound
  std::string exact;
  bool open_ended = false;    // no upper bound
};
std::vector<bounds> to_bounds(const range& r);

// A package name as PEP 503 normalises it (lower case, runs of '-', '_' and '.' as one '-'):
// glance-store, glance_store and Glance_Store are one product.
std::string normalized_product(std::string_view name);

// The answer of `vmt affects`.
struct affects_hit {
  std::string id;
  std::string title;
  std::string product;
  std::string field;   // the version field as written
  std::string detail;  // the matching range, or why it cannot be decided
  std::vector<std::string> warnings;
};
struct affects_answer {
  std::vector<affects_hit> affected;
  std::vector<affects_hit> undecided;
  int not_affected = 0;
  int advisories = 0;       // advisories read
  bool product_known = false;  // some advisory names the product (else: a typo, or never affected)
  std::vector<std::string> unreadable;  // files that did not load (message each)
};
result<affects_answer> affects(const std::vector<advisory>& all, const std::string& product,
                               const std::string& version);

}  // namespace vmt::advisory
