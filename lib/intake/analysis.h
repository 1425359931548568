// analysis.h: reading one inbound message: MIME structure, decryption, signatures, and the verdict
// for every part (was it encrypted, was it covered by a good signature, by which key).
//
// The rules are the ones the hostile-mail corpus checks (see docs/security.md):
//  - only bytes inside a successfully decrypted payload are confidential; plaintext siblings or
//    wrappers are kept apart (`plain`) and flag the message as mixed, never merged into `body`;
//  - decryption without integrity protection is a failure;
//  - a signature is `valid` only when it covers the whole content; a signed sub-part is `partial`;
//  - a valid signature counts for the reporter only when its user id matches the single,
//    well-formed From addr-spec (`matches_from`);
//  - protected headers are taken only from a decrypted (and, when signed, verified) payload
//    marked protected-headers="v1".
// Expected failures (no key, garbage, tampered ciphertext) are verdicts, not errors: the caller
// quarantines. An error is returned only when the environment fails (gpg-agent cannot start),
// and is then failure::temporary.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vmt::intake {

enum class sig_status { none, valid, partial, bad, unknown_key };
const char* to_string(sig_status s);

enum class decryption { none, ok, no_key, integrity, failed };
const char* to_string(decryption d);

struct mailbox {
  std::string name;  // display name, decoded
  std::string addr;  // addr-spec, as written
};

struct from_info {
  std::vector<mailbox> mailboxes;  // every mailbox of every From header
  int header_count = 0;
  bool well_formed = false;  // exactly one From header holding exactly one valid addr-spec
  const mailbox* single() const { return well_formed ? &mailboxes.front() : nullptr; }
};

struct part_verdict {
  std::string path;  // MIME path: "1", "1.2", "1.2.1" (decrypted payload children continue the path)
  std::string content_type;
  std::string filename;
  std::size_t size = 0;
  bool encrypted = false;  // came out of a successfully decrypted payload
  bool is_signed = false;  // covered by a good signature
  std::string signer;      // fingerprint of that signature
};

struct signature_verdict {
  sig_status status = sig_status::none;
  std::string fingerprint;
  std::string trust;       // "certified" (valid in the team's web of trust) or "uncertified"
  std::string uid_email;   // the signer's user id that matched From, if any
  bool matches_from = false;
};

struct attachment {
  std::string filename;
  std::string content_type;
  std::string data;
  bool encrypted = false;
  bool is_signed = false;
};

struct analysis {
  // Headers: the outer ones, or protected headers (v1) from a decrypted payload.
  std::string message_id;
  std::string subject;
  std::string in_reply_to;
  std::vector<std::string> references;
  std::string date;
  from_info from;
  std::vector<mailbox> reply_to;
  std::vector<mailbox> to;
  std::vector<mailbox> cc;
  // Mail no person wrote (outer headers): never acknowledged, so that two robots cannot answer
  // each other forever (RFC 3834).
  std::string auto_submitted;  // the Auto-Submitted keyword, lower case ("auto-replied"); "" or "no": a person
  bool bulk = false;           // Precedence: bulk, junk or list, or a List-Id: a list's mail
  std::string vmt_case;        // X-VMT-Case: a mail vmt itself sent (about this case)

  bool encrypted = false;  // all content came out of a decrypted payload
  bool mixed = false;      // encrypted and unencrypted content side by side
  decryption decrypt = decryption::none;
  std::vector<std::string> encrypted_to;  // key ids the ciphertext named
  signature_verdict signature;
  std::vector<part_verdict> parts;
  std::string body;   // the report text: decrypted text, or the text of an unencrypted message
  std::string plain;  // unencrypted text beside an encrypted payload (flagged, never merged)
  std::vector<attachment> attachments;
  std::vector<std::string> flags;  // mixed-content, duplicate-from, missing-from, malformed-mime, ...

  bool readable = true;           // false: quarantine
  std::string quarantine_reason;  // no-key, integrity, decrypt-failed, garbage, too-large
};

struct input_limits {
  std::size_t max_message_bytes = 64u << 20;
  std::size_t max_header_bytes = 1u << 20;
  std::size_t max_line_bytes = 64u << 10;
  int max_depth = 32;
  int max_parts = 2000;
};

struct options {
  std::string gnupg_home;  // decrypts with every secret key held there
  input_limits limits;
};

result<analysis> analyze(std::string_view raw, const options& opt);

// The verdict without any text (for the store's `verdict` column and `vmt show --json`).
std::string verdict_json(const analysis& a);

}  // namespace vmt::intake
