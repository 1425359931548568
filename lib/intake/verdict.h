// verdict.h: INTERNAL to lib/intake: the signature verdict from the signatures met while walking
// a message (see docs/mail-parsing.md, "Signature verdict").
#pragma once

#include <string>
#include <vector>

#include "crypto/openpgp.h"
#include "intake/analysis.h"

namespace vmt::intake::detail {

// The signatures of one signed layer or block; `whole` when it covers the whole message.
struct sig_event {
  bool whole;
  std::vector<crypto::signature_check> checks;  // empty: a malformed signature structure
};

// valid / partial / bad / unknown-key / none, with fingerprint and trust; adds flags.
signature_verdict judge_signatures(const std::vector<sig_event>& sigs, std::vector<std::string>& flags);

// The check of the signature made by `fpr`, or nullptr.
const crypto::signature_check* find_check(const std::vector<sig_event>& sigs, const std::string& fpr);

}  // namespace vmt::intake::detail
