// launchpad.cpp: the Launchpad backend (see launchpad.h and docs/trackers.md).
#include "tracker/launchpad.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "core/clock.h"
#include "core/fs.h"

namespace vmt::tracker {

namespace {

using json = nlohmann::json;
using fields = std::vector<std::pair<std::string, std::string>>;

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string last_segment(const std::string& url) {
  auto u = url.substr(0, url.find('?'));
  while (!u.empty() && u.back() == '/') u.pop_back();
  return u.substr(u.rfind('/') + 1);
}

// Form values are JSON-decoded by the server before use (lazr.restful), so text goes JSON-encoded:
// a title "123" or "null" must stay text.
std::string js(const std::string& s) { return http::json_text(json(s)); }

std::string nonce() {
  static std::mt19937_64 rng(std::random_device{}());
  std::ostringstream o;
  o << std::hex << rng() << rng();
  return o.str();
}

// Bug task statuses Launchpad accepts (titles, exact case); searchTasks takes the same.
const std::vector<std::string>& all_statuses() {
  static const std::vector<std::string> s = {"New", "Incomplete", "Opinion", "Invalid", "Won't Fix", "Expired",
                                             "Confirmed", "Triaged", "In Progress", "Deferred", "Fix Committed",
                                             "Fix Released"};
  return s;
}

class launchpad final : public tracker {
 public:
  launchpad(const config::config& cfg, http::options o)
      : http_(std::move(o)),
        api_(cfg.tracker.api_root),
        web_(cfg.tracker.web_root.empty() ? "https://bugs.launchpad.net" : cfg.tracker.web_root),
        token_file_(cfg.path(cfg.tracker.token_file)),
        ossa_(cfg.tracker.ossa_project) {
    if (!api_.ends_with("/")) api_ += "/";
    while (web_.ends_with("/")) web_.pop_back();
  }

  std::string kind() const override { return "launchpad"; }

  result<std::optional<bug_ref>> find_bug_for_case(const std::string& case_id, const std::string& project) override {
    // The tag was set by createBug itself, so a bug we created is always found by it; all
    // statuses, because an unresolved-only search (the default) would miss a closed case.
    std::string url = api_ + http::url_encode(project) + "?" +
                       http::form_encode({{"ws.op", "searchTasks"},
                                          {"tags", http::json_text(json::array({case_tag(case_id)}))},
                                          {"status", http::json_text(json(all_statuses()))},
                                          {"omit_duplicates", "false"}});
    VMT_TRY(entries, collection(url, "search for the bug of " + case_id, case_id));
    std::optional<bug_ref> found;
    long best = 0;
    for (const auto& e : entries) {
      auto id = last_segment(str(e, "bug_link"));
      if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) continue;
      long n = std::stol(id);
      if (found && n >= best) {
        spdlog::warn("case {}: several Launchpad bugs carry tag {}; using the oldest, {}", case_id, case_tag(case_id), best);
        continue;
      }
      best = n;
      found = bug_ref{id, web_ + "/bugs/" + id};
    }
    return found;
  }

  result<bug_ref> create_bug(const new_bug& b) override {
    if (b.title.empty() || b.title.size() > 200)
      return make_error(failure::data, "tracker: title", "must be 1 to 200 characters");
    if (b.description.empty() || b.description.size() > 50000)
      return make_error(failure::data, "tracker: description", "must be 1 to 50000 characters");
    fields f = {{"ws.op", "createBug"},
                {"target", js(api_ + b.project)},
                {"title", js(b.title)},
                {"description", js(b.description)},
                {"information_type", b.information_type}};
    if (!b.case_id.empty()) f.emplace_back("tags", http::json_text(json::array({case_tag(b.case_id)})));
    // Not resent on a timeout: the bug may exist; the next run finds it by its tag instead.
    VMT_TRY(r, send(form("POST", api_ + "bugs", f, false), "create the bug of " + b.case_id, "project " + b.project));
    if (r.status != 201) return fail(r, "create the bug of " + b.case_id, "project " + b.project);
    auto location = r.header("location");
    auto id = last_segment(location);
    if (r.dry_run) id = std::string(http::dry_run_id);
    if (id.empty()) return make_error(failure::protocol, "Launchpad createBug", "201 without a Location header");
    bug_ref ref{id, web_ + "/bugs/" + id};
    // Read it back as lazr.restfulclient does. A 404 here means the token cannot see private
    // bugs; the bug exists all the same, so it is returned (and recorded) rather than created
    // again at the next try; the next step reports the token scope.
    auto got = get_json(location, "read the new bug " + id, "bug " + id);
    if (got && !str(*got, "web_link").empty()) ref.url = str(*got, "web_link");
    if (!got) spdlog::error("{}", got.err().message());
    return ref;
  }

  result<bug_state> get_bug(const std::string& id) override {
    VMT_TRY(b, bug(id));
    bug_state s;
    s.ref = bug_ref{id, str(b, "web_link").empty() ? web_ + "/bugs/" + id : str(b, "web_link")};
    s.title = str(b, "title");
    s.description = str(b, "description");
    s.information_type = str(b, "information_type");
    s.owner = last_segment(str(b, "owner_link"));
    if (!s.owner.empty() && s.owner[0] == '~') s.owner = s.owner.substr(1);
    if (b.contains("tags") && b["tags"].is_array())
      for (const auto& t : b["tags"])
        if (t.is_string()) s.tags.push_back(t.get<std::string>());
    const std::string what = "read bug " + id;
    VMT_TRY(tasks, collection(link(b, "bug_tasks_collection_link", id, "bug_tasks"), what, "bug " + id));
    for (const auto& t : tasks) s.tasks.emplace_back(task_target(t), str(t, "status"));
    VMT_TRY(subs, collection(link(b, "subscriptions_collection_link", id, "subscriptions"), what, "bug " + id));
    for (const auto& x : subs) {
      auto who = last_segment(str(x, "person_link"));
      if (!who.empty() && who[0] == '~') who = who.substr(1);
      if (!who.empty()) s.subscribers.push_back(who);
    }
    VMT_TRY(cves, collection(link(b, "cves_collection_link", id, "cves"), what, "bug " + id));
    for (const auto& c : cves) s.cves.push_back(str(c, "display_name"));
    VMT_TRY(msgs, collection(link(b, "messages_collection_link", id, "messages"), what, "bug " + id));
    // Message 0 is the description; the comments follow.
    for (std::size_t i = 1; i < msgs.size(); ++i) s.comments.push_back(str(msgs[i], "content"));
    VMT_TRY(atts, collection(link(b, "attachments_collection_link", id, "attachments"), what, "bug " + id));
    for (const auto& a : atts) s.attachments.push_back(str(a, "title"));
    return s;
  }

  status set_title(const std::string& id, const std::string& title) override {
    if (title.empty() || title.size() > 200) return make_error(failure::data, "tracker: title", "must be 1 to 200 characters");
    return patch_bug(id, "title", title);
  }
  status set_description(const std::string& id, const std::string& d) override {
    if (d.empty() || d.size() > 50000) return make_error(failure::data, "tracker: description", "must be 1 to 50000 characters");
    return patch_bug(id, "description", d);
  }
  status set_tags(const std::string& id, const std::vector<std::string>& tags) override {
    return patch_bug(id, "tags", json(tags));
  }

  status set_information_type(const std::string& id, const std::string& type) override {
    VMT_TRY(b, bug(id));
    if (str(b, "information_type") == type) return ok_v;
    // devel only: 1.0 has no such operation; PATCH cannot set information_type (read-only field).
    VMT_TRY(r, send(form("POST", self(b, id), {{"ws.op", "transitionToInformationType"}, {"information_type", type}}, true),
                    "make bug " + id + " " + type, "bug " + id));
    if (r.status != 200 && !r.dry_run) return fail(r, "make bug " + id + " " + type, "bug " + id);
    return ok_v;
  }

  status ensure_task(const std::string& id, const std::string& project, const std::string& st) override {
    VMT_TRY(b, bug(id));
    VMT_TRY(task, find_task(b, id, project));
    if (!task) {
      // addTask cannot set a status: the task starts as New and is PATCHed below.
      VMT_TRY(r, send(form("POST", self(b, id), {{"ws.op", "addTask"}, {"target", js(api_ + project)}}, false),
                      "add a " + project + " task to bug " + id, "bug " + id));
      if (r.status == 400 && r.body.find("already been requested") != std::string::npos) {
        VMT_TRY(again, find_task(b, id, project));  // someone added it meanwhile
        task = again;
      } else if (r.status != 201) {
        return fail(r, "add a " + project + " task to bug " + id, "bug " + id);
      } else {
        auto got = get_json(r.header("location"), "read the new " + project + " task of bug " + id, "bug " + id);
        if (!got) return std::move(got).err();
        task = *got;
        if (r.dry_run) (*task)["status"] = "New";
      }
      if (!task) return make_error(failure::protocol, "bug " + id, "Launchpad reported the task as existing but lists none");
    }
    return patch_task(id, project, *task, st);
  }

  status set_task_status(const std::string& id, const std::string& project, const std::string& st) override {
    VMT_TRY(b, bug(id));
    VMT_TRY(task, find_task(b, id, project));
    if (!task)
      return make_error(failure::data, "bug " + id, "has no task on " + project,
                        "add it first (vmt set-project, or the reception adds the " + ossa_ + " task)");
    return patch_task(id, project, *task, st);
  }

  status subscribe(const std::string& id, const std::string& who) override {
    // Bug.subscribe returns the existing subscription unchanged, so a repeat is harmless.
    VMT_TRY(r, send(form("POST", api_ + "bugs/" + id, {{"ws.op", "subscribe"}, {"person", js(api_ + "~" + who)}}, true),
                    "subscribe " + who + " to bug " + id, "bug " + id));
    if (r.status == 400 && r.body.find("No such object") != std::string::npos)
      return make_error(failure::data, "bug " + id, "Launchpad has no person or team named '" + who + "'",
                        "fix security_team (or the name given) in the configuration");
    if (r.status == 400 && r.body.find("Open and delegated teams") != std::string::npos)
      return make_error(failure::unavailable, "bug " + id, "Launchpad refuses to subscribe the open team '" + who +
                        "' to a private bug", "make the team restricted or moderated, or subscribe its members");
    if (r.status != 200 && !r.dry_run) return fail(r, "subscribe " + who + " to bug " + id, "bug " + id);
    return ok_v;
  }

  status comment(const std::string& id, const std::string& key, const std::string& text) override {
    VMT_TRY(b, bug(id));
    VMT_TRY(msgs, collection(link(b, "messages_collection_link", id, "messages"), "read the comments of bug " + id,
                             "bug " + id));
    for (std::size_t i = 1; i < msgs.size(); ++i)
      if (str(msgs[i], "content") == text) return ok_v;  // posted before (a retried step)
    VMT_TRY(r, send(form("POST", self(b, id), {{"ws.op", "newMessage"}, {"content", js(text)}}, false),
                    "comment on bug " + id + " (" + key + ")", "bug " + id));
    if (r.status != 201) return fail(r, "comment on bug " + id, "bug " + id);
    return ok_v;
  }

  status attach(const std::string& id, const std::string& filename, const std::string& data, bool is_patch,
                const std::string& comment_text) override {
    if (filename.empty() || filename.find('/') != std::string::npos)
      return make_error(failure::data, "tracker: filename", "cannot be empty or contain slashes");
    VMT_TRY(b, bug(id));
    VMT_TRY(atts, collection(link(b, "attachments_collection_link", id, "attachments"),
                             "read the attachments of bug " + id, "bug " + id));
    for (const auto& a : atts)
      if (str(a, "title") == filename) return ok_v;
    http::request r;
    r.method = "POST";
    r.url = self(b, id);
    // The only multipart operation: `data` must be a file part, the server reads it raw.
    r.parts = {{"ws.op", "addAttachment", "", ""},
               {"data", data, filename, "application/octet-stream"},
               {"comment", js(comment_text.empty() ? "Attached " + filename : comment_text), "", ""},
               {"filename", js(filename), "", ""},
               {"description", js(filename), "", ""},
               {"is_patch", is_patch ? "true" : "false", "", ""}};
    VMT_TRY(resp, send(std::move(r), "attach " + filename + " to bug " + id, "bug " + id));
    if (resp.status != 201) return fail(resp, "attach " + filename + " to bug " + id, "bug " + id);
    return ok_v;
  }

  status link_cve(const std::string& id, const std::string& cve) override {
    if (cve.rfind("CVE-", 0) != 0 || cve.size() < 13)
      return make_error(failure::data, "CVE '" + cve + "'", "not a CVE id", "write CVE-YYYY-NNNN");
    VMT_TRY(b, bug(id));
    VMT_TRY(linked, collection(link(b, "cves_collection_link", id, "cves"), "read the CVEs of bug " + id, "bug " + id));
    for (const auto& c : linked)
      if (str(c, "display_name") == cve) return ok_v;
    VMT_TRY(r, send(form("POST", self(b, id), {{"ws.op", "linkCVE"}, {"cve", js(api_ + "bugs/cve/" + cve.substr(4))}}, true),
                    "link " + cve + " to bug " + id, "bug " + id));
    if (r.status == 200 || r.dry_run) return ok_v;
    if (r.status == 400 && r.body.find("No such object") != std::string::npos) {
      // Launchpad only knows CVEs its periodic import has seen, and has no API to add one. A
      // comment naming the CVE makes it create a placeholder and link it (Bug.findCvesInText).
      spdlog::info("bug {}: Launchpad does not know {} yet; linking it through a comment", id, cve);
      return comment(id, "cve:" + cve, cve + " has been assigned to this issue.");
    }
    return fail(r, "link " + cve + " to bug " + id, "bug " + id);
  }

  status unlink_cve(const std::string& id, const std::string& cve) override {
    VMT_TRY(b, bug(id));
    VMT_TRY(linked, collection(link(b, "cves_collection_link", id, "cves"), "read the CVEs of bug " + id, "bug " + id));
    bool is_linked = false;
    for (const auto& c : linked) is_linked = is_linked || str(c, "display_name") == cve;
    if (!is_linked) return ok_v;
    VMT_TRY(r, send(form("POST", self(b, id), {{"ws.op", "unlinkCVE"}, {"cve", js(api_ + "bugs/cve/" + cve.substr(4))}}, true),
                    "unlink " + cve + " from bug " + id, "bug " + id));
    if (r.status == 200 || r.dry_run) return ok_v;
    return fail(r, "unlink " + cve + " from bug " + id, "bug " + id);
  }

 private:
  http::advice advice(const std::string& object) const {
    http::advice a;
    a.service = "Launchpad";
    a.object = object;
    a.on_auth = "the token in " + token_file_ +
                " was refused or lacks a permission: it must be authorised at the 'Change Anything' level "
                "(WRITE_PRIVATE), and status changes to Triaged or Won't Fix need the account in the " +
                ossa_ + " project's bug supervisor team; run `vmt tracker login launchpad` for a new token";
    a.on_missing = "Launchpad answers 404 both for a bug that does not exist and for a private bug the token may "
                   "not see: check the bug number, and that the token was authorised at 'Change Anything' "
                   "(WRITE_PRIVATE; a read-only or public-only token cannot see private bugs) for an account that "
                   "can see the bug; `vmt tracker login launchpad` makes a new token";
    return a;
  }

  error fail(const http::response& r, const std::string& what, const std::string& object) const {
    return http::classify(r, what, advice(object));
  }

  // Add authentication and send; loads the token on first use.
  result<http::response> send(http::request r, const std::string& what, const std::string& object) {
    if (!cred_ && !anonymous_) {
      auto c = read_launchpad_credentials(token_file_);
      if (c) {
        cred_ = *c;
      } else if (http_.opts().dry_run && c.err().kind == failure::no_input) {
        anonymous_ = true;  // dry run before login: show the requests anyway
        http_.opts().print("dry-run: no token at " + token_file_ + "; reads are sent anonymously\n");
      } else {
        return std::move(c).err();
      }
    }
    if (cred_) r.headers.emplace_back("Authorization", launchpad_oauth_header(*cred_));
    r.headers.emplace_back("Accept", "application/json");
    auto got = http_.send(r);
    if (!got) {
      auto e = std::move(got).err();
      e.where = object + ": " + what + " (" + e.where + ")";
      return e;
    }
    return got;
  }

  http::request form(const std::string& method, const std::string& url, const fields& f, bool idempotent) const {
    http::request r;
    r.method = method;
    r.url = url;
    r.body = http::form_encode(f);
    r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    r.idempotent = idempotent;
    return r;
  }

  result<json> get_json(const std::string& url, const std::string& what, const std::string& object) {
    http::request r;
    r.url = url;
    r.idempotent = true;
    VMT_TRY(resp, send(std::move(r), what, object));
    if (resp.status != 200) return fail(resp, what, object);
    return http::json_body(resp, "Launchpad", what, object);
  }

  // All entries of a collection, following next_collection_link.
  result<std::vector<json>> collection(std::string url, const std::string& what, const std::string& object) {
    std::vector<json> out;
    for (int page = 0; !url.empty() && page < 100; ++page) {
      VMT_TRY(j, get_json(url, what, object));
      if (j.contains("entries") && j["entries"].is_array())
        for (auto& e : j["entries"]) out.push_back(std::move(e));
      url = str(j, "next_collection_link");
    }
    return out;
  }

  result<json> bug(const std::string& id) {
    if (id != http::dry_run_id && (id.empty() || id.find_first_not_of("0123456789") != std::string::npos))
      return make_error(failure::data, "bug '" + id + "'", "not a Launchpad bug number");
    return get_json(api_ + "bugs/" + id, "read bug " + id, "bug " + id);
  }

  std::string self(const json& b, const std::string& id) const {
    auto s = str(b, "self_link");
    return s.empty() ? api_ + "bugs/" + id : s;
  }
  std::string link(const json& b, const char* key, const std::string& id, const char* tail) const {
    auto s = str(b, key);
    return s.empty() ? api_ + "bugs/" + id + "/" + tail : s;
  }

  static std::string task_target(const json& t) {
    auto name = str(t, "bug_target_name");
    return name.empty() ? last_segment(str(t, "target_link")) : name;
  }

  // The bug's task on `project`, verified by its target (a computed task URL would silently
  // redirect to the default task when there is none).
  result<std::optional<json>> find_task(const json& b, const std::string& id, const std::string& project) {
    VMT_TRY(tasks, collection(link(b, "bug_tasks_collection_link", id, "bug_tasks"), "read the tasks of bug " + id,
                              "bug " + id));
    for (auto& t : tasks)
      if (task_target(t) == project) return std::optional<json>(std::move(t));
    return std::optional<json>{};
  }

  status patch_task(const std::string& id, const std::string& project, json task, const std::string& st) {
    if (std::find(all_statuses().begin(), all_statuses().end(), st) == all_statuses().end())
      return make_error(failure::data, "status '" + st + "'", "not a Launchpad task status", "e.g. Confirmed, Triaged, Won't Fix");
    for (int attempt = 0;; ++attempt) {
      if (str(task, "status") == st) return ok_v;
      auto url = str(task, "self_link").empty() ? api_ + project + "/+bug/" + id : str(task, "self_link");
      VMT_TRY(r, send(patch(url, json{{"status", st}}, str(task, "http_etag")), "set the " + project + " task of bug " + id +
                      " to " + st, "bug " + id));
      if (r.status == 209 || r.status == 200) return ok_v;
      if (r.status == 412 && attempt < 3) {  // changed meanwhile: read again, then decide again
        VMT_TRY(fresh, get_json(url, "read the " + project + " task of bug " + id, "bug " + id));
        task = fresh;
        continue;
      }
      if (r.status == 401 && r.body.find("Bug Supervisor") != std::string::npos)
        return make_error(failure::permission, "bug " + id,
                          "Launchpad refused status " + st + " on the " + project + " task: only the project's bug "
                          "supervisors may set it (" + http::short_text(r.body) + ")",
                          "add the account behind the token to the " + project + " bug supervisor team");
      return fail(r, "set the " + project + " task of bug " + id + " to " + st, "bug " + id);
    }
  }

  // PATCH one field of the bug when it differs, with If-Match; a 412 re-reads and retries.
  status patch_bug(const std::string& id, const std::string& field, const json& value) {
    for (int attempt = 0;; ++attempt) {
      VMT_TRY(b, bug(id));
      if (b.contains(field) && b[field] == value) return ok_v;
      VMT_TRY(r, send(patch(self(b, id), json{{field, value}}, str(b, "http_etag")), "set the " + field + " of bug " + id,
                      "bug " + id));
      if (r.status == 209 || r.status == 200) return ok_v;
      if (r.status == 412 && attempt < 3) continue;
      return fail(r, "set the " + field + " of bug " + id, "bug " + id);
    }
  }

  http::request patch(const std::string& url, const json& body, const std::string& etag) const {
    http::request r;
    r.method = "PATCH";
    r.url = url;
    r.body = http::json_text(body);
    r.headers.emplace_back("Content-Type", "application/json");
    if (!etag.empty()) r.headers.emplace_back("If-Match", etag);
    r.idempotent = true;
    return r;
  }

  http::client http_;
  std::string api_;
  std::string web_;
  std::string token_file_;
  std::string ossa_;
  std::optional<launchpad_credentials> cred_;
  bool anonymous_ = false;
};

// Launchpad's token pages answer "oauth_token=..&oauth_token_secret=.." (or JSON when asked).
std::map<std::string, std::string> token_answer(const std::string& body) {
  std::map<std::string, std::string> out;
  auto j = json::parse(body, nullptr, false);
  if (j.is_object()) {
    for (auto& [k, v] : j.items())
      if (v.is_string()) out[k] = v.get<std::string>();
    return out;
  }
  for (auto& [k, v] : http::form_decode(body)) out[k] = v;
  return out;
}

std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t\r\n");
  auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

}  // namespace

result<launchpad_credentials> read_launchpad_credentials(const std::string& path) {
  if (!fs::exists(path))
    return make_error(failure::no_input, path, "no Launchpad token", "run `vmt tracker login launchpad` to make one");
  VMT_TRY_STATUS(fs::check_private_file(path));
  VMT_TRY(text, fs::read_file(path, 64 * 1024));
  launchpad_credentials c;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    auto k = trim(line.substr(0, eq)), v = trim(line.substr(eq + 1));
    if (k == "consumer_key") c.consumer_key = v;
    else if (k == "consumer_secret") c.consumer_secret = v;
    else if (k == "access_token") c.token = v;
    else if (k == "access_secret") c.token_secret = v;
  }
  if (c.consumer_key.empty() || c.token.empty() || c.token_secret.empty())
    return make_error(failure::config, path, "not a Launchpad token file (consumer_key, access_token, access_secret)",
                      "run `vmt tracker login launchpad` to write it again");
  return c;
}

std::string launchpad_credentials_text(const launchpad_credentials& c) {
  return "[1]\nconsumer_key = " + c.consumer_key + "\nconsumer_secret = " + c.consumer_secret +
         "\naccess_token = " + c.token + "\naccess_secret = " + c.token_secret + "\n";
}

std::string launchpad_oauth_header(const launchpad_credentials& c) {
  auto q = [](const std::string& v) { return "\"" + http::url_encode(v) + "\""; };
  // PLAINTEXT: the signature is "consumer_secret&token_secret", itself percent-encoded here.
  std::string sig = http::url_encode(c.consumer_secret) + "&" + http::url_encode(c.token_secret);
  auto ts = std::chrono::duration_cast<std::chrono::seconds>(clock::now().time_since_epoch()).count();
  return "OAuth realm=\"https://api.launchpad.net/\", oauth_consumer_key=" + q(c.consumer_key) +
         ", oauth_token=" + q(c.token) + ", oauth_signature_method=\"PLAINTEXT\", oauth_signature=" + q(sig) +
         ", oauth_timestamp=\"" + std::to_string(ts) + "\", oauth_nonce=\"" + nonce() + "\", oauth_version=\"1.0\"";
}

result<launchpad_request_token> launchpad_get_request_token(http::client& h, const std::string& auth_root,
                                                            const std::string& consumer) {
  http::request r;
  r.method = "POST";
  r.url = auth_root + "/+request-token";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  r.body = http::form_encode({{"oauth_consumer_key", consumer}, {"oauth_signature_method", "PLAINTEXT"}, {"oauth_signature", "&"}});
  VMT_TRY(resp, h.send(r));
  http::advice a{"Launchpad", "login", "check tracker.consumer in the configuration", ""};
  if (resp.status != 200) return http::classify(resp, "ask for a request token", a);
  auto m = token_answer(resp.body);
  if (m["oauth_token"].empty() || m["oauth_token_secret"].empty())
    return make_error(failure::protocol, auth_root + "/+request-token", "no oauth_token in the answer");
  return launchpad_request_token{m["oauth_token"], m["oauth_token_secret"]};
}

std::string launchpad_authorize_url(const std::string& auth_root, const std::string& request_token) {
  return auth_root + "/+authorize-token?oauth_token=" + http::url_encode(request_token) +
         "&allow_permission=WRITE_PRIVATE";
}

result<launchpad_credentials> launchpad_get_access_token(http::client& h, const std::string& auth_root,
                                                         const std::string& consumer,
                                                         const launchpad_request_token& rt) {
  http::request r;
  r.method = "POST";
  r.url = auth_root + "/+access-token";
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  r.body = http::form_encode({{"oauth_consumer_key", consumer},
                              {"oauth_token", rt.token},
                              {"oauth_signature_method", "PLAINTEXT"},
                              {"oauth_signature", "&" + rt.secret}});
  VMT_TRY(resp, h.send(r));
  http::advice a{"Launchpad", "login",
                 "the request token was not authorised (or was already used): open the printed page, choose "
                 "'Change Anything', then press Enter; or run `vmt tracker login launchpad` again",
                 ""};
  if (resp.status != 200) return http::classify(resp, "exchange the request token", a);
  auto m = token_answer(resp.body);
  if (m["oauth_token"].empty() || m["oauth_token_secret"].empty())
    return make_error(failure::protocol, auth_root + "/+access-token", "no oauth_token in the answer");
  return launchpad_credentials{consumer, "", m["oauth_token"], m["oauth_token_secret"]};
}

result<std::unique_ptr<tracker>> open_launchpad(const config::config& cfg, http::options o) {
  if (cfg.tracker.api_root.empty())
    return make_error(failure::config, cfg.file + ": tracker.api_root", "missing", "e.g. https://api.launchpad.net/devel/");
  if (cfg.tracker.api_root.find("/devel") == std::string::npos)
    spdlog::warn("tracker.api_root {} is not the devel API: transitionToInformationType exists only there",
                 cfg.tracker.api_root);
  return std::unique_ptr<tracker>(new launchpad(cfg, std::move(o)));
}

}  // namespace vmt::tracker
