// spool.h: the first thing vmt-ingest does with a message: make it durable. The raw bytes go to
// DIR/spool/<sha256>.eml (tmp, fsync, rename, fsync folder) before anything parses them, so a crash,
// a bug or a full store later can never lose the message.
//
// Also here: the identity of a message for redelivery (the dedupe key) and the per-message lock
// that serialises two copies of the same message delivered at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vmt::intake {

struct spooled {
  std::string path;    // DIR/spool/<sha256>.eml
  std::string sha256;  // of the raw bytes
  std::size_t size = 0;
  std::string data;    // the bytes, when size <= the memory limit
  bool truncated = false;  // larger than the limit: on disk in full, not in `data`
};

// Read all of `fd` into the spool folder, keeping at most `keep_limit` bytes in memory.
result<spooled> spool_from_fd(int fd, const std::string& spool_dir, std::size_t keep_limit);
// Spool bytes already in memory (tests, resume).
result<spooled> spool_bytes(std::string_view raw, const std::string& spool_dir);

// The identity of a message across redeliveries: sha256 of the message without its trace headers
// (Received, Return-Path, Delivered-To, X-Original-To, an mbox "From " line), which each hop or
// delivery path adds differently.
std::string dedupe_key(std::string_view raw);

// Where a message stands in a thread, read from its header block alone (no MIME parsing, no gpg):
// enough for a follow-up delivered at the same moment as its report to find it.
struct thread_ids {
  std::string message_id;               // without angle brackets
  std::string in_reply_to;
  std::vector<std::string> references;  // oldest first
};
thread_ids read_thread_ids(std::string_view raw);

// An exclusive advisory lock (flock) on DIR/spool/.locks/<name>, released when the object dies or
// the process is killed. Waits up to `timeout_ms`; failure::temporary when it cannot get it.
class lock {
 public:
  static result<lock> acquire(const std::string& spool_dir, const std::string& name, int timeout_ms);
  lock(lock&& o) noexcept : fd_(o.fd_), path_(std::move(o.path_)) { o.fd_ = -1; }
  lock& operator=(lock&&) = delete;
  // Removes the lock file while still holding it, so that .locks does not grow by one file per
  // message; a waiter that then gets the lock on the removed file notices and takes a fresh one.
  ~lock();

 private:
  lock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

}  // namespace vmt::intake
