// http.h: the small HTTP client the remote trackers and CVE Services share, over libcurl.
//
// It sends one request, retries what is safe to retry (connection refused always; timeouts and
// 5xx only for requests marked idempotent) with exponential backoff, and hands back every other
// answer for the caller to read. In dry-run mode writes are printed instead of sent (see
// docs/trackers.md). Secrets in headers are never printed: callers mark them.
//
// Classification of what comes back (status -> failure class) is shared too: classify() below.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/status.h"

namespace vmt::http {

// One part of a multipart/form-data body; a part with a filename is sent as a file.
struct part {
  std::string name;
  std::string value;
  std::string filename;
  std::string content_type;
};

struct request {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::vector<part> parts;      // non-empty: multipart/form-data (body ignored)
  bool idempotent = false;      // safe to resend after a timeout or a 5xx
  std::vector<std::string> secret_headers = {"Authorization", "CVE-API-KEY"};  // redacted when printed
};

struct response {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  bool dry_run = false;  // synthesised, nothing was sent

  std::string header(const std::string& lower_name) const;
};

struct options {
  int timeout_s = 30;
  int retries = 3;
  int backoff_ms = 1000;
  // Print writes instead of sending them; reads still go out unless they name a dry-run object.
  bool dry_run = false;
  std::function<void(const std::string&)> print;  // where dry-run lines go (default stdout)
  std::string user_agent = "vmt";
};

// A synthetic object id that dry-run factories hand back; reads of URLs holding it are not sent.
inline constexpr std::string_view dry_run_id = "dry-run";

class client {
 public:
  explicit client(options o);
  // Send `r`. Transport failures (after retries) are failure::temporary; any HTTP status is a value.
  result<response> send(const request& r);
  // Every request made (method and URL), in order: the tests compare these with the fake's log.
  const std::vector<std::string>& trail() const { return trail_; }
  const options& opts() const { return opts_; }

 private:
  result<response> perform(const request& r);
  options opts_;
  std::vector<std::string> trail_;
  bool refused_ = false;  // the last attempt never reached the server (safe to resend anything)
};

// Percent-encode everything outside RFC 3986's unreserved set.
std::string url_encode(std::string_view s);
std::string url_decode(std::string_view s);
// "a=1&b=2" from pairs, each side percent-encoded.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);
// Parse "a=1&b=2" into pairs (decoded).
std::vector<std::pair<std::string, std::string>> form_decode(std::string_view s);
// JSON text for a request. Bytes that are not UTF-8 (a Latin-1 patch, a stray byte in a title)
// become U+FFFD rather than abort the request halfway through a case's lifecycle; callers that
// take coordinator input check it first (text::first_invalid_utf8) and say where it is wrong.
std::string json_text(const nlohmann::json& j);
// The body of an answer as JSON; a body that is not JSON is a protocol error naming the service.
result<nlohmann::json> json_body(const response& r, const std::string& service, const std::string& what,
                                 const std::string& object);

// What a caller adds to a classified error for one service.
struct advice {
  std::string service;    // "Launchpad", "StoryBoard", "CVE Services"
  std::string object;     // "bug 123" (for messages)
  std::string on_auth;    // fix for 401/403: which permission, how to get it
  std::string on_missing; // fix for 404
};

// The error for a response the caller did not expect: 401/403 -> permission, 404 -> data with the
// token-scope hint, 409/412 -> temporary (the caller re-reads and retries first), 429/5xx ->
// temporary, 400/422 -> data, anything else -> protocol. The server's text is kept short.
error classify(const response& r, const std::string& what, const advice& a);

// The server's error text, shortened to one line of at most `max` characters.
std::string short_text(std::string_view body, std::size_t max = 240);

}  // namespace vmt::http
