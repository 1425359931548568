// harden.cpp: process hardening (see harden.h).
#include "core/harden.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

namespace vmt::harden {

void no_core_dumps() {
  struct rlimit none {
    0, 0
  };
  ::setrlimit(RLIMIT_CORE, &none);
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

void private_files() {
  ::umask(077);
}

}  // namespace vmt::harden
