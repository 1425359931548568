// publish.h: the advisory side of a case: the draft advisory YAML from the impact description,
// the advisory model the CVE record is rendered from, and the signed announcement.
#pragma once

#include <string>

#include "advisory/advisory.h"
#include "workflow/workflow.h"

namespace vmt::workflow {

// The advisory as far as the case knows it (title, description, product and versions, CVE,
// credit, bug link): what the CVE request's CNA draft is rendered from.
advisory::advisory advisory_model(session& s, const store::case_record& c);

// Write OSSA-YYYY-NNN.yaml (next free number of the year) or OSSN-NNNN.yaml into `dir` from the
// case, and record the number on the case (the disclosure retitles the bug [OSSA-NUM] TITLE).
// Returns the path.
result<std::string> draft_advisory(session& s, const std::string& id, const std::string& dir, bool as_note);

}  // namespace vmt::workflow

