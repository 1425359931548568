// storyboard.cpp: the StoryBoard backend (see storyboard.h and docs/trackers.md).
#include "tracker/storyboard.h"

#include <spdlog/spdlog.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/fs.h"
#include "core/text.h"

namespace vmt::tracker {

namespace {

using json = nlohmann::json;

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string num(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return {};
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  return it->is_string() ? it->get<std::string>() : std::string();
}

bool is_private_type(const std::string& t) { return t != "Public" && t != "Public Security"; }

// A file as a story comment: text inline, anything else as a note (StoryBoard has no attachments).
std::string attachment_comment(const std::string& filename, const std::string& data, const std::string& note) {
  // A comment is JSON text: a file that is not UTF-8 (a patch with a Latin-1 author line) would be
  // mangled, so it is kept with the case like a binary one.
  bool text = data.size() <= 60000 && data.find('\0') == std::string::npos &&
              vmt::text::first_invalid_utf8(data) == std::string::npos;
  std::string head = "Attachment: " + filename + " (" + std::to_string(data.size()) + " bytes)";
  if (!note.empty()) head += "\n" + note;
  if (!text) return head + "\n\nStoryBoard cannot hold files: this one is kept with the case; ask the VMT for it.";
  return head + "\n\n```\n" + data + (data.ends_with("\n") ? "" : "\n") + "```";
}

class storyboard final : public tracker {
 public:
  storyboard(const config::config& cfg, http::options o)
      : http_(std::move(o)),
        api_(cfg.tracker.api_root),
        web_(cfg.tracker.web_root.empty() ? "https://storyboard.openstack.org" : cfg.tracker.web_root),
        token_file_(cfg.path(cfg.tracker.token_file)) {
    while (api_.ends_with("/")) api_.pop_back();
    while (web_.ends_with("/")) web_.pop_back();
  }

  std::string kind() const override { return "storyboard"; }

  std::string canonical(const std::string& field, const std::string& value) const override {
    if (field == "status") return launchpad_status(storyboard_status(value));
    if (field == "information_type") return is_private_type(value) ? "Private Security" : "Public Security";
    return value;
  }

  result<std::optional<bug_ref>> find_bug_for_case(const std::string& case_id, const std::string&) override {
    const auto tag = case_tag(case_id);
    VMT_TRY(list, get_json(api_ + "/stories?" + http::form_encode({{"tags", tag}}), "search for the story of " + case_id,
                           case_id));
    std::optional<bug_ref> found;
    long best = 0;
    if (list.is_array())
      for (const auto& s : list) {
        auto id = num(s, "id");
        if (id.empty()) continue;
        long n = std::stol(id);
        if (found && n >= best) continue;
        best = n;
        found = ref(id);
      }
    return found;
  }

  result<bug_ref> create_bug(const new_bug& b) override {
    if (b.title.empty() || b.title.size() > 255)
      return make_error(failure::data, "tracker: title", "must be 1 to 255 characters");
    VMT_TRY(project_id, project(b.project));
    // Without users or teams StoryBoard puts the creator on the private story's list.
    VMT_TRY(s, call("POST", api_ + "/stories",
                    json{{"title", b.title}, {"description", b.description}, {"private", is_private_type(b.information_type)}},
                    false, "create the story of " + b.case_id, "project " + b.project));
    auto id = r_dry_ ? std::string(http::dry_run_id) : num(s, "id");
    if (id.empty()) return make_error(failure::protocol, "StoryBoard POST /stories", "the answer names no story id");
    // The tag right away: it is how a retry finds this story instead of opening another one.
    if (!b.case_id.empty())
      VMT_TRY_STATUS(call_status("PUT", api_ + "/stories/" + id + "/tags", json::array({case_tag(b.case_id)}), true,
                                 "tag story " + id, "story " + id));
    VMT_TRY_STATUS(call_status("POST", api_ + "/stories/" + id + "/tasks",
                               json{{"title", b.project}, {"story_id", as_id(id)}, {"project_id", as_id(project_id)},
                                    {"status", "todo"}},
                               false, "add the " + b.project + " task to story " + id, "story " + id));
    // Follow the story ourselves (notifications); 409 says we already do.
    VMT_TRY(sub, send(body("POST", api_ + "/subscriptions", json{{"target_type", "story"}, {"target_id", as_id(id)}}, true),
                      "subscribe to story " + id, "story " + id));
    if (!ok(sub.status) && sub.status != 409) return fail(sub, "subscribe to story " + id, "story " + id);
    return ref(id);
  }

  result<bug_state> get_bug(const std::string& id) override {
    VMT_TRY(s, story(id));
    bug_state st;
    st.ref = ref(id);
    st.title = str(s, "title");
    st.description = str(s, "description");
    st.information_type = s.value("private", false) ? "Private Security" : "Public Security";
    for (const auto& t : s.value("tags", json::array()))
      if (t.is_string()) st.tags.push_back(t.get<std::string>());
      else if (t.is_object()) st.tags.push_back(str(t, "name"));
    for (const auto& t : s.value("teams", json::array())) st.subscribers.push_back(str(t, "name"));
    for (const auto& u : s.value("users", json::array()))
      st.subscribers.push_back(str(u, "email").empty() ? str(u, "full_name") : str(u, "email"));
    VMT_TRY(tasks, get_json(api_ + "/stories/" + id + "/tasks", "read the tasks of story " + id, "story " + id));
    if (tasks.is_array())
      for (const auto& t : tasks) {
        VMT_TRY(name, project_name(num(t, "project_id")));
        st.tasks.emplace_back(name, launchpad_status(str(t, "status")));
      }
    VMT_TRY(comments, comment_texts(id));
    static const std::regex cve_re("CVE-[0-9]{4}-[0-9]{4,}");
    for (const auto& c : comments) {
      st.comments.push_back(c);
      for (auto it = std::sregex_iterator(c.begin(), c.end(), cve_re); it != std::sregex_iterator(); ++it)
        if (std::find(st.cves.begin(), st.cves.end(), it->str()) == st.cves.end()) st.cves.push_back(it->str());
      if (c.rfind("Attachment: ", 0) == 0) st.attachments.push_back(c.substr(12, c.find(" (") - 12));
    }
    return st;
  }

  status set_title(const std::string& id, const std::string& title) override { return put_field(id, "title", title); }
  status set_description(const std::string& id, const std::string& d) override { return put_field(id, "description", d); }
  status set_information_type(const std::string& id, const std::string& type) override {
    return put_field(id, "private", is_private_type(type));
  }

  status set_tags(const std::string& id, const std::vector<std::string>& tags) override {
    VMT_TRY(s, story(id));
    json add = json::array(), remove = json::array();
    std::vector<std::string> have;
    for (const auto& t : s.value("tags", json::array())) have.push_back(t.is_string() ? t.get<std::string>() : str(t, "name"));
    for (const auto& t : tags)
      if (std::find(have.begin(), have.end(), t) == have.end()) add.push_back(t);
    for (const auto& t : have)
      if (std::find(tags.begin(), tags.end(), t) == tags.end()) remove.push_back(t);
    if (!add.empty()) VMT_TRY_STATUS(call_status("PUT", api_ + "/stories/" + id + "/tags", add, true, "tag story " + id, "story " + id));
    if (!remove.empty())
      VMT_TRY_STATUS(call_status("DELETE", api_ + "/stories/" + id + "/tags", remove, true, "untag story " + id, "story " + id));
    return ok_v;
  }

  status ensure_task(const std::string& id, const std::string& project_name_, const std::string& st) override {
    return task_status(id, project_name_, st, true);
  }
  status set_task_status(const std::string& id, const std::string& project_name_, const std::string& st) override {
    return task_status(id, project_name_, st, false);
  }

  status subscribe(const std::string& id, const std::string& who) override {
    // Access to a private story is its users and teams lists; a PUT replaces both, so read,
    // add, write the union, and check that nobody replaced them meanwhile.
    bool team = true;
    std::string who_id;
    VMT_TRY(teams, get_json(api_ + "/teams?" + http::form_encode({{"name", who}}), "look up team " + who, "team " + who));
    if (teams.is_array())
      for (const auto& t : teams)
        if (str(t, "name") == who) who_id = num(t, "id");
    if (who_id.empty() && who.find('@') != std::string::npos) {
      team = false;
      VMT_TRY(users, get_json(api_ + "/users?" + http::form_encode({{"email", who}}), "look up user " + who, "user " + who));
      if (users.is_array() && !users.empty()) who_id = num(users[0], "id");
    }
    if (who_id.empty() && !http_.opts().dry_run)
      return make_error(failure::data, "story " + id, "StoryBoard has no team (or user with the address) '" + who + "'",
                        "fix security_team (or the name given) in the configuration");
    for (int attempt = 0;; ++attempt) {
      VMT_TRY(s, story(id));
      json users = json::array(), teams_ = json::array();
      bool present = false;
      for (const auto& u : s.value("users", json::array())) {
        users.push_back(json{{"id", u.value("id", json())}});
        present = present || (!team && num(u, "id") == who_id);
      }
      for (const auto& t : s.value("teams", json::array())) {
        teams_.push_back(json{{"id", t.value("id", json())}});
        present = present || (team && num(t, "id") == who_id);
      }
      if (present) return ok_v;
      (team ? teams_ : users).push_back(json{{"id", as_id(who_id)}});
      VMT_TRY(after, call("PUT", api_ + "/stories/" + id, json{{"users", users}, {"teams", teams_}}, true,
                          "give " + who + " access to story " + id, "story " + id));
      if (r_dry_) return ok_v;
      bool now = false;
      for (const auto& x : after.value(team ? "teams" : "users", json::array())) now = now || num(x, "id") == who_id;
      if (now) return ok_v;
      if (attempt >= 3)
        return make_error(failure::temporary, "story " + id, "the access list keeps changing under us",
                          "run the command again");
    }
  }

  status comment(const std::string& id, const std::string& key, const std::string& text) override {
    VMT_TRY(texts, comment_texts(id));
    for (const auto& t : texts)
      if (t == text) return ok_v;  // posted before (a retried step)
    return call_status("POST", api_ + "/stories/" + id + "/comments", json{{"content", text}}, false,
                       "comment on story " + id + " (" + key + ")", "story " + id);
  }

  status attach(const std::string& id, const std::string& filename, const std::string& data, bool,
                const std::string& note) override {
    if (filename.empty() || filename.find('/') != std::string::npos)
      return make_error(failure::data, "tracker: filename", "cannot be empty or contain slashes");
    return comment(id, "attach:" + filename, attachment_comment(filename, data, note));
  }

  status link_cve(const std::string& id, const std::string& cve) override {
    if (cve.rfind("CVE-", 0) != 0 || cve.size() < 13)
      return make_error(failure::data, "CVE '" + cve + "'", "not a CVE id", "write CVE-YYYY-NNNN");
    // No CVE field in StoryBoard: the OSSA process names the CVE in a story comment.
    return comment(id, "cve:" + cve, cve + " has been assigned to this issue.");
  }

  status unlink_cve(const std::string& id, const std::string& cve) override {
    // The CVE was named in a comment; a second comment withdraws it (comments cannot be edited).
    return comment(id, "cve-withdrawn:" + cve, cve + " was named for this issue in error and does not apply to it.");
  }

 private:
  bug_ref ref(const std::string& id) const { return bug_ref{id, web_ + "/#!/story/" + id}; }

  static json as_id(const std::string& id) {
    if (!id.empty() && id.find_first_not_of("0123456789") == std::string::npos) return std::stoll(id);
    return id;
  }
  static bool ok(long s) { return s == 200 || s == 201 || s == 204; }

  http::advice advice(const std::string& object) const {
    http::advice a;
    a.service = "StoryBoard";
    a.object = object;
    a.on_auth = "the StoryBoard token in " + token_file_ +
                " was refused: make a new one on your StoryBoard profile page (Profile, then Tokens) and write it to "
                "that file (mode 0600); changing a private story also needs the account in its users or teams";
    a.on_missing = "StoryBoard answers 404 for a private story the token's user may not see: the account must be in "
                   "the story's users list or one of its teams (or the id is wrong)";
    return a;
  }

  // StoryBoard errors are WSME JSON ({"faultstring": ...}); classify with that text.
  error fail(http::response r, const std::string& what, const std::string& object) const {
    auto j = json::parse(r.body, nullptr, false);
    if (j.is_object() && j.contains("faultstring") && j["faultstring"].is_string()) r.body = j["faultstring"];
    return http::classify(r, what, advice(object));
  }

  result<http::response> send(http::request r, const std::string& what, const std::string& object) {
    if (token_.empty() && !anonymous_) {
      auto t = read_token();
      if (t) {
        token_ = *t;
      } else if (http_.opts().dry_run && t.err().kind == failure::no_input) {
        anonymous_ = true;
      } else {
        return std::move(t).err();
      }
    }
    if (!token_.empty()) r.headers.emplace_back("Authorization", "Bearer " + token_);
    r.headers.emplace_back("Accept", "application/json");
    auto got = http_.send(r);
    if (!got) {
      auto e = std::move(got).err();
      e.where = object + ": " + what + " (" + e.where + ")";
      return e;
    }
    r_dry_ = got->dry_run;
    return got;
  }

  result<std::string> read_token() {
    if (!fs::exists(token_file_))
      return make_error(failure::no_input, token_file_, "no StoryBoard token",
                        "make one on your StoryBoard profile page (Profile, then Tokens) and write it to this file, "
                        "mode 0600");
    VMT_TRY_STATUS(fs::check_private_file(token_file_));
    VMT_TRY(text, fs::read_file(token_file_, 4096));
    auto b = text.find_first_not_of(" \t\r\n");
    auto e = text.find_last_not_of(" \t\r\n");
    if (b == std::string::npos) return make_error(failure::config, token_file_, "the token file is empty");
    return text.substr(b, e - b + 1);
  }

  http::request body(const std::string& method, const std::string& url, const json& j, bool idempotent) const {
    http::request r;
    r.method = method;
    r.url = url;
    r.body = http::json_text(j);
    r.headers.emplace_back("Content-Type", "application/json;charset=UTF-8");
    r.idempotent = idempotent;
    return r;
  }

  result<json> call(const std::string& method, const std::string& url, const json& j, bool idempotent,
                    const std::string& what, const std::string& object) {
    VMT_TRY(r, send(body(method, url, j, idempotent), what, object));
    if (!ok(r.status)) return fail(r, what, object);
    if (r.body.empty()) return json::object();
    return http::json_body(r, "StoryBoard", what, object);
  }
  status call_status(const std::string& method, const std::string& url, const json& j, bool idempotent,
                     const std::string& what, const std::string& object) {
    VMT_TRY(r, call(method, url, j, idempotent, what, object));
    (void)r;
    return ok_v;
  }

  result<json> get_json(const std::string& url, const std::string& what, const std::string& object) {
    http::request r;
    r.url = url;
    r.idempotent = true;
    VMT_TRY(resp, send(std::move(r), what, object));
    if (resp.status != 200) return fail(resp, what, object);
    return http::json_body(resp, "StoryBoard", what, object);
  }

  result<json> story(const std::string& id) {
    if (id != http::dry_run_id && (id.empty() || id.find_first_not_of("0123456789") != std::string::npos))
      return make_error(failure::data, "story '" + id + "'", "not a StoryBoard story number");
    return get_json(api_ + "/stories/" + id, "read story " + id, "story " + id);
  }

  result<std::vector<std::string>> comment_texts(const std::string& id) {
    VMT_TRY(list, get_json(api_ + "/stories/" + id + "/comments", "read the comments of story " + id, "story " + id));
    std::vector<std::string> out;
    if (list.is_array())
      for (const auto& c : list) out.push_back(str(c, "content"));
    return out;
  }

  result<std::string> project(const std::string& name) {
    if (auto it = project_ids_.find(name); it != project_ids_.end()) return it->second;
    VMT_TRY(list, get_json(api_ + "/projects?" + http::form_encode({{"name", name}}), "look up project " + name,
                           "project " + name));
    if (list.is_array())
      for (const auto& p : list)
        if (str(p, "name") == name) {
          project_ids_[name] = num(p, "id");
          project_names_[num(p, "id")] = name;
          return num(p, "id");
        }
    if (http_.opts().dry_run) return std::string("0");
    return make_error(failure::data, "project " + name, "StoryBoard has no project by that name",
                      "use StoryBoard names (e.g. openstack/nova) in projects[].name and tracker.ossa_project");
  }

  result<std::string> project_name(const std::string& pid) {
    if (auto it = project_names_.find(pid); it != project_names_.end()) return it->second;
    VMT_TRY(p, get_json(api_ + "/projects/" + pid, "look up project " + pid, "project " + pid));
    project_names_[pid] = str(p, "name");
    return str(p, "name");
  }

  status task_status(const std::string& id, const std::string& pname, const std::string& st, bool create) {
    const auto want = storyboard_status(st);
    if (want.empty()) return make_error(failure::data, "status '" + st + "'", "has no StoryBoard equivalent");
    VMT_TRY(pid, project(pname));
    VMT_TRY(tasks, get_json(api_ + "/stories/" + id + "/tasks", "read the tasks of story " + id, "story " + id));
    if (tasks.is_array())
      for (const auto& t : tasks)
        if (num(t, "project_id") == pid) {
          if (str(t, "status") == want) return ok_v;
          return call_status("PUT", api_ + "/tasks/" + num(t, "id"), json{{"status", want}}, true,
                             "set the " + pname + " task of story " + id + " to " + want, "story " + id);
        }
    if (!create)
      return make_error(failure::data, "story " + id, "has no task on " + pname, "add it first (vmt set-project)");
    return call_status("POST", api_ + "/stories/" + id + "/tasks",
                       json{{"title", pname}, {"story_id", as_id(id)}, {"project_id", as_id(pid)}, {"status", want}}, false,
                       "add a " + pname + " task to story " + id, "story " + id);
  }

  template <class V>
  status put_field(const std::string& id, const char* field, const V& value) {
    VMT_TRY(s, story(id));
    if (s.contains(field) && s[field] == json(value)) return ok_v;
    return call_status("PUT", api_ + "/stories/" + id, json{{field, value}}, true, std::string("set the ") + field +
                       " of story " + id, "story " + id);
  }

  http::client http_;
  std::string api_;
  std::string web_;
  std::string token_file_;
  std::string token_;
  bool anonymous_ = false;
  bool r_dry_ = false;  // the last answer was synthesised by dry-run
  std::map<std::string, std::string> project_ids_, project_names_;
};

}  // namespace

std::string storyboard_status(const std::string& s) {
  // OSSA process, "OSSA Task status": Launchpad / StoryBoard pairs.
  if (s == "New" || s == "Incomplete") return "todo";
  if (s == "Confirmed" || s == "In Progress") return "inprogress";
  if (s == "Triaged" || s == "Fix Committed") return "review";
  if (s == "Fix Released") return "merged";
  if (s == "Won't Fix" || s == "Invalid" || s == "Opinion" || s == "Expired") return "invalid";
  if (s == "todo" || s == "inprogress" || s == "review" || s == "merged" || s == "invalid") return s;
  return {};
}

std::string launchpad_status(const std::string& s) {
  if (s == "todo") return "Incomplete";
  if (s == "inprogress") return "Confirmed";
  if (s == "review") return "Triaged";
  if (s == "merged") return "Fix Released";
  if (s == "invalid") return "Invalid";
  return s;
}

result<std::unique_ptr<tracker>> open_storyboard(const config::config& cfg, http::options o) {
  if (cfg.tracker.api_root.empty())
    return make_error(failure::config, cfg.file + ": tracker.api_root", "missing",
                      "e.g. https://storyboard.openstack.org/api/v1");
  return std::unique_ptr<tracker>(new storyboard(cfg, std::move(o)));
}

}  // namespace vmt::tracker
