// fs.cpp: crash-safe file operations (see fs.h).
#include "core/fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

namespace vmt::fs {

namespace {

// A write error on our own files: ENOSPC/EDQUOT/EROFS/EAGAIN pass, others are our fault.
error io_error(const std::string& where, const char* op, int err) {
  bool passing = err == ENOSPC || err == EDQUOT || err == EROFS || err == EAGAIN || err == EINTR ||
                 err == EMFILE || err == ENFILE || err == ENOMEM || err == EBUSY;
  return make_error(passing ? failure::temporary : failure::io, where,
                    std::string(op) + " failed: " + std::strerror(err),
                    passing ? "free space or fix the mount; the operation is retried"
                            : "check the ownership and mode of the folder");
}

std::string parent_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string random_suffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

status write_all(int fd, std::string_view data, const std::string& where) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error(where, "write", errno);
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return ok_v;
}

}  // namespace

std::string join(const std::string& a, const std::string& b) {
  if (b.empty()) return a;
  if (b.front() == '/' || a.empty()) return b;
  if (a.back() == '/') return a + b;
  return a + "/" + b;
}

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

status make_private_dir(const std::string& dir) {
  if (dir.empty()) return ok_v;
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode))
      return make_error(failure::cant_create, dir, "exists and is not a folder",
                        "remove it or choose another path");
    return ok_v;
  }
  auto parent = parent_of(dir);
  if (parent != dir && parent != "." && parent != "/") VMT_TRY_STATUS(make_private_dir(parent));
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    if (errno == ENOSPC || errno == EROFS) return io_error(dir, "mkdir", errno);
    return make_error(failure::cant_create, dir, std::string("mkdir failed: ") + std::strerror(errno),
                      "check that the parent folder exists and is writable by this user");
  }
  return ok_v;
}

status sync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error(dir, "open folder", errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0 && err != EINVAL) return io_error(dir, "fsync folder", err);
  return ok_v;
}

status write_file_atomic(const std::string& path, std::string_view data, int mode) {
  auto dir = parent_of(path);
  auto tmp = path + ".tmp." + random_suffix();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return io_error(path, "create", errno);
  auto st = write_all(fd, data, path);
  if (st && ::fsync(fd) != 0) st = io_error(path, "fsync", errno);
  if (::close(fd) != 0 && st) st = io_error(path, "close", errno);
  if (st && ::rename(tmp.c_str(), path.c_str()) != 0) st = io_error(path, "rename", errno);
  if (!st) {
    ::unlink(tmp.c_str());
    return st;
  }
  return sync_dir(dir);
}

status make_maildir(const std::string& dir) {
  for (const char* sub : {"", "/tmp", "/new", "/cur"}) VMT_TRY_STATUS(make_private_dir(dir + sub));
  return ok_v;
}

result<std::string> maildir_deliver(const std::string& dir, const std::string& name,
                                    std::string_view data) {
  if (name.empty() || name.find_first_of("/:") != std::string::npos)
    return make_error(failure::software, dir, "invalid maildir name '" + name + "'");
  VMT_TRY_STATUS(make_maildir(dir));
  auto tmp = dir + "/tmp/" + name;
  auto fin = dir + "/new/" + name;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error(tmp, "create", errno);
  auto st = write_all(fd, data, tmp);
  if (st && ::fsync(fd) != 0) st = io_error(tmp, "fsync", errno);
  if (::close(fd) != 0 && st) st = io_error(tmp, "close", errno);
  if (st && ::rename(tmp.c_str(), fin.c_str()) != 0) st = io_error(fin, "rename", errno);
  if (!st) {
    ::unlink(tmp.c_str());
    return std::move(st).err();
  }
  VMT_TRY_STATUS(sync_dir(dir + "/new"));
  return fin;
}

result<std::string> read_file(const std::string& path, std::size_t limit) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return make_error(failure::no_input, path, "no such file", "check the path");
    return io_error(path, "open", errno);
  }
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return io_error(path, "read", err);
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::size_t>(n) > limit) {
      ::close(fd);
      return make_error(failure::data, path,
                        "larger than the limit of " + std::to_string(limit) + " bytes",
                        "check that this is the right file");
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

status check_private_file(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return make_error(failure::config, path, std::string("cannot read: ") + std::strerror(errno),
                      "create it, mode 0600, owned by the user vmt runs as");
  if (st.st_mode & (S_IRWXG | S_IRWXO)) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
    return make_error(failure::permission, path,
                      std::string("holds a secret but has mode ") + mode +
                          " (readable by others)",
                      "run: chmod 600 " + path);
  }
  if (st.st_uid != ::geteuid())
    return make_error(failure::permission, path,
                      "holds a secret but belongs to uid " + std::to_string(st.st_uid) +
                          ", not to this user (uid " + std::to_string(::geteuid()) + ")",
                      "chown it to the user vmt runs as");
  return ok_v;
}

}  // namespace vmt::fs
