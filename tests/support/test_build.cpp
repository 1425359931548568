// test_build.cpp: what makes a test build (core/test_hooks.h). Linked into the unit tests, the fuzz
// targets and the test variants of the programs in build/tests/bin/, never into what is installed.
//
// VMT_NOW=2026-05-11T10:00:00Z (or a bare date) pins the clock; it is read at each call, so a unit
// test may change it as it goes.
// VMT_TEST_HOOKS=1 enables the fault points: VMT_TEST_CRASH_AFTER=step makes the process die right
// after that step, by SIGKILL as a power cut would (or by VMT_TEST_CRASH_SIGNAL=SEGV|ABRT, to show
// that no core dump is written); VMT_TEST_STOP_AFTER=step stops it (SIGSTOP) there, so that a test
// can look at /proc/PID.
#include <csignal>
#include <cstdlib>
#include <string>

#include "core/clock.h"
#include "core/test_hooks.h"

namespace {

std::optional<std::chrono::sys_seconds> pinned_now() {
  const char* fake = std::getenv("VMT_NOW");
  if (!fake || !*fake) return std::nullopt;
  return vmt::clock::parse_iso_time(fake);
}

void crash_hook(const std::string& step) {
  static const char* enabled = std::getenv("VMT_TEST_HOOKS");
  if (!enabled || std::string(enabled) != "1") return;
  static const char* when = std::getenv("VMT_TEST_CRASH_AFTER");
  static const char* stop = std::getenv("VMT_TEST_STOP_AFTER");
  static const char* sig = std::getenv("VMT_TEST_CRASH_SIGNAL");
  if (stop && step == stop) std::raise(SIGSTOP);
  if (when && step == when) {
    std::string s = sig ? sig : "KILL";
    std::raise(s == "SEGV" ? SIGSEGV : s == "ABRT" ? SIGABRT : SIGKILL);
  }
}

const bool installed = [] {
  vmt::test_hooks::install({pinned_now, crash_hook});
  return true;
}();

}  // namespace
