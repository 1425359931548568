// clock.h: the current time and the date formats vmt writes (ISO 8601, RFC 5322).
//
// All of vmt asks this clock, never the system directly. A test build (core/test_hooks.h) can pin
// it; an installed program always reads the system clock (faketime(1) moves it for a whole
// process tree, gpg included, which is how the end-to-end tests reach the disclosure hour).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace vmt::clock {

using seconds = std::chrono::sys_seconds;
using days = std::chrono::sys_days;

// Now, UTC, to the second.
seconds now();
days today();

// 2026-05-11
std::string iso_date(days d);
// 2026-05-11T15:00:00Z
std::string iso_time(seconds t);
// Mon, 11 May 2026 15:00:00 +0000
std::string rfc5322_date(seconds t);
// May 11, 2026 (the advisory layout)
std::string long_date(days d);

// Parse YYYY-MM-DD (a real calendar date only).
std::optional<days> parse_iso_date(std::string_view s);
// Parse YYYY-MM-DDTHH:MM[:SS]Z, YYYY-MM-DD HH:MM[:SS] (taken as UTC) or a bare date (midnight).
std::optional<seconds> parse_iso_time(std::string_view s);

}  // namespace vmt::clock
