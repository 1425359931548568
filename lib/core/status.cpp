// status.cpp: the failure-class table (see status.h).
#include "core/status.h"

#include <sysexits.h>

namespace vmt {

namespace {
struct row {
  failure kind;
  int code;
  const char* name;
};
// The single mapping from failure class to exit code. Postfix defers only on 75 and 71.
constexpr row table[] = {
    {failure::usage, EX_USAGE, "usage"},
    {failure::data, EX_DATAERR, "data"},
    {failure::no_input, EX_NOINPUT, "no-input"},
    {failure::unavailable, EX_UNAVAILABLE, "unavailable"},
    {failure::software, EX_SOFTWARE, "software"},
    {failure::os, EX_OSERR, "os"},
    {failure::cant_create, EX_CANTCREAT, "cant-create"},
    {failure::io, EX_IOERR, "io"},
    {failure::temporary, EX_TEMPFAIL, "temporary"},
    {failure::protocol, EX_PROTOCOL, "protocol"},
    {failure::permission, EX_NOPERM, "permission"},
    {failure::config, EX_CONFIG, "config"},
    {failure::action_due, 1, "action-due"},
    {failure::problems, 2, "problems"},
};
const row& lookup(failure f) {
  for (const auto& r : table)
    if (r.kind == f) return r;
  return table[4];  // software
}
}  // namespace

int exit_code(failure f) noexcept { return lookup(f).code; }
const char* failure_name(failure f) noexcept { return lookup(f).name; }

std::string error::message() const {
  std::string m;
  if (!where.empty()) m += where + ": ";
  m += what;
  if (!fix.empty()) m += " (" + fix + ")";
  return m;
}

error make_error(failure kind, std::string where, std::string what, std::string fix) {
  return error{kind, std::move(where), std::move(what), std::move(fix)};
}

}  // namespace vmt
