// db.cpp: SQLite handle (see db.h).
#include "store/db.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/schema.h"

namespace vmt::store {

stmt::stmt(stmt&& o) noexcept : db_(o.db_), s_(o.s_), bind_error_(o.bind_error_) { o.s_ = nullptr; }
stmt& stmt::operator=(stmt&& o) noexcept {
  if (this != &o) {
    if (s_) sqlite3_finalize(s_);
    db_ = o.db_;
    s_ = o.s_;
    bind_error_ = o.bind_error_;
    o.s_ = nullptr;
  }
  return *this;
}
stmt::~stmt() {
  if (s_) sqlite3_finalize(s_);
}

stmt& stmt::bind(int i, std::int64_t v) {
  if (int rc = sqlite3_bind_int64(s_, i, v); rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}
stmt& stmt::bind(int i, std::string_view v) {
  if (int rc = sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8); rc != SQLITE_OK)
    bind_error_ = rc;
  return *this;
}
stmt& stmt::bind_blob(int i, std::string_view v) {
  if (int rc = sqlite3_bind_blob64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT); rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}
stmt& stmt::bind_null(int i) {
  if (int rc = sqlite3_bind_null(s_, i); rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}

result<bool> stmt::step() {
  if (bind_error_) return make_error(failure::software, db_->path(), std::string("bind: ") + sqlite3_errstr(bind_error_));
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->last_error("step");
}
status stmt::run() {
  for (;;) {
    auto r = step();
    if (!r) return std::move(r).err();
    if (!*r) return ok_v;
  }
}
void stmt::reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
  bind_error_ = 0;
}
std::int64_t stmt::integer(int col) const { return sqlite3_column_int64(s_, col); }
std::string stmt::text(int col) const {
  auto p = sqlite3_column_blob(s_, col);
  auto n = sqlite3_column_bytes(s_, col);
  return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}
bool stmt::is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

result<std::unique_ptr<db>> db::open(const std::string& path, int busy_timeout_ms,
                                     const std::vector<std::string>* schema) {
  // Create the file ourselves so that it is 0600 from the first byte.
  if (::access(path.c_str(), F_OK) != 0) {
    auto old = ::umask(077);
    sqlite3* probe = nullptr;
    sqlite3_open_v2(path.c_str(), &probe, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    sqlite3_close(probe);
    ::umask(old);
  }
  sqlite3* h = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = h ? sqlite3_errmsg(h) : sqlite3_errstr(rc);
    sqlite3_close(h);
    return make_error(rc == SQLITE_CANTOPEN ? failure::cant_create : failure::temporary, path,
                      "cannot open the store: " + msg, "check that the folder exists and is writable by this user");
  }
  std::unique_ptr<db> d(new db(h, path));
  sqlite3_busy_timeout(h, busy_timeout_ms);
  sqlite3_extended_result_codes(h, 1);
  // WAL lets coordinators read while the filter writes; synchronous=FULL because a filed case
  // must survive a power cut once the filter has said "delivered".
  VMT_TRY_STATUS(d->exec("PRAGMA journal_mode=WAL"));
  VMT_TRY_STATUS(d->exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
  VMT_TRY_STATUS(d->migrate(schema ? *schema : migrations()));
  for (const char* suffix : {"-wal", "-shm"}) ::chmod((path + suffix).c_str(), 0600);
  return d;
}

result<std::unique_ptr<db>> db::open_memory(const std::vector<std::string>* schema) {
  sqlite3* h = nullptr;
  if (sqlite3_open(":memory:", &h) != SQLITE_OK) {
    sqlite3_close(h);
    return make_error(failure::os, ":memory:", "cannot open an in-memory store");
  }
  std::unique_ptr<db> d(new db(h, ":memory:"));
  VMT_TRY_STATUS(d->exec("PRAGMA foreign_keys=ON;"));
  VMT_TRY_STATUS(d->migrate(schema ? *schema : migrations()));
  return d;
}

db::~db() { sqlite3_close_v2(h_); }

error db::last_error(std::string_view what) const {
  int rc = sqlite3_extended_errcode(h_);
  int primary = rc & 0xff;
  std::string msg = std::string(what) + ": " + sqlite3_errmsg(h_);
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return make_error(failure::temporary, path_, msg, "another vmt process holds the store; retried later");
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_NOMEM:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
      return make_error(failure::temporary, path_, msg, "check free space and the store's folder; retried later");
    case SQLITE_READONLY:
      return make_error(failure::temporary, path_, msg, "the store is read-only for this user; fix its mode");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return make_error(failure::data, path_, msg, "restore the store from a backup");
    default:
      return make_error(failure::software, path_, msg);
  }
}

result<stmt> db::prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(h_, sql.data(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK)
    return last_error("prepare");
  return stmt(this, s);
}

status db::exec(std::string_view sql) {
  std::string copy(sql);
  char* err = nullptr;
  if (sqlite3_exec(h_, copy.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    sqlite3_free(err);
    return last_error("exec");
  }
  return ok_v;
}

std::int64_t db::last_insert_id() const { return sqlite3_last_insert_rowid(h_); }
int db::changes() const { return sqlite3_changes(h_); }

status db::transaction(const std::function<status()>& body) {
  if (depth_ > 0) {  // nested: part of the outer transaction
    ++depth_;
    auto st = body();
    --depth_;
    return st;
  }
  VMT_TRY_STATUS(exec("BEGIN IMMEDIATE"));
  depth_ = 1;
  auto st = body();
  depth_ = 0;
  if (!st) {
    (void)exec("ROLLBACK");
    return st;
  }
  if (auto c = exec("COMMIT"); !c) {
    (void)exec("ROLLBACK");
    return c;
  }
  return ok_v;
}

status db::migrate(const std::vector<std::string>& steps) {
  // An up-to-date database is opened without taking the write lock: under load (many vmt-ingest
  // at once) that lock is what everybody waits for, and opening is the one step that needs none.
  if (auto q = prepare("SELECT value FROM meta WHERE key = 'schema_version'")) {
    auto has = q->step();
    if (has && *has && q->text(0) == std::to_string(steps.size())) return ok_v;
  }
  VMT_TRY_STATUS(exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"));
  return transaction([&]() -> status {
    VMT_TRY(q, prepare("SELECT value FROM meta WHERE key = 'schema_version'"));
    VMT_TRY(has, q.step());
    int version = has ? static_cast<int>(std::stoi(q.text(0))) : 0;
    if (static_cast<std::size_t>(version) > steps.size())
      return make_error(failure::config, path_,
                        "written by a newer vmt (schema " + std::to_string(version) + ", this one knows " +
                            std::to_string(steps.size()) + ")",
                        "upgrade vmt, or restore a backup made with this version");
    for (std::size_t i = static_cast<std::size_t>(version); i < steps.size(); ++i)
      VMT_TRY_STATUS(exec(steps[i]));
    if (static_cast<std::size_t>(version) != steps.size()) {
      VMT_TRY(u, prepare("INSERT INTO meta(key, value) VALUES('schema_version', ?1) "
                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
      u.bind(1, std::to_string(steps.size()));
      VMT_TRY_STATUS(u.run());
    }
    return ok_v;
  });
}

}  // namespace vmt::store
