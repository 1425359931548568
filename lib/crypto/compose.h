// compose.h: outbound mail as RFC 5322 bytes: PGP/MIME signed (RFC 3156 multipart/signed), or
// signed and encrypted (multipart/encrypted), with text and attachments.
//
// Every mail vmt sends is built here. Header values that come from report data are encoded so they
// cannot add header lines (CR/LF are never copied; non-ASCII becomes RFC 2047 encoded words).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace vmt::crypto {

struct address {
  std::string name;
  std::string email;
};

struct file_part {
  std::string filename;
  std::string content_type = "text/x-diff";
  std::string data;
};

struct outgoing {
  address from;
  std::vector<address> to;
  std::vector<address> cc;
  std::string subject;
  std::string body;  // UTF-8 text
  std::vector<file_part> attachments;
  std::string message_id;  // without angle brackets; generated when empty
  std::string in_reply_to;
  std::vector<std::string> references;
  std::string date;  // RFC 5322; now when empty
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (X-VMT-Case, ...)
  std::string sign_with;                                     // fingerprint; required
  std::vector<std::string> encrypt_to;                       // fingerprints; empty: signed only
  bool encrypt_to_self = true;  // also encrypt to sign_with, so the team can read what it sent
  bool protected_headers = true;  // copy Subject etc. into the signed/encrypted payload (v1)
  // With protected headers and encryption: the outer Subject is "..." instead of the real one. Off
  // by default: list filters and the linux-distros list key on the seed's subjects, which must stay
  // visible; a template asks for it (Outer-Subject: hidden) where the subject says too much.
  bool hide_subject = false;
  // RFC 3834: "auto-replied" (acknowledgements), "auto-generated" (notices, reminders); empty for
  // mail a person sends. Receivers (and our own filter) never answer such mail automatically.
  std::string auto_submitted;
};

struct composed {
  std::string bytes;
  std::string message_id;
};

// Is `id` (without angle brackets) a message id compose() accepts for Message-ID, In-Reply-To and
// References? Printable ASCII without white space, brackets or quotes, one '@' inside. A Message-ID
// read from an inbound mail is checked with this before it is put in a reply.
bool valid_message_id(const std::string& id);

// Build, sign (and encrypt) `mail`. failure::data for an invalid address, header name or
// Message-ID; failure::config when the signing key is not in the home (or cannot sign);
// failure::data when a recipient key is missing or unusable; failure::temporary when gpg fails.
result<composed> compose(const std::string& gnupg_home, const outgoing& mail);

}  // namespace vmt::crypto
