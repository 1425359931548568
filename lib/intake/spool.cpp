// spool.cpp: durable spooling, message identity and locks (see spool.h).
#include "intake/spool.h"

#include <dirent.h>
#include <fcntl.h>
#include <gcrypt.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "core/fs.h"
#include "core/hash.h"
#include "core/text.h"
#include "intake/envelope.h"

namespace vmt::intake {

namespace {

std::string hex(const unsigned char* d, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = digits[d[i] >> 4];
    out[2 * i + 1] = digits[d[i] & 15];
  }
  return out;
}

error spool_error(const std::string& where, const char* op, int err) {
  // Whatever stops us spooling is passing from the MTA's point of view: it keeps the message and
  // retries, which is exactly what must happen (never a bounce).
  return make_error(failure::temporary, where, std::string(op) + " failed: " + std::strerror(err),
                    "check free space and that the spool folder is writable by the vmt user");
}

bool trace_header(std::string_view name) {
  static constexpr std::string_view trace[] = {"received", "return-path", "delivered-to", "x-original-to",
                                               "x-envelope-to", "x-envelope-from", "x-delivered-to"};
  for (auto t : trace) {
    if (name.size() != t.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < t.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(name[i])) == t[i];
    if (same) return true;
  }
  return false;
}

constexpr std::string_view incoming_prefix = ".incoming.";

// A delivery killed while spooling (the MTA's timeout, a reboot) leaves its ".incoming.PID.N" file
// behind; the MTA still has the message and delivers it again, so the file is only litter, and
// it may hold report text. Removed once its writer is gone (or after a day, if the PID was reused).
void sweep_abandoned(const std::string& spool_dir) {
  DIR* d = ::opendir(spool_dir.c_str());
  if (!d) return;
  const auto now = std::chrono::system_clock::now();
  while (const dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name.substr(0, incoming_prefix.size()) != incoming_prefix) continue;
    auto rest = name.substr(incoming_prefix.size());
    long pid = std::strtol(std::string(rest.substr(0, rest.find('.'))).c_str(), nullptr, 10);
    const std::string path = spool_dir + "/" + std::string(name);
    bool writer_gone = pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
    struct stat st {};
    bool old = ::stat(path.c_str(), &st) == 0 &&
               now - std::chrono::system_clock::from_time_t(st.st_mtime) > std::chrono::hours(24);
    if (writer_gone || old) ::unlink(path.c_str());
  }
  ::closedir(d);
}

}  // namespace

result<spooled> spool_from_fd(int fd, const std::string& spool_dir, std::size_t keep_limit) {
  VMT_TRY_STATUS(fs::make_private_dir(spool_dir));
  sweep_abandoned(spool_dir);
  std::string tmp = spool_dir + "/" + std::string(incoming_prefix) + std::to_string(::getpid()) + "." +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out < 0) return spool_error(spool_dir, "create", errno);
  hash::sha256_hex("");  // initialises libgcrypt
  gcry_md_hd_t md;
  gcry_md_open(&md, GCRY_MD_SHA256, 0);
  spooled s;
  char buf[1 << 16];
  auto fail = [&](const char* op, int err) {
    int e = err;
    ::close(out);
    ::unlink(tmp.c_str());
    gcry_md_close(md);
    return spool_error(tmp, op, e);
  };
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("read stdin", errno);
    }
    if (n == 0) break;
    gcry_md_write(md, buf, static_cast<std::size_t>(n));
    for (ssize_t off = 0; off < n;) {
      ssize_t w = ::write(out, buf + off, static_cast<std::size_t>(n - off));
      if (w < 0) {
        if (errno == EINTR) continue;
        return fail("write", errno);
      }
      off += w;
    }
    s.size += static_cast<std::size_t>(n);
    if (!s.truncated) {
      if (s.data.size() + static_cast<std::size_t>(n) <= keep_limit) {
        s.data.append(buf, static_cast<std::size_t>(n));
      } else {
        s.truncated = true;
        s.data.clear();
        s.data.shrink_to_fit();
      }
    }
  }
  if (::fsync(out) != 0) return fail("fsync", errno);
  if (::close(out) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    gcry_md_close(md);
    return spool_error(tmp, "close", e);
  }
  s.sha256 = hex(gcry_md_read(md, GCRY_MD_SHA256), 32);
  gcry_md_close(md);
  s.path = spool_dir + "/" + s.sha256 + ".eml";
  if (::rename(tmp.c_str(), s.path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return spool_error(s.path, "rename", e);
  }
  VMT_TRY_STATUS(fs::sync_dir(spool_dir));
  return s;
}

result<spooled> spool_bytes(std::string_view raw, const std::string& spool_dir) {
  VMT_TRY_STATUS(fs::make_private_dir(spool_dir));
  spooled s;
  s.sha256 = hash::sha256_hex(raw);
  s.size = raw.size();
  s.data = std::string(raw);
  s.path = spool_dir + "/" + s.sha256 + ".eml";
  if (!fs::exists(s.path)) {
    auto st = fs::write_file_atomic(s.path, raw);
    if (!st) {
      auto e = std::move(st).err();
      e.kind = failure::temporary;
      return e;
    }
  }
  return s;
}

std::string dedupe_key(std::string_view raw) {
  std::string kept;
  kept.reserve(raw.size());
  std::size_t pos = 0;
  // An mbox separator line is added by local delivery, not by the sender.
  if (raw.substr(0, 5) == "From ") {
    auto eol = raw.find('\n');
    pos = eol == std::string_view::npos ? raw.size() : eol + 1;
  }
  bool skipping = false;
  while (pos < raw.size()) {
    auto eol = raw.find('\n', pos);
    std::size_t end = eol == std::string_view::npos ? raw.size() : eol + 1;
    std::string_view line = raw.substr(pos, end - pos);
    if (line == "\n" || line == "\r\n") break;  // end of the header block
    bool continuation = line[0] == ' ' || line[0] == '\t';
    if (!continuation) {
      auto colon = line.find(':');
      skipping = colon != std::string_view::npos && trace_header(line.substr(0, colon));
    }
    if (!skipping) kept.append(line);
    pos = end;
  }
  kept.append(raw.substr(std::min(pos, raw.size())));
  return hash::sha256_hex(kept);
}

thread_ids read_thread_ids(std::string_view raw) {
  thread_ids out;
  std::string name, value;
  auto take = [&] {
    auto lower = text::lower(name);
    if (lower == "message-id" && out.message_id.empty()) {
      auto ids = detail::msg_ids(value);
      if (!ids.empty()) out.message_id = ids.front();
    } else if (lower == "in-reply-to" && out.in_reply_to.empty()) {
      auto ids = detail::msg_ids(value);
      if (!ids.empty()) out.in_reply_to = ids.front();
    } else if (lower == "references" && out.references.empty()) {
      out.references = detail::msg_ids(value);
    }
    name.clear();
    value.clear();
  };
  std::size_t pos = raw.substr(0, 5) == "From " ? raw.find('\n') : 0;
  if (pos == std::string_view::npos) return out;
  if (pos) ++pos;
  while (pos < raw.size()) {
    auto eol = raw.find('\n', pos);
    std::size_t end = eol == std::string_view::npos ? raw.size() : eol + 1;
    std::string_view line = raw.substr(pos, end - pos);
    pos = end;
    if (line == "\n" || line == "\r\n") break;
    if (line[0] == ' ' || line[0] == '\t') {
      if (!name.empty()) value.append(line);
      continue;
    }
    if (!name.empty()) take();
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    name.assign(line.substr(0, colon));
    value.assign(line.substr(colon + 1));
  }
  if (!name.empty()) take();
  return out;
}

result<lock> lock::acquire(const std::string& spool_dir, const std::string& name, int timeout_ms) {
  auto dir = spool_dir + "/.locks";
  VMT_TRY_STATUS(fs::make_private_dir(dir));
  auto path = dir + "/" + name;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return spool_error(path, "open lock", errno);
    for (;;) {
      if (::flock(fd, LOCK_EX | LOCK_NB) == 0) break;
      if (errno != EWOULDBLOCK && errno != EINTR) {
        int e = errno;
        ::close(fd);
        return spool_error(path, "flock", e);
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        ::close(fd);
        return make_error(failure::temporary, path, "another vmt-ingest is still handling this message",
                          "the MTA retries later");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // The holder we waited for removes the file when it is done: a lock on that removed file
    // excludes nobody, so take the lock again on whatever file the name now holds.
    struct stat held {}, named {};
    if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 && held.st_dev == named.st_dev &&
        held.st_ino == named.st_ino)
      return lock(fd, path);
    ::close(fd);
  }
}

lock::~lock() {
  if (fd_ < 0) return;
  ::unlink(path_.c_str());
  ::close(fd_);
}

}  // namespace vmt::intake
