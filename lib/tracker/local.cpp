// local.cpp: the embedded tracker (see local.h).
#include "tracker/local.h"

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "store/db.h"

namespace vmt::tracker {

namespace {

const std::vector<std::string>& local_schema() {
  static const std::vector<std::string> steps = {R"sql(
CREATE TABLE bugs (
  id INTEGER PRIMARY KEY,
  case_ref TEXT UNIQUE,
  project TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  information_type TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE tasks (bug INTEGER NOT NULL REFERENCES bugs(id), project TEXT NOT NULL, status TEXT NOT NULL,
  PRIMARY KEY(bug, project));
CREATE TABLE subscriptions (bug INTEGER NOT NULL REFERENCES bugs(id), who TEXT NOT NULL, at TEXT NOT NULL,
  PRIMARY KEY(bug, who));
CREATE TABLE comments (id INTEGER PRIMARY KEY, bug INTEGER NOT NULL REFERENCES bugs(id), key TEXT NOT NULL,
  content TEXT NOT NULL, at TEXT NOT NULL, UNIQUE(bug, key));
CREATE TABLE attachments (id INTEGER PRIMARY KEY, bug INTEGER NOT NULL REFERENCES bugs(id), filename TEXT NOT NULL,
  is_patch INTEGER NOT NULL, comment TEXT, data BLOB, at TEXT NOT NULL);
CREATE TABLE cves (bug INTEGER NOT NULL REFERENCES bugs(id), cve TEXT NOT NULL, PRIMARY KEY(bug, cve));
)sql"};
  return steps;
}

// Launchpad's own vocabularies: the local tracker refuses what Launchpad would refuse.
bool valid_information_type(const std::string& t) {
  return t == "Public" || t == "Public Security" || t == "Private Security" || t == "Private";
}
bool valid_status(const std::string& s) {
  for (const char* v : {"New", "Incomplete", "Opinion", "Invalid", "Won't Fix", "Expired", "Confirmed", "Triaged",
                        "In Progress", "Deferred", "Fix Committed", "Fix Released"})
    if (s == v) return true;
  return false;
}

class local_tracker final : public tracker {
 public:
  local_tracker(std::unique_ptr<store::db> d, std::string web_root) : db_(std::move(d)), web_root_(std::move(web_root)) {}

  std::string kind() const override { return "local"; }

  result<std::optional<bug_ref>> find_bug_for_case(const std::string& case_id, const std::string&) override {
    VMT_TRY(q, db_->prepare("SELECT id FROM bugs WHERE case_ref = ?1"));
    q.bind(1, case_id);
    VMT_TRY(row, q.step());
    if (!row) return std::optional<bug_ref>{};
    return std::optional<bug_ref>{ref(std::to_string(q.integer(0)))};
  }

  result<bug_ref> create_bug(const new_bug& b) override {
    if (b.title.empty() || b.title.size() > 200)
      return make_error(failure::data, "tracker: title", "must be 1 to 200 characters");
    if (b.description.empty() || b.description.size() > 50000)
      return make_error(failure::data, "tracker: description", "must be 1 to 50000 characters");
    if (!valid_information_type(b.information_type))
      return make_error(failure::data, "tracker: information_type", "unknown type '" + b.information_type + "'");
    std::string id;
    VMT_TRY_STATUS(db_->transaction([&]() -> status {
      VMT_TRY(ins, db_->prepare("INSERT INTO bugs(case_ref, project, title, description, information_type, created_at, "
                                "updated_at) VALUES(?1,?2,?3,?4,?5,?6,?6)"));
      ins.bind_opt(1, b.case_id).bind(2, b.project).bind(3, b.title).bind(4, b.description);
      ins.bind(5, b.information_type).bind(6, now());
      VMT_TRY_STATUS(ins.run());
      id = std::to_string(db_->last_insert_id());
      // As on Launchpad, a new bug has a task on its own project.
      VMT_TRY(task, db_->prepare("INSERT INTO tasks(bug, project, status) VALUES(?1, ?2, 'New')"));
      task.bind(1, static_cast<std::int64_t>(std::stoll(id))).bind(2, b.project);
      return task.run();
    }));
    return ref(id);
  }

  result<bug_state> get_bug(const std::string& id) override {
    VMT_TRY(n, number(id));
    bug_state s;
    s.ref = ref(id);
    VMT_TRY(q, db_->prepare("SELECT title, description, information_type, tags FROM bugs WHERE id = ?1"));
    q.bind(1, n);
    VMT_TRY(row, q.step());
    if (!row) return not_found(id);
    s.title = q.text(0);
    s.description = q.text(1);
    s.information_type = q.text(2);
    auto tags = nlohmann::json::parse(q.text(3), nullptr, false);
    if (tags.is_array())
      for (const auto& t : tags) s.tags.push_back(t.get<std::string>());
    VMT_TRY_STATUS(collect("SELECT who FROM subscriptions WHERE bug = ?1 ORDER BY at, who", n, s.subscribers));
    VMT_TRY_STATUS(collect("SELECT cve FROM cves WHERE bug = ?1 ORDER BY cve", n, s.cves));
    VMT_TRY_STATUS(collect("SELECT content FROM comments WHERE bug = ?1 ORDER BY id", n, s.comments));
    VMT_TRY_STATUS(collect("SELECT filename FROM attachments WHERE bug = ?1 ORDER BY id", n, s.attachments));
    VMT_TRY(t, db_->prepare("SELECT project, status FROM tasks WHERE bug = ?1 ORDER BY rowid"));
    t.bind(1, n);
    for (;;) {
      VMT_TRY(r, t.step());
      if (!r) break;
      s.tasks.emplace_back(t.text(0), t.text(1));
    }
    return s;
  }

  status set_title(const std::string& id, const std::string& title) override {
    if (title.empty() || title.size() > 200) return make_error(failure::data, "tracker: title", "must be 1 to 200 characters");
    return update(id, "title", title);
  }
  status set_description(const std::string& id, const std::string& d) override {
    if (d.empty() || d.size() > 50000)
      return make_error(failure::data, "tracker: description", "must be 1 to 50000 characters");
    return update(id, "description", d);
  }
  status set_information_type(const std::string& id, const std::string& type) override {
    if (!valid_information_type(type))
      return make_error(failure::data, "tracker: information_type", "unknown type '" + type + "'");
    return update(id, "information_type", type);
  }
  status set_tags(const std::string& id, const std::vector<std::string>& tags) override {
    return update(id, "tags", nlohmann::json(tags).dump());
  }

  status ensure_task(const std::string& id, const std::string& project, const std::string& st) override {
    if (!valid_status(st)) return make_error(failure::data, "tracker: status", "unknown status '" + st + "'");
    VMT_TRY(n, existing(id));
    VMT_TRY(q, db_->prepare("INSERT INTO tasks(bug, project, status) VALUES(?1,?2,?3) ON CONFLICT(bug, project) DO NOTHING"));
    q.bind(1, n).bind(2, project).bind(3, st);
    VMT_TRY_STATUS(q.run());
    return set_task_status(id, project, st);
  }

  status set_task_status(const std::string& id, const std::string& project, const std::string& st) override {
    if (!valid_status(st)) return make_error(failure::data, "tracker: status", "unknown status '" + st + "'");
    VMT_TRY(n, existing(id));
    VMT_TRY(q, db_->prepare("UPDATE tasks SET status = ?3 WHERE bug = ?1 AND project = ?2"));
    q.bind(1, n).bind(2, project).bind(3, st);
    VMT_TRY_STATUS(q.run());
    if (db_->changes() == 0)
      return make_error(failure::data, "tracker: bug " + id, "has no task on " + project, "add the task first");
    return touch(n);
  }

  // The local tracker has no accounts: people are subscribed under their address.
  result<std::optional<std::string>> person_for_email(const std::string& email) override {
    return std::optional<std::string>{email};
  }

  status subscribe(const std::string& id, const std::string& who) override {
    VMT_TRY(n, existing(id));
    VMT_TRY(q, db_->prepare("INSERT INTO subscriptions(bug, who, at) VALUES(?1,?2,?3) ON CONFLICT DO NOTHING"));
    q.bind(1, n).bind(2, who).bind(3, now());
    return q.run();
  }

  status comment(const std::string& id, const std::string& key, const std::string& text) override {
    VMT_TRY(n, existing(id));
    VMT_TRY(q, db_->prepare("INSERT INTO comments(bug, key, content, at) VALUES(?1,?2,?3,?4) ON CONFLICT DO NOTHING"));
    q.bind(1, n).bind(2, key).bind(3, text).bind(4, now());
    return q.run();
  }

  status attach(const std::string& id, const std::string& filename, const std::string& data, bool is_patch,
                const std::string& comment_text) override {
    if (filename.find('/') != std::string::npos)
      return make_error(failure::data, "tracker: filename", "cannot contain slashes");
    VMT_TRY(n, existing(id));
    VMT_TRY(dup, db_->prepare("SELECT 1 FROM attachments WHERE bug = ?1 AND filename = ?2 AND data = ?3"));
    dup.bind(1, n).bind(2, filename).bind_blob(3, data);
    VMT_TRY(seen, dup.step());
    if (seen) return ok_v;
    VMT_TRY(q, db_->prepare("INSERT INTO attachments(bug, filename, is_patch, comment, data, at) VALUES(?1,?2,?3,?4,?5,?6)"));
    q.bind(1, n).bind(2, filename).bind(3, is_patch).bind_opt(4, comment_text).bind_blob(5, data).bind(6, now());
    return q.run();
  }

  status link_case(const std::string& id, const std::string& case_id) override {
    VMT_TRY(n, existing(id));
    VMT_TRY(q, db_->prepare("UPDATE bugs SET case_ref = ?2 WHERE id = ?1 AND (case_ref IS NULL OR case_ref = ?2)"));
    q.bind(1, n).bind(2, case_id);
    VMT_TRY_STATUS(q.run());
    if (db_->changes() == 0)
      return make_error(failure::data, "tracker: bug " + id, "already belongs to another case");
    return ok_v;
  }

  status link_cve(const std::string& id, const std::string& cve) override {
    VMT_TRY(n, existing(id));
    VMT_TRY(q, db_->prepare("INSERT INTO cves(bug, cve) VALUES(?1,?2) ON CONFLICT DO NOTHING"));
    q.bind(1, n).bind(2, cve);
    return q.run();
  }

  status unlink_cve(const std::string& id, const std::string& cve) override {
    VMT_TRY(n, existing(id));
    VMT_TRY(q, db_->prepare("DELETE FROM cves WHERE bug = ?1 AND cve = ?2"));
    q.bind(1, n).bind(2, cve);
    return q.run();
  }

 private:
  static std::string now() { return clock::iso_time(clock::now()); }

  bug_ref ref(const std::string& id) const { return bug_ref{id, web_root_ + "/bugs/" + id}; }

  static error not_found(const std::string& id) {
    return make_error(failure::data, "tracker: bug " + id, "no such bug in the local tracker");
  }

  static result<std::int64_t> number(const std::string& id) {
    if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos)
      return make_error(failure::data, "tracker: bug '" + id + "'", "not a bug number");
    return std::stoll(id);
  }

  result<std::int64_t> existing(const std::string& id) {
    VMT_TRY(n, number(id));
    VMT_TRY(q, db_->prepare("SELECT 1 FROM bugs WHERE id = ?1"));
    q.bind(1, n);
    VMT_TRY(row, q.step());
    if (!row) return not_found(id);
    return n;
  }

  status touch(std::int64_t n) {
    VMT_TRY(q, db_->prepare("UPDATE bugs SET updated_at = ?2 WHERE id = ?1"));
    q.bind(1, n).bind(2, now());
    return q.run();
  }

  status update(const std::string& id, const char* column, const std::string& value) {
    VMT_TRY(n, existing(id));
    VMT_TRY(q, db_->prepare(std::string("UPDATE bugs SET ") + column + " = ?2, updated_at = ?3 WHERE id = ?1"));
    q.bind(1, n).bind(2, value).bind(3, now());
    return q.run();
  }

  status collect(const char* sql, std::int64_t n, std::vector<std::string>& out) {
    VMT_TRY(q, db_->prepare(sql));
    q.bind(1, n);
    for (;;) {
      VMT_TRY(r, q.step());
      if (!r) break;
      out.push_back(q.text(0));
    }
    return ok_v;
  }

  std::unique_ptr<store::db> db_;
  std::string web_root_;
};

}  // namespace

result<std::unique_ptr<tracker>> open_local(const std::string& path, int busy_timeout_ms, const std::string& web_root) {
  auto d = store::db::open(path, busy_timeout_ms, &local_schema());
  if (!d) {
    auto e = std::move(d).err();
    // The tracker is a separate service as far as reception is concerned: any failure to reach it
    // is an outage the MTA should retry, not a reason to refuse the mail.
    if (e.kind != failure::config) e.kind = failure::temporary;
    e.where = "local tracker " + e.where;
    return e;
  }
  return std::unique_ptr<tracker>(new local_tracker(std::move(d).value(), web_root));
}

}  // namespace vmt::tracker
