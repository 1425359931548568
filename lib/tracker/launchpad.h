// launchpad.h: the Launchpad backend of the tracker interface, over the `devel` web service API
// with OAuth 1.0 PLAINTEXT signing, and the three-step token exchange behind
// `vmt tracker login launchpad`.
//
// The API facts it relies on, with their sources, are in docs/trackers.md: factories answer 201
// with a Location to GET, field edits are PATCHes with If-Match (209, or 412 when stale), form
// values are JSON-encoded, references are full API URLs, a token without WRITE_PRIVATE gets 404
// for private bugs, linkCVE refuses CVEs Launchpad has not imported yet.
#pragma once

#include <memory>
#include <string>

#include "tracker/http.h"
#include "tracker/tracker.h"

namespace vmt::tracker {

// An OAuth access token as launchpadlib stores it (its credentials file format, so that a token
// made by either tool works with the other).
struct launchpad_credentials {
  std::string consumer_key;
  std::string consumer_secret;  // empty for Launchpad consumers
  std::string token;
  std::string token_secret;
};

// Read the token file, refusing it when others can read it (fs::check_private_file).
result<launchpad_credentials> read_launchpad_credentials(const std::string& path);
// The file text for `c` (launchpadlib's "[1]" section format).
std::string launchpad_credentials_text(const launchpad_credentials& c);
// The Authorization header value for one request: PLAINTEXT signature, fresh nonce and timestamp.
std::string launchpad_oauth_header(const launchpad_credentials& c);

// The three-step token exchange (see docs/trackers.md, "Login").
struct launchpad_request_token {
  std::string token;
  std::string secret;
};
result<launchpad_request_token> launchpad_get_request_token(http::client& h, const std::string& auth_root,
                                                            const std::string& consumer);
std::string launchpad_authorize_url(const std::string& auth_root, const std::string& request_token);
result<launchpad_credentials> launchpad_get_access_token(http::client& h, const std::string& auth_root,
                                                         const std::string& consumer,
                                                         const launchpad_request_token& rt);

// The Launchpad tracker for `cfg.tracker` (kind launchpad), sending with `o`.
result<std::unique_ptr<tracker>> open_launchpad(const config::config& cfg, http::options o);


}  // namespace vmt::tracker
