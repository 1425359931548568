// db.h: a thin, exception-free SQLite handle: open with WAL and a busy timeout, prepared
// statements, immediate transactions, schema migrations.
//
// SQLITE_BUSY past the timeout, a full disk or an I/O error become failure::temporary, so the filter
// exits 75 and the MTA retries; the spool already holds the message.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace vmt::store {

class db;

// A prepared statement; bind by 1-based index, step, read columns by 0-based index.
class stmt {
 public:
  stmt(stmt&&) noexcept;
  stmt& operator=(stmt&&) noexcept;
  ~stmt();

  stmt& bind(int i, std::int64_t v);
  stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  stmt& bind(int i, bool v) { return bind(i, static_cast<std::int64_t>(v)); }
  stmt& bind(int i, std::string_view v);
  stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  stmt& bind_blob(int i, std::string_view v);
  stmt& bind_null(int i);
  stmt& bind_opt(int i, const std::string& v) { return v.empty() ? bind_null(i) : bind(i, v); }

  // true: a row is ready; false: done.
  result<bool> step();
  // Run to completion (for INSERT/UPDATE).
  status run();
  void reset();

  std::int64_t integer(int col) const;
  std::string text(int col) const;
  bool is_null(int col) const;

 private:
  friend class db;
  stmt(db* owner, sqlite3_stmt* s) : db_(owner), s_(s) {}
  db* db_;
  sqlite3_stmt* s_;
  int bind_error_ = 0;
};

class db {
 public:
  // Open (and create, mode 0600) the database at `path`; applies the pending steps of `schema`
  // (default: the store's own, see schema.h; the local tracker has its own).
  static result<std::unique_ptr<db>> open(const std::string& path, int busy_timeout_ms,
                                          const std::vector<std::string>* schema = nullptr);
  // A private in-memory database (tests, fuzzers).
  static result<std::unique_ptr<db>> open_memory(const std::vector<std::string>* schema = nullptr);
  ~db();

  result<stmt> prepare(std::string_view sql);
  status exec(std::string_view sql);
  std::int64_t last_insert_id() const;
  int changes() const;

  // Run `body` inside BEGIN IMMEDIATE ... COMMIT; ROLLBACK when it returns an error.
  status transaction(const std::function<status()>& body);

  // Map the last SQLite error to an error value (busy/full/ioerr are temporary).
  error last_error(std::string_view what) const;
  const std::string& path() const { return path_; }

 private:
  db(sqlite3* h, std::string path) : h_(h), path_(std::move(path)) {}
  status migrate(const std::vector<std::string>& steps);
  sqlite3* h_;
  std::string path_;
  int depth_ = 0;
};

}  // namespace vmt::store
