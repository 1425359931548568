// test_hooks.cpp: the seams of a test build (see test_hooks.h).
#include "core/test_hooks.h"

namespace vmt::test_hooks {

namespace {
hooks& current() {
  static hooks h;
  return h;
}
}  // namespace

void install(const hooks& h) { current() = h; }
const hooks& installed() { return current(); }

void after_step(const std::string& step) {
  if (auto fn = current().after_step) fn(step);
}

}  // namespace vmt::test_hooks
