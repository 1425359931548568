// taxonomy.h: the VMT's report taxonomy (classes A to Z) and the outcome each class implies.
//
// The table is the seed's "Report Taxonomy" word for word; `vmt taxonomy` prints it and
// `vmt classify` records a class on a case.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vmt::process {

// What a class leads to: a security advisory, a security note, maybe a note, or nothing.
enum class outcome { ossa, ossn, potential_ossn, none };

struct report_class {
  std::string_view id;  // "A", "B1", ... "Z"
  outcome result;
  std::string_view description;  // the seed's wording
};

// All classes in the seed's order.
std::span<const report_class> taxonomy();

// "OSSA", "OSSN", "Potential OSSN" or "none" (the seed leaves the outcome of E, Y and Z empty).
std::string_view outcome_name(outcome o);

// A class by id: "A", "b1", "Class C2" are accepted. failure::usage lists the classes otherwise.
result<report_class> find_class(std::string_view id);

// True when the class warrants an advisory (OSSA), i.e. the OSSA task should be confirmed.
inline bool warrants_advisory(const report_class& c) {
  return c.result == outcome::ossa;
}

}  // namespace vmt::process
