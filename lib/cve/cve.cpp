// cve.cpp: the CVE Services client, containers from advisories, staged publication (see cve.h).
#include "cve/cve.h"

#include "advisory/advisory.h"
#include "advisory/render.h"

#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include <regex>
#include <sstream>

#include "core/clock.h"
#include "core/fs.h"
#include "tracker/tracker.h"

namespace vmt::cve {

namespace {

using json = nlohmann::json;

const std::regex& cve_re() {
  static const std::regex re("^CVE-[0-9]{4}-[0-9]{4,19}$");
  return re;
}

http::advice advice(const config::config& cfg, const std::string& object) {
  http::advice a;
  a.service = "CVE Services";
  a.object = object;
  a.on_auth = "CVE Services refused the credentials or the operation: check cve.org (" + cfg.cve.org + "), cve.user (" +
              cfg.cve.user + ") and the API key in " + cfg.path(cfg.cve.key_file) +
              "; reserving and publishing need the CNA role for that organisation (your CNA's admin can reset the key)";
  a.on_missing = "CVE Services does not know this id: check it with `GET /cve-id/ID`, or reserve one with `vmt cve reserve`";
  return a;
}

// The error for an answer: CVE Services sends {"error": CODE, "message": ...}; keep both.
error fail(const config::config& cfg, http::response r, const std::string& what, const std::string& object) {
  auto j = json::parse(r.body, nullptr, false);
  if (j.is_object() && j.contains("error")) {
    std::string text = j.value("error", std::string()) + ": " + j.value("message", std::string());
    if (j.contains("details")) text += " " + j["details"].dump();
    r.body = text;
  }
  return http::classify(r, what, advice(cfg, object));
}

result<std::string> read_key(const config::config& cfg) {
  if (cfg.cve.api_root.empty() || cfg.cve.org.empty() || cfg.cve.user.empty() || cfg.cve.key_file.empty())
    return make_error(failure::config, cfg.file + ": cve", "CVE Services is not configured (api_root, org, user, key_file)",
                      "only teams that are a CNA use it; others request CVEs with MITRE's form");
  auto path = cfg.path(cfg.cve.key_file);
  if (!fs::exists(path))
    return make_error(failure::no_input, path, "no CVE Services API key", "write the key to this file, mode 0600");
  VMT_TRY_STATUS(fs::check_private_file(path));
  VMT_TRY(text, fs::read_file(path, 4096));
  auto b = text.find_first_not_of(" \t\r\n"), e = text.find_last_not_of(" \t\r\n");
  if (b == std::string::npos) return make_error(failure::config, path, "the API key file is empty");
  return text.substr(b, e - b + 1);
}

result<http::response> send(const config::config& cfg, http::client& h, http::request r, const std::string& object) {
  VMT_TRY(key, read_key(cfg));
  r.headers.emplace_back("CVE-API-ORG", cfg.cve.org);
  r.headers.emplace_back("CVE-API-USER", cfg.cve.user);
  r.headers.emplace_back("CVE-API-KEY", key);
  r.headers.emplace_back("Accept", "application/json");
  auto got = h.send(r);
  if (!got) {
    auto e = std::move(got).err();
    e.where = object + " (" + e.where + ")";
    return e;
  }
  return got;
}

std::string root(const config::config& cfg) {
  auto r = cfg.cve.api_root;
  while (r.ends_with("/")) r.pop_back();
  return r;
}

}  // namespace

result<std::vector<std::string>> reserve(const config::config& cfg, int year, int amount, http::options o) {
  if (amount < 1 || amount > 10) return make_error(failure::usage, "cve reserve", "amount must be 1 to 10");
  http::client h(std::move(o));
  http::request r;
  r.method = "POST";
  r.url = root(cfg) + "/cve-id?" + http::form_encode({{"amount", std::to_string(amount)},
                                                      {"cve_year", std::to_string(year)},
                                                      {"short_name", cfg.cve.org}});
  if (amount > 1) r.url += "&batch_type=sequential";
  VMT_TRY(resp, send(cfg, h, std::move(r), "reserve " + std::to_string(amount) + " CVE id(s) for " + std::to_string(year)));
  if (resp.dry_run) return std::vector<std::string>{"CVE-" + std::to_string(year) + "-DRYRUN"};
  if (resp.status != 200 && resp.status != 206) return fail(cfg, resp, "reserve CVE ids", "CVE ids " + std::to_string(year));
  auto j = json::parse(resp.body, nullptr, false);
  std::vector<std::string> ids;
  if (j.is_object() && j.contains("cve_ids") && j["cve_ids"].is_array())
    for (const auto& x : j["cve_ids"])
      if (x.contains("cve_id") && x["cve_id"].is_string()) ids.push_back(x["cve_id"].get<std::string>());
  if (ids.empty()) return make_error(failure::protocol, "CVE Services", "the reservation answer names no CVE id");
  if (resp.status == 206) spdlog::warn("CVE Services reserved only {} of {} ids", ids.size(), amount);
  return ids;
}

result<json> container_from_advisory(const config::config& cfg, const std::string& path, const std::string& cve_id) {
  // One reader of advisories (the publication pipeline's, faithful to PyYAML) and one CNA record
  // layout (advisory::renderer::cna): the record sent here is the one the site publishes.
  VMT_TRY(a, advisory::load(path));
  advisory::renderer r(advisory::options_for(cfg));
  auto records = r.cna(a);
  if (records.empty())
    return make_error(failure::data, path + ": vulnerabilities", "names no assigned CVE id",
                      "write the CVE MITRE assigned in vulnerabilities[].cve-id");
  auto it = cve_id.empty() ? records.begin() : records.find(cve_id);
  if (it == records.end())
    return make_error(failure::data, path + ": vulnerabilities", "does not name " + cve_id,
                      "add it to the advisory, or publish the CVE it names");
  json container = it->second["cnaContainer"];
  // CVE Services fills in who provides the record; sending our placeholder would be refused.
  container.erase("providerMetadata");
  return container;
}

status publish(const config::config& cfg, const std::string& cve_id, const json& container, http::options o) {
  if (!std::regex_match(cve_id, cve_re())) return make_error(failure::data, "CVE '" + cve_id + "'", "not a CVE id");
  VMT_TRY_STATUS(validate_container(cfg, container));
  http::client h(std::move(o));
  // Look first: a publication that went through before a crash is not sent again.
  http::request look;
  look.url = root(cfg) + "/cve-id/" + cve_id;
  look.idempotent = true;
  VMT_TRY(state, send(cfg, h, std::move(look), cve_id));
  if (state.status != 200) return fail(cfg, state, "look up " + cve_id, cve_id);
  auto sj = json::parse(state.body, nullptr, false);
  auto st = sj.is_object() ? sj.value("state", std::string()) : std::string();
  if (st == "PUBLISHED") {
    spdlog::info("{} is already published; nothing to send", cve_id);
    return ok_v;
  }
  if (st == "REJECTED")
    return make_error(failure::unavailable, cve_id, "the id is REJECTED", "reserve a new id, or change its state first");
  http::request r;
  r.method = "POST";
  r.url = root(cfg) + "/cve/" + cve_id + "/cna";
  r.body = http::json_text(json{{"cnaContainer", container}});
  r.headers = {{"Content-Type", "application/json"}};
  r.idempotent = true;  // a second POST of the same record is refused (CVE_RECORD_EXISTS) and then updated
  VMT_TRY(resp, send(cfg, h, r, cve_id));
  if (resp.status == 200 || resp.dry_run) return ok_v;
  if (resp.status == 403 && resp.body.find("CVE_RECORD_EXISTS") != std::string::npos) {
    r.method = "PUT";
    VMT_TRY(upd, send(cfg, h, r, cve_id));
    if (upd.status == 200) return ok_v;
    return fail(cfg, upd, "update the record of " + cve_id, cve_id);
  }
  return fail(cfg, resp, "publish the record of " + cve_id, cve_id);
}

status stage_publish(const config::config& cfg, store::store& st, const std::string& case_id, const std::string& cve_id,
                     const json& container, const std::string& at) {
  if (!std::regex_match(cve_id, cve_re())) return make_error(failure::data, "CVE '" + cve_id + "'", "not a CVE id");
  if (!clock::parse_iso_time(at)) return make_error(failure::usage, "--at '" + at + "'", "not an ISO time", "e.g. 2026-05-19T15:00:00Z");
  VMT_TRY_STATUS(validate_container(cfg, container));
  store::staged_action a;
  a.case_id = case_id;
  a.kind = staged_kind;
  a.payload = json{{"cve", cve_id}, {"container", container}}.dump();
  a.not_before = clock::iso_time(*clock::parse_iso_time(at));
  a.created_at = clock::iso_time(clock::now());
  return st.stage(a);
}

status run_staged(const config::config& cfg, store::store& st, const store::staged_action& a) {
  if (a.kind != staged_kind) return make_error(failure::software, "staged action " + std::to_string(a.id), "not a " + std::string(staged_kind));
  const auto now = clock::iso_time(clock::now());
  auto p = json::parse(a.payload, nullptr, false);
  if (!p.is_object() || !p.contains("cve") || !p.contains("container")) {
    VMT_TRY_STATUS(st.finish_action(a.id, "failed", "payload is not {cve, container}", now));
    return make_error(failure::data, "staged action " + std::to_string(a.id), "payload is not {cve, container}");
  }
  const auto cve_id = p["cve"].get<std::string>();
  auto o = tracker::http_options(cfg);
  auto done = publish(cfg, cve_id, p["container"], o);
  if (!done) {
    auto e = done.err();
    // A passing failure leaves the action pending for the next watchdog run; others need a person.
    VMT_TRY_STATUS(st.finish_action(a.id, e.kind == failure::temporary ? "pending" : "failed", e.message(), now));
    return e;
  }
  if (cfg.tracker.dry_run) return ok_v;  // nothing was sent: leave the action pending
  VMT_TRY_STATUS(st.finish_action(a.id, "done", "", now));
  store::event_record ev;
  ev.case_id = a.case_id;
  ev.at = now;
  ev.kind = "cve";
  ev.actor = "vmt";
  ev.summary = "CVE record " + cve_id + " published through CVE Services (staged for " + a.not_before + ")";
  return st.add_event(ev);
}

}  // namespace vmt::cve
