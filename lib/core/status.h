// status.h: the one table from failure class to sysexits(3) code, and the result type that carries
// expected failures as values.
//
// Every program maps its outcome to an exit code here and nowhere else. The MTA treats the code as a
// contract (Postfix pipe(8), procmail): EX_TEMPFAIL (75) defers and retries, anything else non-zero
// bounces. So a passing fault must be `failure::temporary`, and nothing that carries report text
// may ever reach a bounce.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace vmt {

// Failure classes, each with one exit code (see exit_code()).
enum class failure {
  usage,        // EX_USAGE 64: wrong command line
  data,         // EX_DATAERR 65: input data is wrong (bad YAML, bad id)
  no_input,     // EX_NOINPUT 66: a named input file does not exist
  unavailable,  // EX_UNAVAILABLE 69: a service is refused for good (permission, policy)
  software,     // EX_SOFTWARE 70: a bug in vmt
  os,           // EX_OSERR 71: the system failed us (fork, out of memory)
  cant_create,  // EX_CANTCREAT 73: cannot create an output file
  io,           // EX_IOERR 74: read/write error on a file we own
  temporary,    // EX_TEMPFAIL 75: try again later (store busy, tracker down, disk full)
  protocol,     // EX_PROTOCOL 76: a remote peer broke the protocol
  permission,   // EX_NOPERM 77: insufficient permission (refused to run as root, unsafe file mode)
  config,       // EX_CONFIG 78: the configuration is wrong
  action_due,   // 1: not an error: `vmt check` found something a person must act on, `vmt affects`
                // found the version affected (as diff(1) and grep(1) use 1 for "yes, there is
                // something"), so cron mails its output and a script can branch on it
  problems,     // 2: `vmt doctor` found problems (1, action_due, is for warnings only)
};

// The sysexits(3) code for a failure class.
int exit_code(failure f) noexcept;
// A short stable name for logs and JSON ("temporary", "config", ...).
const char* failure_name(failure f) noexcept;

// An expected failure: what went wrong, where, and what the operator can do about it.
// `where` names the file, field or object ("vmt.yaml: tracker.kind"); `fix` says what to do.
// None of the three may contain report text: they end up in logs and on terminals.
struct error {
  failure kind = failure::software;
  std::string where;
  std::string what;
  std::string fix;

  // "where: what (fix)" on one line, for logs and stderr.
  std::string message() const;
};

error make_error(failure kind, std::string where, std::string what, std::string fix = {});

// A value or an error; a small stand-in for C++23 std::expected.
template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  result(error e) : v_(std::in_place_index<1>, std::move(e)) {}

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const error& err() const& { return std::get<1>(v_); }
  error&& err() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, error> v_;
};

// For operations that return nothing but may fail.
struct ok_t {};
inline constexpr ok_t ok_v{};
using status = result<ok_t>;

}  // namespace vmt

// Propagate an error from an expression returning result<T>/status: VMT_TRY(x, expr) binds x.
#define VMT_CAT2(a, b) a##b
#define VMT_CAT(a, b) VMT_CAT2(a, b)
#define VMT_TRY_STATUS(expr)                                  \
  do {                                                        \
    auto vmt_try_r_ = (expr);                                 \
    if (!vmt_try_r_) return std::move(vmt_try_r_).err();      \
  } while (0)
#define VMT_TRY(var, expr)                                    \
  auto VMT_CAT(vmt_try_, __LINE__) = (expr);                  \
  if (!VMT_CAT(vmt_try_, __LINE__)) return std::move(VMT_CAT(vmt_try_, __LINE__)).err(); \
  auto var = std::move(VMT_CAT(vmt_try_, __LINE__)).value()
