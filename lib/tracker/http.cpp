// http.cpp: the shared HTTP client over libcurl (see http.h).
#include "tracker/http.h"

#include <curl/curl.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>

#include "core/text.h"

namespace vmt::http {

namespace {

// libcurl wants one global initialisation per process, before any thread uses it.
void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* out = static_cast<response*>(user);
  std::string line(data, size * n);
  // A new status line (after a 100 Continue or a redirect) starts a new header set.
  if (line.rfind("HTTP/", 0) == 0) out->headers.clear();
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    auto value = line.substr(colon + 1);
    auto b = value.find_first_not_of(" \t");
    auto e = value.find_last_not_of(" \t\r\n");
    out->headers[text::lower(line.substr(0, colon))] = b == std::string::npos ? std::string() : value.substr(b, e - b + 1);
  }
  return size * n;
}

bool is_secret(const request& r, const std::string& name) {
  for (const auto& s : r.secret_headers)
    if (text::lower(s) == text::lower(name)) return true;
  return false;
}

// One value as dry-run prints it: long text is cut, so that a report body does not scroll past.
std::string preview(const std::string& v) {
  if (v.size() <= 160) return v;
  return v.substr(0, 120) + "... (" + std::to_string(v.size()) + " bytes)";
}

std::string describe(const request& r) {
  std::string out = r.method + " " + r.url + "\n";
  for (const auto& [k, v] : r.headers) out += "    " + k + ": " + (is_secret(r, k) ? "<redacted>" : v) + "\n";
  if (!r.parts.empty()) {
    for (const auto& p : r.parts)
      out += "    part " + p.name + (p.filename.empty() ? "" : " (file " + p.filename + ")") + " = " +
             (p.filename.empty() ? preview(p.value) : std::to_string(p.value.size()) + " bytes") + "\n";
  } else if (!r.body.empty()) {
    bool form = false;
    for (const auto& [k, v] : r.headers)
      if (text::lower(k) == "content-type" && v.find("x-www-form-urlencoded") != std::string::npos) form = true;
    if (form) {
      for (const auto& [k, v] : form_decode(r.body)) out += "    " + k + " = " + preview(v) + "\n";
    } else {
      out += "    " + preview(r.body) + "\n";
    }
  }
  return out;
}

// What dry-run answers in place of the server: factories "create" an object named dry-run.
response synthesize(const request& r) {
  response s;
  s.dry_run = true;
  auto base = r.url.substr(0, r.url.find('?'));
  if (r.method == "GET") {
    s.status = 200;
    s.body = "{}";
  } else if (r.method == "POST") {
    s.status = 201;
    s.headers["location"] = base + (base.ends_with("/") ? "" : "/") + std::string(dry_run_id);
    s.body = "{}";
  } else if (r.method == "PATCH") {
    s.status = 209;
    s.body = r.body.empty() ? "{}" : r.body;
  } else if (r.method == "DELETE") {
    s.status = 204;
  } else {
    s.status = 200;
    s.body = r.body.empty() ? "{}" : r.body;
  }
  return s;
}

bool retry_status(long s) { return s == 429 || s == 500 || s == 502 || s == 503 || s == 504; }

}  // namespace

std::string response::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

client::client(options o) : opts_(std::move(o)) {
  global_init();
  if (!opts_.print) opts_.print = [](const std::string& s) { std::fputs(s.c_str(), stdout); };
}

result<response> client::send(const request& r) {
  const bool write = r.method != "GET" && r.method != "HEAD";
  if (opts_.dry_run && (write || r.url.find(dry_run_id) != std::string::npos)) {
    trail_.push_back(r.method + " " + r.url);
    opts_.print("dry-run: would send " + describe(r));
    return synthesize(r);
  }
  int attempt = 0;
  for (;;) {
    trail_.push_back(r.method + " " + r.url);
    auto got = perform(r);
    bool again = false;
    int wait_ms = opts_.backoff_ms << std::min(attempt, 10);
    if (!got) {
      // Refused or unresolved: nothing reached the server, so even a factory may be resent.
      again = refused_ || r.idempotent;
    } else if (retry_status(got->status) && r.idempotent) {
      again = true;
      auto ra = got->header("retry-after");
      if (!ra.empty() && ra.find_first_not_of("0123456789") == std::string::npos)
        wait_ms = std::max(wait_ms, std::min(60, std::stoi(ra)) * 1000);
    }
    if (!again || attempt >= opts_.retries) return got;
    ++attempt;
    spdlog::warn("{} {}: {}; retry {} of {} in {} ms", r.method, r.url,
                 got ? "HTTP " + std::to_string(got->status) : got.err().what, attempt, opts_.retries, wait_ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
  }
}

result<response> client::perform(const request& r) {
  std::unique_ptr<CURL, void (*)(CURL*)> h(curl_easy_init(), curl_easy_cleanup);
  if (!h) return make_error(failure::os, "libcurl", "cannot create a handle");
  response out;
  curl_slist* hdrs = nullptr;
  for (const auto& [k, v] : r.headers) hdrs = curl_slist_append(hdrs, (k + ": " + v).c_str());
  // libcurl would send "Expect: 100-continue" for large bodies; some servers stall on it.
  hdrs = curl_slist_append(hdrs, "Expect:");
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> hold(hdrs, curl_slist_free_all);
  curl_mime* mime = nullptr;
  CURL* c = h.get();
  curl_easy_setopt(c, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(c, CURLOPT_USERAGENT, opts_.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(opts_.timeout_s));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min(opts_.timeout_s, 30)));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  // Redirects are not followed: a 301/303 is read by the caller (Launchpad moves tasks with 301).
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &out);
  if (!r.parts.empty()) {
    mime = curl_mime_init(c);
    for (const auto& p : r.parts) {
      auto* f = curl_mime_addpart(mime);
      curl_mime_name(f, p.name.c_str());
      curl_mime_data(f, p.value.data(), p.value.size());
      if (!p.filename.empty()) curl_mime_filename(f, p.filename.c_str());
      if (!p.content_type.empty()) curl_mime_type(f, p.content_type.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
    if (r.method != "POST") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r.method.c_str());
  } else if (r.method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
  }
  CURLcode rc = curl_easy_perform(c);
  refused_ = rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY;
  if (mime) curl_mime_free(mime);
  if (rc != CURLE_OK) {
    std::string where = r.method + " " + r.url.substr(0, r.url.find('?'));
    std::string what = std::string("no answer: ") + curl_easy_strerror(rc);
    switch (rc) {
      case CURLE_PEER_FAILED_VERIFICATION:
      case CURLE_SSL_CACERT_BADFILE:
        return make_error(failure::unavailable, where, what,
                          "the server's TLS certificate is not trusted: check the api_root host and the CA store");
      default:
        return make_error(failure::temporary, where, what, "the service will be tried again later");
    }
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  return out;
}

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += hex[ch >> 4];
      out += hex[ch & 15];
    }
  }
  return out;
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else if (s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string json_text(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

result<nlohmann::json> json_body(const response& r, const std::string& service, const std::string& what,
                                 const std::string& object) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded()) return make_error(failure::protocol, object, what + ": " + service + " sent a body that is not JSON");
  return j;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) out += (out.empty() ? "" : "&") + url_encode(k) + "=" + url_encode(v);
  return out;
}

std::vector<std::pair<std::string, std::string>> form_decode(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!s.empty()) {
    auto amp = s.find('&');
    auto item = s.substr(0, amp);
    auto eq = item.find('=');
    if (!item.empty())
      out.emplace_back(url_decode(item.substr(0, eq)), eq == std::string_view::npos ? "" : url_decode(item.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    s.remove_prefix(amp + 1);
  }
  return out;
}

std::string short_text(std::string_view body, std::size_t max) {
  std::string out;
  for (char c : body) {
    if (c == '\r') continue;
    out += (c == '\n' || c == '\t') ? ' ' : c;
    if (out.size() >= max) {
      out += "...";
      break;
    }
  }
  auto e = out.find_last_not_of(' ');
  return e == std::string::npos ? std::string() : out.substr(0, e + 1);
}

error classify(const response& r, const std::string& what, const advice& a) {
  std::string said = short_text(r.body);
  std::string text = what + ": " + a.service + " answered HTTP " + std::to_string(r.status) +
                     (said.empty() ? "" : " (" + said + ")");
  switch (r.status) {
    case 401:
    case 403:
      return make_error(failure::permission, a.object, text, a.on_auth);
    case 404:
      return make_error(failure::data, a.object, text, a.on_missing);
    case 409:
    case 412:
      return make_error(failure::temporary, a.object, text, "someone changed it meanwhile; run the command again");
    case 429:
      return make_error(failure::temporary, a.object, text, "rate limited; it will be tried again later");
    case 400:
    case 405:
    case 422:
      return make_error(failure::data, a.object, text, "the request was refused as invalid; see the message");
    default:
      if (r.status >= 500 && r.status < 600) {
        auto oops = r.header("x-lazr-oopsid");
        return make_error(failure::temporary, a.object, text + (oops.empty() ? "" : " [OOPS " + oops + "]"),
                          a.service + " is failing; the step will be tried again later");
      }
      return make_error(failure::protocol, a.object, text, "unexpected answer; please report it with the message above");
  }
}

}  // namespace vmt::http
