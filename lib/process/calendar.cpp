// calendar.cpp: disclosure dates and business days (see calendar.h; the rules and their seed
// sentences are in docs/process.md).
#include "process/calendar.h"

#include <algorithm>

namespace vmt::process {

namespace {

using std::chrono::days;

struct period {
  clock::days from, to;
  std::string name;
};

constexpr const char* weekday_names[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                         "Thursday", "Friday", "Saturday"};

int weekday_of(clock::days d) {
  return static_cast<int>(std::chrono::weekday{d}.c_encoding());
}

// Holiday periods as dates; errors name the offending entry.
result<std::vector<period>> periods(const config::disclosure_settings& s) {
  std::vector<period> out;
  for (std::size_t i = 0; i < s.holidays.size(); ++i) {
    const auto& h = s.holidays[i];
    if (h.yearly()) continue;  // checked by month and day (yearly_holiday)
    std::string field = "disclosure.holidays[" + std::to_string(i) + "]";
    auto from = clock::parse_iso_date(h.from);
    auto to = clock::parse_iso_date(h.to.empty() ? h.from : h.to);
    if (!from || !to)
      return make_error(failure::config, field, "not a date period: '" + h.from + "'..'" + h.to + "'",
                        "write from: YYYY-MM-DD and to: YYYY-MM-DD");
    if (*to < *from) return make_error(failure::config, field + ".to", "ends before it starts");
    out.push_back({*from, *to, h.name.empty() ? h.from + ".." + (h.to.empty() ? h.from : h.to) : h.name});
  }
  return out;
}

status check_settings(const config::disclosure_settings& s) {
  if (s.min_business_days < 1 || s.max_business_days < s.min_business_days)
    return make_error(failure::config, "disclosure.min_business_days",
                      "the window " + std::to_string(s.min_business_days) + "-" +
                          std::to_string(s.max_business_days) + " is empty",
                      "use 1 <= min_business_days <= max_business_days");
  if (s.weekdays.empty())
    return make_error(failure::config, "disclosure.weekdays", "no disclosure weekday",
                      "list at least one weekday");
  for (int w : s.weekdays)
    if (w < 0 || w > 6)
      return make_error(failure::config, "disclosure.weekdays", "weekday out of range",
                        "use 0 (Sunday) to 6");
  if (s.hour_utc < 0 || s.hour_utc > 23)
    return make_error(failure::config, "disclosure.hour_utc", "out of range", "use 0 to 23");
  if (s.distros_max_days < 1)
    return make_error(failure::config, "disclosure.distros_max_days", "out of range", "use 1 to 14");
  return ok_v;
}

bool allowed_weekday(int wd, const config::disclosure_settings& s) {
  return std::find(s.weekdays.begin(), s.weekdays.end(), wd) != s.weekdays.end();
}

std::string allowed_list(const config::disclosure_settings& s, const char* last_sep) {
  std::vector<int> w = s.weekdays;
  std::sort(w.begin(), w.end());
  w.erase(std::unique(w.begin(), w.end()), w.end());
  std::string out;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (i) out += i + 1 == w.size() ? last_sep : ", ";
    out += weekday_names[w[i]];
  }
  return out;
}

disclosure at(clock::days d, int business_day, const config::disclosure_settings& s) {
  return {d, clock::seconds{d} + std::chrono::hours{s.hour_utc}, business_day};
}

std::string range_text(const config::disclosure_settings& s) {
  return s.min_business_days == s.max_business_days
             ? "the " + ordinal(s.min_business_days)
             : "the " + ordinal(s.min_business_days) + " to " + ordinal(s.max_business_days);
}

}  // namespace

std::string ordinal(int n) {
  int m100 = n % 100, m10 = n % 10;
  const char* suf = (m100 >= 11 && m100 <= 13) ? "th"
                    : m10 == 1                 ? "st"
                    : m10 == 2                 ? "nd"
                    : m10 == 3                 ? "rd"
                                               : "th";
  return std::to_string(n) + suf;
}

std::string weekday_name(int wd) {
  return wd >= 0 && wd <= 6 ? weekday_names[wd] : "?";
}

std::string verdict_id(day_verdict v) {
  switch (v) {
    case day_verdict::weekend:
      return "weekend";
    case day_verdict::holiday:
      return "holiday";
    case day_verdict::too_early:
      return "too_early";
    case day_verdict::weekday_not_allowed:
      return "weekday_not_allowed";
    case day_verdict::chosen:
      return "chosen";
    case day_verdict::past_window:
      return "past_window";
    case day_verdict::past_distros_limit:
      return "past_distros_limit";
  }
  return "?";
}

// The yearly period (MM-DD .. MM-DD, possibly across the year end) holding `d`, by name.
static std::string yearly_holiday(clock::days d, const config::disclosure_settings& s) {
  auto md = clock::iso_date(d).substr(5);
  for (const auto& h : s.holidays) {
    if (!h.yearly()) continue;
    const auto& to = h.to.empty() ? h.from : h.to;
    bool inside = h.from <= to ? (md >= h.from && md <= to) : (md >= h.from || md <= to);
    if (inside) return h.name.empty() ? h.from + ".." + to : h.name;
  }
  return {};
}

std::string holiday_on(clock::days d, const config::disclosure_settings& s) {
  if (auto y = yearly_holiday(d, s); !y.empty()) return y;
  auto ps = periods(s);
  if (!ps) {
    // Report nothing here: explain()/check() turn a bad period into a config error.
    return {};
  }
  for (const auto& p : *ps)
    if (d >= p.from && d <= p.to) return p.name;
  return {};
}

bool is_business_day(clock::days d, const config::disclosure_settings& s) {
  int wd = weekday_of(d);
  return wd != 0 && wd != 6 && holiday_on(d, s).empty();
}

std::string describe_window(const config::disclosure_settings& s) {
  return range_text(s) + " business day after the notification, on a " + allowed_list(s, " or ") + ", at " +
         (s.hour_utc < 10 ? "0" : "") + std::to_string(s.hour_utc) + ":00 UTC, at most " +
         std::to_string(s.distros_max_days) + " days after it";
}

result<schedule_plan> explain(clock::days notified, const config::disclosure_settings& s) {
  VMT_TRY_STATUS(check_settings(s));
  VMT_TRY(ps, periods(s));
  schedule_plan plan;
  plan.notified = notified;
  plan.distros_limit = notified + days{s.distros_max_days};
  int n = 0;
  for (clock::days d = notified + days{1};; d += days{1}) {
    day_note note{d, 0, day_verdict::weekend, {}};
    int wd = weekday_of(d);
    if (d > plan.distros_limit) {
      note.verdict = day_verdict::past_distros_limit;
      note.reason = "more than " + std::to_string(s.distros_max_days) +
                    " days after the notification (the linux-distros limit)";
      plan.days.push_back(note);
      return plan;
    }
    auto hol = std::find_if(ps.begin(), ps.end(), [&](const period& p) { return d >= p.from && d <= p.to; });
    auto yearly = yearly_holiday(d, s);
    if (wd == 0 || wd == 6) {
      note.reason = "weekend";
    } else if (hol != ps.end() || !yearly.empty()) {
      note.verdict = day_verdict::holiday;
      note.reason = "holiday '" + (yearly.empty() ? hol->name : yearly) + "'";
    } else {
      note.business_day = ++n;
      if (n < s.min_business_days) {
        note.verdict = day_verdict::too_early;
        note.reason = "business day " + std::to_string(n) + ": too early (the window opens on the " +
                      ordinal(s.min_business_days) + ")";
      } else if (n > s.max_business_days) {
        note.verdict = day_verdict::past_window;
        note.reason = "business day " + std::to_string(n) + ": past the window (it closed on the " +
                      ordinal(s.max_business_days) + ")";
        plan.days.push_back(note);
        return plan;
      } else if (!allowed_weekday(wd, s)) {
        note.verdict = day_verdict::weekday_not_allowed;
        note.reason =
            "business day " + std::to_string(n) + ": " + weekday_names[wd] + " is not a disclosure weekday";
      } else {
        note.verdict = day_verdict::chosen;
        note.reason = "business day " + std::to_string(n) + ": the earliest " + allowed_list(s, " or ") +
                      " in the window";
        plan.days.push_back(note);
        plan.proposal = at(d, n, s);
        return plan;
      }
    }
    plan.days.push_back(note);
  }
}

result<disclosure> propose(clock::days notified, const config::disclosure_settings& s) {
  VMT_TRY(plan, explain(notified, s));
  if (plan.proposal) return *plan.proposal;
  int holidays = 0;
  for (const auto& d : plan.days) holidays += d.verdict == day_verdict::holiday;
  std::string why = plan.days.empty() ? std::string() : "; " + plan.days.back().reason;
  if (holidays) why += "; " + std::to_string(holidays) + " holiday day(s) in between";
  return make_error(failure::unavailable, "disclosure window",
                    "no " + allowed_list(s, " or ") + " is " + range_text(s) + " business day after " +
                        clock::iso_date(notified) + " within " + std::to_string(s.distros_max_days) +
                        " days" + why,
                    "notify on another day, or choose a date yourself (--date, with --force and a reason)");
}

result<disclosure> check(clock::days notified, clock::days chosen, const config::disclosure_settings& s) {
  VMT_TRY(plan, explain(notified, s));
  const std::string where = "disclosure date " + clock::iso_date(chosen);
  std::string fix = plan.proposal
                        ? "choose the proposal, " + clock::iso_date(plan.proposal->day) +
                              ", or override with --force and a reason"
                        : "no day fits the rules after this notification; override with --force and a reason";
  auto refuse = [&](std::string what) { return make_error(failure::data, where, std::move(what), fix); };
  if (chosen <= notified) return refuse("not after the notification day " + clock::iso_date(notified));
  if (chosen > plan.distros_limit)
    return refuse(std::to_string((chosen - notified).count()) +
                  " days after the notification: the linux-distros list allows at most " +
                  std::to_string(s.distros_max_days));
  int wd = weekday_of(chosen);
  if (wd == 0 || wd == 6) return refuse("a " + weekday_name(wd) + ", not a business day");
  if (auto h = holiday_on(chosen, s); !h.empty()) return refuse("in the holiday period '" + h + "'");
  if (!allowed_weekday(wd, s))
    return refuse(weekday_name(wd) + " is not a disclosure weekday (allowed: " + allowed_list(s, " and ") +
                  ")");
  // Count business days up to the chosen day (explain() stops at the proposal).
  int n = 0;
  for (clock::days d = notified + days{1}; d <= chosen; d += days{1}) n += is_business_day(d, s);
  if (n < s.min_business_days || n > s.max_business_days)
    return refuse("the " + ordinal(n) + " business day after the notification; the window is " +
                  range_text(s));
  return at(chosen, n, s);
}

clock::days embargo_end(clock::days reception, const config::embargo_settings& e) {
  return reception + days{e.days};
}

}  // namespace vmt::process
