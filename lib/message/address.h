// address.h: RFC 5322 addresses: reading From/Reply-To/To/Cc strictly enough to tell a well-formed
// single mailbox from a trick, and writing mailboxes that are safe in an outbound header.
//
// The reader is ours, not mimetic's: mimetic::AddressList accepts anything and reports nothing
// (From: "The Manager" gives an empty mailbox, "x@" a mailbox without domain), while a signature
// only counts for the reporter when From holds exactly one well-formed addr-spec.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vmt::message {

struct mailbox {
  std::string name;  // display name, RFC 2047 decoded, UTF-8
  std::string addr;  // addr-spec as written (local@domain), without comments or white space
};

struct address_list {
  std::vector<mailbox> mailboxes;
  bool well_formed = true;            // every address parsed by the RFC 5322 grammar
  bool has_group = false;             // "name: a@b, c@d;" syntax was used
  std::vector<std::string> problems;  // short reasons ("display name holds '@'", ...)
};

// Parse an unfolded address-list header value. Bounded: at most 1000 mailboxes.
address_list parse_address_list(std::string_view value);

// addr-spec: dot-atom or quoted local part, '@', dot-atom domain or domain literal.
bool valid_addr_spec(std::string_view addr);

// Lower-cased address for comparisons (the domain is case-insensitive; local parts are compared
// case-insensitively too, as every mail provider in practice does).
std::string normalize_addr(std::string_view addr);

// Addresses that appear inside free text (a display name that reads "boss@example.org").
std::vector<std::string> addresses_in_text(std::string_view text);

// `Name <addr>` for an outbound header: the name quoted or encoded (RFC 2047), control characters
// dropped; failure::data when `addr` is not a valid addr-spec (so nothing odd reaches a header).
result<std::string> format_mailbox(std::string_view name, std::string_view addr);

}  // namespace vmt::message
