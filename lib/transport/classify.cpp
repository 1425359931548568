// classify.cpp: how the queue runner reads a transport's failure (see transports.h and the
// "Failures" table of docs/outbound.md): temporary is retried with backoff, permanent fails the mail
// loudly, uncertain waits for a person because the mail may already be on its way.
#include <curl/curl.h>

#include <algorithm>

#include "transport/transports.h"

namespace vmt::transport::detail {

namespace {

// Transport output goes into logs and the store: one line, printable, bounded.
std::string one_line(std::string_view s, std::size_t max = 300) {
  std::string out;
  for (char c : s) {
    if (out.size() >= max) break;
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\r') continue;
    if (c == '\n') {
      if (!out.empty() && out.back() != ' ') out += "; ";
      continue;
    }
    out += (u >= 0x20 && u < 0x7f) ? c : '?';
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
  return out;
}

const char* sysexits_name(int code) {
  switch (code) {
    case 64: return "EX_USAGE";
    case 65: return "EX_DATAERR";
    case 66: return "EX_NOINPUT";
    case 67: return "EX_NOUSER";
    case 68: return "EX_NOHOST";
    case 69: return "EX_UNAVAILABLE";
    case 70: return "EX_SOFTWARE";
    case 71: return "EX_OSERR";
    case 72: return "EX_OSFILE";
    case 73: return "EX_CANTCREAT";
    case 74: return "EX_IOERR";
    case 75: return "EX_TEMPFAIL";
    case 76: return "EX_PROTOCOL";
    case 77: return "EX_NOPERM";
    case 78: return "EX_CONFIG";
    default: return nullptr;
  }
}

}  // namespace

delivery classify_smtp(int curl_code, long reply_code, const std::string& message, bool past_end_of_data) {
  auto msg = one_line(message);
  auto code = static_cast<CURLcode>(curl_code);
  if (code == CURLE_OK) return {verdict::sent, msg.empty() ? "accepted" : msg, false};
  if (code == CURLE_LOGIN_DENIED)
    return {verdict::temporary,
            "the SMTP server refused the login (" + msg +
                "): check transport.smtp_user and transport.smtp_password_file",
            true};
  // An explicit refusal: the server answered, so nothing is uncertain even after the data.
  if (reply_code >= 500 && reply_code < 600)
    return {verdict::permanent, "the SMTP server refused the mail: " + msg, false};
  if (reply_code >= 400 && reply_code < 500)
    return {verdict::temporary, "the SMTP server deferred the mail: " + msg, reply_code == 421};
  if (past_end_of_data)
    return {verdict::uncertain,
            "the connection failed after the end of the data was handed over (" + msg +
                "): the server may have accepted the mail",
            false};
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_GOT_NOTHING:
      return {verdict::temporary, "cannot talk to the SMTP server: " + msg, true};
    case CURLE_USE_SSL_FAILED:
      return {verdict::temporary,
              "the SMTP server does not offer STARTTLS (" + msg +
                  "); vmt never falls back to plain text: use smtps:// or fix the server",
              true};
    case CURLE_ABORTED_BY_CALLBACK:
    case CURLE_READ_ERROR:
      return {verdict::temporary, "the attempt was abandoned before the end of the data: " + msg, true};
    default:
      // SEND/RECV errors mid-DATA (a dropped connection) and anything unexpected: the server never
      // saw the final dot, so it discarded the transaction; safe to send again.
      return {verdict::temporary, "the SMTP session failed before the end of the data: " + msg, false};
  }
}

delivery classify_sendmail(const std::string& receipt, const std::string& output) {
  auto out = one_line(output);
  auto with_output = [&](std::string s) { return out.empty() ? s : s + ": " + out; };
  int n = -1;
  auto number = [&](std::string_view prefix) {
    if (receipt.rfind(prefix, 0) != 0) return false;
    try {
      n = std::stoi(receipt.substr(prefix.size()));
      return true;
    } catch (...) {
      return false;
    }
  };
  if (number("exit ")) {
    if (n == 0) return {verdict::sent, with_output("sendmail exited 0"), false};
    const char* name = sysexits_name(n);
    std::string what = "sendmail exited " + std::to_string(n) + (name ? std::string(" (") + name + ")" : "");
    if (n == 126 || n == 127)
      return {verdict::temporary, with_output("cannot run the sendmail program: check transport.sendmail"), true};
    if (n == 75 || n == 71 || n == 74 || n == 73) return {verdict::temporary, with_output(what), n != 75};
    return {verdict::permanent, with_output(what), false};
  }
  if (number("signal "))
    return {verdict::uncertain,
            with_output("sendmail was killed by signal " + std::to_string(n) + ": it may have queued the mail"),
            false};
  if (number("timeout "))
    return {verdict::uncertain,
            with_output("sendmail did not finish within " + std::to_string(n) +
                        " s and was killed: it may have queued the mail"),
            false};
  return {verdict::uncertain, with_output("unreadable sendmail receipt '" + one_line(receipt, 40) + "'"), false};
}

bool valid_envelope_address(std::string_view a) {
  if (a.empty() || a.size() > 254 || a.front() == '-') return false;
  auto at = a.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == a.size()) return false;
  return std::all_of(a.begin(), a.end(), [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && std::string_view("<>()[]\\,;:\"").find(c) == std::string_view::npos;
  });
}

std::chrono::seconds backoff(int attempts) {
  using namespace std::chrono;
  int shift = std::clamp(attempts - 1, 0, 6);  // 1, 2, 4, ... 64 minutes
  return std::min<seconds>(minutes{1} * (1 << shift), hours{1});
}

}  // namespace vmt::transport::detail
