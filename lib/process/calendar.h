// calendar.h: the disclosure calendar: business days, the proposed disclosure date after an
// embargoed notification, the check of a date a coordinator chose, and the embargo end.
//
// The rule (seed "Embargoed disclosure", widened by settings): counting business days after the
// day of the notification (weekends and configured holiday periods are not business days), the
// earliest allowed weekday (default Tuesday, Wednesday, Thursday) that is the min-th..max-th
// business day (default 3rd..5th), at hour_utc (default 15:00 UTC), and never more than
// distros_max_days (14) calendar days after the notification (the linux-distros list's limit).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/status.h"

namespace vmt::process {

// Why a day after the notification was or was not taken.
enum class day_verdict {
  weekend,              // Saturday or Sunday: not a business day
  holiday,              // inside a configured holiday period: not a business day
  too_early,            // a business day before the window opens
  weekday_not_allowed,  // in the window, but not a disclosure weekday (Monday, Friday by default)
  chosen,               // the proposal
  past_window,          // the window closed without an allowed weekday
  past_distros_limit,   // beyond distros_max_days after the notification
};
// "weekend", "holiday", "too_early", ... (stable, for JSON).
std::string verdict_id(day_verdict v);

struct day_note {
  clock::days day{};
  int business_day = 0;  // 1-based count of business days after the notification; 0 if not one
  day_verdict verdict = day_verdict::weekend;
  std::string reason;  // "Monday is not a disclosure weekday", "holiday 'Winter break'"
};

// A disclosure moment: the day, the time on it (hour_utc), and which business day it is.
struct disclosure {
  clock::days day{};
  clock::seconds at{};
  int business_day = 0;
};

// The reasoning behind a proposal: every day examined after the notification, in order, and the
// proposal when one fits.
struct schedule_plan {
  clock::days notified{};
  clock::days distros_limit{};  // the last day the linux-distros rule allows
  std::vector<day_note> days;
  std::optional<disclosure> proposal;
};

// The plan for a notification sent on `notified`. failure::config only when the settings are
// unusable (a holiday that is not a date, an empty weekday list, min > max).
result<schedule_plan> explain(clock::days notified, const config::disclosure_settings& s);

// The proposed disclosure, or failure::unavailable saying why no day fits (and what to do).
result<disclosure> propose(clock::days notified, const config::disclosure_settings& s);

// A coordinator-chosen day checked against the rules: the disclosure at hour_utc on it, or
// failure::data with the reason and the proposal to use instead. Overriding (--force) is the
// caller's business.
result<disclosure> check(clock::days notified, clock::days chosen, const config::disclosure_settings& s);

// Name of the holiday period holding `d` (empty when none). Unparsable periods are ignored here;
// explain() reports them.
std::string holiday_on(clock::days d, const config::disclosure_settings& s);
// Not a weekend day and not in a holiday period.
bool is_business_day(clock::days d, const config::disclosure_settings& s);

// One line describing the window, for people: "the 3rd to 5th business day after the
// notification, on a Tuesday, Wednesday or Thursday, at 15:00 UTC, at most 14 days after it".
std::string describe_window(const config::disclosure_settings& s);

// The embargo's last day: reception + embargo.days (seed: "90 days from the date the report is
// accepted by the coordinator", i.e. `date -I -d90days`).
clock::days embargo_end(clock::days reception, const config::embargo_settings& e);

// "1st", "2nd", "3rd", "11th", ...
std::string ordinal(int n);
// "Monday" for 1 (0 = Sunday .. 6 = Saturday, as in config::disclosure_settings::weekdays).
std::string weekday_name(int wd);

}  // namespace vmt::process
