// test_hooks.h: the two seams through which a test build pins the clock and injects faults.
//
// Only tests/support/test_build.cpp installs them, and it is linked only into the unit tests, the
// fuzz targets and the test variants of the programs (build/tests/bin/, never installed). A
// production program installs nothing: no environment variable can move its time (the embargo
// gate, the disclosure hour) or make it crash on purpose.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace vmt::test_hooks {

struct hooks {
  // The time to use instead of the system clock, or nullopt for the system clock.
  std::optional<std::chrono::sys_seconds> (*now)() = nullptr;
  // Called after each durable step of a program ("spool", "store", "tracker:create", ...).
  void (*after_step)(const std::string& step) = nullptr;
};

// Install the hooks of a test build (before main, from a static initializer).
void install(const hooks& h);
const hooks& installed();

// A fault-injection point: does nothing unless a test build installed a hook.
void after_step(const std::string& step);

}  // namespace vmt::test_hooks
