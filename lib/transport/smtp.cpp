// smtp.cpp: SMTP submission through libcurl: smtp:// (STARTTLS required when
// transport.smtp_starttls, never a fall-back to plain text) or smtps://, AUTH with
// transport.smtp_user and the password in transport.smtp_password_file (refused when others can
// read it). The envelope is the store's: MAIL FROM the outbox row's sender, RCPT TO its recipients;
// headers are never consulted. One connection per mail, so that one mail's failure cannot leave the
// next in a half-known session.
//
// Exactly once: the server keeps a message only once it has the final dot. The read callback
// records `end-of-data` in the store before it tells libcurl the data has ended; a runner that dies
// before that point left nothing at the server (resend), one that dies after it may have (uncertain).
#include <curl/curl.h>

#include <cstring>
#include <mutex>

#include "core/fs.h"
#include "core/log.h"
#include "transport/transports.h"

namespace vmt::transport::detail {

namespace {

constexpr long connect_timeout_s = 30;
constexpr long stall_timeout_s = 120;  // no progress for this long: abandon (SMTP servers reply fast)

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct url_parts {
  std::string scheme, host;
};

url_parts parse_url(const std::string& url) {
  url_parts out;
  CURLU* u = curl_url();
  if (u && curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    char* part = nullptr;
    if (curl_url_get(u, CURLUPART_SCHEME, &part, 0) == CURLUE_OK) out.scheme = part;
    curl_free(part);
    part = nullptr;
    if (curl_url_get(u, CURLUPART_HOST, &part, 0) == CURLUE_OK) out.host = part;
    curl_free(part);
  }
  curl_url_cleanup(u);
  return out;
}

bool loopback(const std::string& host) {
  return host == "localhost" || host == "[::1]" || host == "::1" || host.rfind("127.", 0) == 0;
}

// The mail as libcurl reads it: bare LF becomes CRLF (SMTP's line ending; Postfix 3.9 refuses bare
// LF), and the end of the data is recorded before libcurl is told about it.
struct reader {
  std::string_view data;
  std::size_t pos = 0;
  bool prev_cr = false;
  bool pending_lf = false;
  bool past_end = false;
  const job* j = nullptr;

  static size_t read(char* buf, size_t size, size_t nitems, void* self) {
    auto& r = *static_cast<reader*>(self);
    size_t cap = size * nitems, n = 0;
    if (r.pending_lf && cap > 0) {
      buf[n++] = '\n';
      r.pending_lf = false;
    }
    while (n < cap && r.pos < r.data.size()) {
      char c = r.data[r.pos++];
      if (c == '\n' && !r.prev_cr) {
        buf[n++] = '\r';
        if (n < cap) buf[n++] = '\n';
        else r.pending_lf = true;
        r.prev_cr = false;
        continue;
      }
      buf[n++] = c;
      r.prev_cr = c == '\r';
    }
    if (n == 0 && !r.past_end) {
      if (r.j->end_of_data && !r.j->end_of_data()) return CURL_READFUNC_ABORT;
      r.past_end = true;
    }
    return n;
  }
};

// The server's last reply line before QUIT (libcurl reports replies as "header in"): the answer
// to the final dot, or the refusal. Of what we send only the QUIT is looked at (the rest holds the
// AUTH exchange).
struct transcript {
  std::string last_reply;
  bool quitting = false;
};

int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* self) {
  auto& t = *static_cast<transcript*>(self);
  if (type == CURLINFO_HEADER_OUT && size >= 4 && std::memcmp(data, "QUIT", 4) == 0) t.quitting = true;
  if (type != CURLINFO_HEADER_IN || t.quitting) return 0;
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (!line.empty()) t.last_reply = line.substr(0, 400);
  return 0;
}

class smtp_transport final : public transport {
 public:
  smtp_transport(const config::config& cfg, std::string password)
      : url_(cfg.transport.smtp_url),
        user_(cfg.transport.smtp_user),
        password_(std::move(password)),
        ca_file_(cfg.transport.smtp_ca_file.empty() ? std::string() : cfg.path(cfg.transport.smtp_ca_file)),
        starttls_(cfg.transport.smtp_starttls && parse_url(url_).scheme == "smtp") {}
  const char* name() const override { return "smtp"; }

  delivery send(const job& j, std::string_view bytes) override {
    global_init();
    CURL* h = curl_easy_init();
    if (!h) return {verdict::temporary, "libcurl could not start a session", true};
    char errbuf[CURL_ERROR_SIZE] = "";
    transcript tr;
    reader rd;
    rd.data = bytes;
    rd.j = &j;
    curl_slist* rcpt = nullptr;
    for (const auto& r : j.recipients) rcpt = curl_slist_append(rcpt, ("<" + r + ">").c_str());
    auto from = "<" + j.sender + ">";

    curl_easy_setopt(h, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, &reader::read);
    curl_easy_setopt(h, CURLOPT_READDATA, &rd);
    if (starttls_) curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!ca_file_.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, ca_file_.c_str());
    if (!user_.empty()) {
      curl_easy_setopt(h, CURLOPT_USERNAME, user_.c_str());
      curl_easy_setopt(h, CURLOPT_PASSWORD, password_.c_str());
    }
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, connect_timeout_s);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, stall_timeout_s);
    curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);  // feeds on_debug; nothing is printed
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, &on_debug);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, &tr);

    CURLcode rc = curl_easy_perform(h);
    long reply = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);

    std::string msg;
    if (rc == CURLE_OK) {
      msg = tr.last_reply;
    } else {
      msg = errbuf[0] ? errbuf : curl_easy_strerror(rc);
      if (!tr.last_reply.empty() && reply >= 400) msg += " (server: " + tr.last_reply + ")";
      msg = url_ + ": " + msg;
    }
    return classify_smtp(rc, reply, msg, rd.past_end);
  }

 private:
  std::string url_, user_, password_, ca_file_;
  bool starttls_;
};

}  // namespace

result<std::unique_ptr<transport>> make_smtp_transport(const config::config& cfg) {
  const auto& t = cfg.transport;
  auto where = cfg.file + ": transport.smtp_url";
  auto u = parse_url(t.smtp_url);
  if (u.scheme != "smtp" && u.scheme != "smtps")
    return make_error(failure::config, where, "not an SMTP URL: '" + t.smtp_url + "'",
                      "write smtp://host:587 (STARTTLS) or smtps://host:465");
  bool clear = u.scheme == "smtp" && !t.smtp_starttls;
  std::string password;
  if (!t.smtp_user.empty()) {
    if (clear && !loopback(u.host))
      return make_error(failure::config, cfg.file + ": transport.smtp_starttls",
                        "would send the SMTP password in clear text to " + u.host,
                        "set smtp_starttls: true or use smtps://");
    if (t.smtp_password_file.empty())
      return make_error(failure::config, cfg.file + ": transport.smtp_password_file",
                        "missing: smtp_user is set", "name a file (mode 0600) that holds the password");
    auto file = cfg.path(t.smtp_password_file);
    VMT_TRY_STATUS(fs::check_private_file(file));
    VMT_TRY(pw, fs::read_file(file, 4096));
    while (!pw.empty() && (pw.back() == '\n' || pw.back() == '\r')) pw.pop_back();
    if (pw.empty())
      return make_error(failure::config, file, "the SMTP password file is empty", "write the password in it");
    password = std::move(pw);
  }
  if (clear && !loopback(u.host))
    spdlog::warn("transport.smtp_url {}: mail goes to the server without TLS (smtp_starttls is false)", t.smtp_url);
  return std::unique_ptr<transport>(new smtp_transport(cfg, std::move(password)));
}

}  // namespace vmt::transport::detail
