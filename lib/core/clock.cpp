// clock.cpp: time and date formats (see clock.h).
#include "core/clock.h"

#include <cstdio>
#include <cstdlib>

#include "core/test_hooks.h"

namespace vmt::clock {

using namespace std::chrono;

namespace {
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

std::optional<days> parse_iso_date(std::string_view s) {
  int y, m, d;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-' || !digits(s, 0, 4, y) || !digits(s, 5, 2, m) ||
      !digits(s, 8, 2, d))
    return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  if (s.size() != 10) return std::nullopt;
  return sys_days{ymd};
}

std::optional<seconds> parse_iso_time(std::string_view s) {
  if (s.size() == 10) {
    auto d = parse_iso_date(s);
    if (!d) return std::nullopt;
    return seconds{*d};
  }
  if (s.size() < 16 || (s[10] != 'T' && s[10] != ' ')) return std::nullopt;
  auto d = parse_iso_date(s.substr(0, 10));
  int hh, mm, ss = 0;
  if (!d || !digits(s, 11, 2, hh) || s[13] != ':' || !digits(s, 14, 2, mm)) return std::nullopt;
  std::size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!digits(s, pos + 1, 2, ss)) return std::nullopt;
    pos += 3;
  }
  if (pos < s.size() && s[pos] == 'Z') ++pos;
  if (pos != s.size() || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  return seconds{*d} + hours{hh} + minutes{mm} + std::chrono::seconds{ss};
}

seconds now() {
  if (auto pinned = test_hooks::installed().now)
    if (auto t = pinned()) return *t;
  return time_point_cast<std::chrono::seconds>(system_clock::now());
}

days today() { return floor<std::chrono::days>(now()); }

std::string iso_date(days d) {
  year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string iso_time(seconds t) {
  auto d = floor<std::chrono::days>(t);
  hh_mm_ss hms{t - d};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", iso_date(d).c_str(),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

namespace {
constexpr const char* month_abbr[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* month_full[] = {"January", "February", "March",     "April",
                                      "May",     "June",     "July",      "August",
                                      "September", "October", "November", "December"};
constexpr const char* weekday_abbr[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
}  // namespace

std::string rfc5322_date(seconds t) {
  auto d = floor<std::chrono::days>(t);
  year_month_day ymd{d};
  weekday wd{d};
  hh_mm_ss hms{t - d};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s, %u %s %04d %02d:%02d:%02d +0000", weekday_abbr[wd.c_encoding()],
                static_cast<unsigned>(ymd.day()), month_abbr[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string long_date(days d) {
  year_month_day ymd{d};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s %u, %04d", month_full[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<unsigned>(ymd.day()), static_cast<int>(ymd.year()));
  return buf;
}

}  // namespace vmt::clock
