// fs.h: crash-safe file operations: write to a temporary name, fsync, rename, fsync the folder.
//
// Everything vmt keeps (spool, outbox, store files, keys) goes through these so that a crash or a
// power cut leaves either the old file or the new one, never half of one. Folders are created 0700
// and files 0600: they hold embargoed vulnerability details.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace vmt::fs {

// Create `dir` and its parents with mode 0700 where missing.
status make_private_dir(const std::string& dir);

// Atomically replace `path` with `data` (mode 0600): tmp in the same folder, fsync, rename, fsync
// folder. A full disk or read-only folder is failure::temporary: the caller can retry later.
status write_file_atomic(const std::string& path, std::string_view data, int mode = 0600);

// Deliver `data` into maildir `dir` (tmp/ then new/) under the unique name `name`, which must not
// contain '/' or ':'. Re-delivering the same name replaces the file with identical content, so a
// retry after a crash does not duplicate it. Returns the final path.
result<std::string> maildir_deliver(const std::string& dir, const std::string& name,
                                    std::string_view data);

// Make `dir` a maildir (cur/ new/ tmp/), mode 0700.
status make_maildir(const std::string& dir);

// Read a whole file, at most `limit` bytes (failure::data beyond).
result<std::string> read_file(const std::string& path, std::size_t limit = 512u << 20);

// Refuse a secrets file (token, password) that others can read or that is not ours:
// failure::permission naming the file and the chmod that fixes it.
status check_private_file(const std::string& path);

bool exists(const std::string& path);

// fsync a folder so that a rename or create inside it is durable.
status sync_dir(const std::string& dir);

// Join two path parts; `b` absolute wins.
std::string join(const std::string& a, const std::string& b);

}  // namespace vmt::fs
