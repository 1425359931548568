// sendmail.cpp: the local sendmail(1) interface, `sendmail -i -f SENDER -- RCPT...`, the mail on
// standard input read from its outbox file.
//
// Why not `-t`: it takes the recipients from the To/Cc/Bcc headers, and Postfix adds them to any
// given on the command line; the envelope must be exactly the store's recipient list, never what a
// header (possibly built from report data) says. `--` ends the options so that no address can be
// read as one, and every address is checked beforehand (valid_envelope_address).
//
// Exactly once: sendmail runs under a small helper process (forked, not exec'd) that survives the
// runner: it holds a lock file while sendmail runs and writes a receipt (the exit status) when it
// ends. A restarted runner reads the receipt, or sees the lock still held (in progress), or finds a
// lock without a receipt (the helper itself was killed: uncertain). The standard input is the file
// itself, never a pipe from the runner, so a dying runner cannot truncate a mail into the queue.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/fs.h"
#include "transport/transports.h"

namespace vmt::transport::detail {

namespace {

// sendmail normally returns in well under a second; one that hangs is killed and the mail becomes
// uncertain (it may have been queued before the hang).
constexpr int sendmail_timeout_s = 120;

struct attempt_files {
  std::string lock, receipt, output;
  attempt_files(const std::string& receipts, const std::string& name)
      : lock(receipts + "/" + name + ".lock"),
        receipt(receipts + "/" + name + ".receipt"),
        output(receipts + "/" + name + ".out") {}
};

std::string receipts_dir(const std::string& outbox_root) { return outbox_root + "/receipts"; }

// The environment sendmail gets: a fixed PATH and the few variables a mail program may need.
std::vector<std::string> child_environment() {
  std::vector<std::string> env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"};
  for (const char* k : {"MAIL_CONFIG", "HOME", "USER", "LOGNAME", "TZ", "LANG"})
    if (const char* v = std::getenv(k)) env.push_back(std::string(k) + "=" + v);
  return env;
}

double monotonic_s() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Close every descriptor from 3 up except those in `keep` (the helper must not hold the runner's
// outbox lock or the store open after the runner is gone).
void close_others(std::vector<int> keep) {
  std::sort(keep.begin(), keep.end());
  unsigned from = 3;
  for (int k : keep) {
    if (k < 3) continue;
    if (static_cast<unsigned>(k) > from) ::close_range(from, static_cast<unsigned>(k) - 1, 0);
    from = static_cast<unsigned>(k) + 1;
  }
  ::close_range(from, ~0U, 0);
}

// The helper process: run sendmail, wait (bounded), write the receipt durably, exit. Only plain
// system calls here: it runs in a forked copy of the runner.
[[noreturn]] void helper(int lock_fd, int in_fd, int out_fd, int null_fd, const char* program,
                         char* const* argv, char* const* envp, const char* receipt, const char* receipt_tmp,
                         const char* dir) {
  ::setsid();  // a Ctrl-C or a kill of the runner's process group leaves sendmail to finish
  ::dup2(null_fd, 0);
  ::dup2(null_fd, 1);
  ::dup2(null_fd, 2);
  close_others({lock_fd, in_fd, out_fd});
  pid_t child = ::fork();
  if (child == 0) {
    ::dup2(in_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(out_fd, 2);
    ::close(lock_fd);
    ::execve(program, argv, envp);
    _exit(127);
  }
  ::close(in_fd);
  ::close(out_fd);
  char line[64];
  if (child < 0) {
    std::snprintf(line, sizeof line, "exit 126\n");
  } else {
    int st = 0;
    double deadline = monotonic_s() + sendmail_timeout_s;
    bool timed_out = false;
    for (;;) {
      pid_t r = ::waitpid(child, &st, WNOHANG);
      if (r == child || (r < 0 && errno != EINTR)) break;
      if (monotonic_s() > deadline) {
        ::kill(child, SIGKILL);
        while (::waitpid(child, &st, 0) < 0 && errno == EINTR) {
        }
        timed_out = true;
        break;
      }
      timespec nap{0, 20 * 1000 * 1000};
      ::nanosleep(&nap, nullptr);
    }
    if (timed_out)
      std::snprintf(line, sizeof line, "timeout %d\n", sendmail_timeout_s);
    else if (WIFSIGNALED(st))
      std::snprintf(line, sizeof line, "signal %d\n", WTERMSIG(st));
    else
      std::snprintf(line, sizeof line, "exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 126);
  }
  int fd = ::open(receipt_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ssize_t n = ::write(fd, line, std::strlen(line));
    bool ok = n == static_cast<ssize_t>(std::strlen(line)) && ::fsync(fd) == 0;
    ::close(fd);
    if (ok && ::rename(receipt_tmp, receipt) == 0) {
      int dfd = ::open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
      }
    }
  }
  _exit(0);  // releases the lock
}

// The outcome recorded in a receipt, with sendmail's own output.
delivery read_receipt(const attempt_files& f) {
  auto r = fs::read_file(f.receipt, 4096);
  if (!r)
    return {verdict::uncertain, "sendmail's helper left no receipt: sendmail may have queued the mail", false};
  auto out = fs::read_file(f.output, 64 * 1024);
  std::string receipt = *r;
  while (!receipt.empty() && (receipt.back() == '\n' || receipt.back() == '\r')) receipt.pop_back();
  return classify_sendmail(receipt, out ? *out : std::string());
}

class sendmail_transport final : public transport {
 public:
  sendmail_transport(std::string program, std::string receipts)
      : program_(std::move(program)), receipts_(std::move(receipts)) {}
  const char* name() const override { return "sendmail"; }

  delivery send(const job& j, std::string_view) override {
    if (auto st = fs::make_private_dir(receipts_); !st) return {verdict::temporary, st.err().message(), true};
    attempt_files f(receipts_, j.name);
    ::unlink(f.receipt.c_str());
    ::unlink(f.output.c_str());
    // The lock file exists from here on: a restart that finds it without a receipt knows that
    // sendmail may have run.
    int lock_fd = ::open(f.lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd < 0) return {verdict::temporary, f.lock + ": " + std::strerror(errno), true};
    if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(lock_fd);
      return {verdict::temporary, "a sendmail for this mail is still running", false};
    }
    if (auto st = fs::sync_dir(receipts_); !st) {
      ::close(lock_fd);
      return {verdict::temporary, st.err().message(), true};
    }
    int in_fd = ::open(j.file.c_str(), O_RDONLY | O_CLOEXEC);
    int out_fd = ::open(f.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (in_fd < 0 || out_fd < 0 || null_fd < 0) {
      std::string why = std::strerror(errno);
      for (int fd : {in_fd, out_fd, null_fd, lock_fd})
        if (fd >= 0) ::close(fd);
      ::unlink(f.lock.c_str());  // nothing ran
      return {verdict::temporary, "cannot prepare sendmail's input and output: " + why, true};
    }

    // Everything the helper needs is built before fork: it only makes system calls.
    std::vector<std::string> args = {program_, "-i", "-f", j.sender, "--"};
    args.insert(args.end(), j.recipients.begin(), j.recipients.end());
    auto env = child_environment();
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    auto tmp = f.receipt + ".tmp";

    pid_t pid = ::fork();
    if (pid == 0)
      helper(lock_fd, in_fd, out_fd, null_fd, program_.c_str(), argv.data(), envp.data(), f.receipt.c_str(),
             tmp.c_str(), receipts_.c_str());
    int fork_errno = errno;
    for (int fd : {in_fd, out_fd, null_fd, lock_fd}) ::close(fd);
    if (pid < 0) {
      ::unlink(f.lock.c_str());
      return {verdict::temporary, std::string("cannot start sendmail: ") + std::strerror(fork_errno), true};
    }
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    return read_receipt(f);
  }

 private:
  std::string program_;
  std::string receipts_;
};

}  // namespace

std::unique_ptr<transport> make_sendmail_transport(const config::config& cfg, const std::string& outbox_root) {
  return std::make_unique<sendmail_transport>(cfg.transport.sendmail, receipts_dir(outbox_root));
}

recovery recover_sendmail(const std::string& outbox_root, const std::string& name) {
  attempt_files f(receipts_dir(outbox_root), name);
  if (fs::exists(f.receipt)) return {recovery::action::settle, read_receipt(f)};
  int fd = ::open(f.lock.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return {recovery::action::resend, {}};  // the runner died before starting sendmail
  bool busy = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  if (busy)
    return {recovery::action::in_progress, {verdict::temporary, "sendmail started by an earlier runner is still running", false}};
  if (fs::exists(f.receipt)) return {recovery::action::settle, read_receipt(f)};  // it just finished
  return {recovery::action::settle,
          {verdict::uncertain, "the sendmail helper of an earlier runner died without a receipt: sendmail may have queued the mail", false}};
}

void forget_attempt(const std::string& outbox_root, const std::string& name) {
  attempt_files f(receipts_dir(outbox_root), name);
  for (const auto* p : {&f.receipt, &f.output, &f.lock}) ::unlink(p->c_str());
}

}  // namespace vmt::transport::detail
