// envelope.h: INTERNAL to lib/intake: the outer headers of an inbound message (From, Reply-To,
// To, Cc, Subject, Message-ID, In-Reply-To, References, Date) and the identity flags a signature
// verdict depends on (missing, duplicate or multi-mailbox From, display names that read like
// another address, Reply-To or Sender differing from From).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "intake/analysis.h"
#include "message/mime.h"

namespace vmt::intake::detail {

// Fill the header fields of `a` from `root` and add the identity flags to a.flags.
void read_envelope(const message::entity& root, analysis& a);

// The msg-ids of a Message-ID / In-Reply-To / References value, without angle brackets.
std::vector<std::string> msg_ids(std::string_view value);

// Whether an RFC 5322 Date value and a signature time lie more than a day apart (false when the
// date does not parse: no evidence either way).
bool date_mismatch(const std::string& date_header, std::int64_t sig_created);

// Add `flag` to `flags` once.
void add_flag(std::vector<std::string>& flags, const std::string& flag);

}  // namespace vmt::intake::detail
