// internal.h: INTERNAL to lib/intake: what reception.cpp (the case and bug), receive.cpp (one
// message) and thread.cpp (which case a message belongs to) share.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "intake/analysis.h"
#include "intake/reception.h"

namespace vmt::intake::detail {

std::string now_iso();
std::string strip_angles(std::string s);
// The first `n` bytes of `s`, cut back to a UTF-8 character boundary (trackers' JSON APIs refuse
// a string ending in half a character).
std::string utf8_prefix(const std::string& s, std::size_t n);
// A case title from the subject ("Report received DATE" when it says nothing).
std::string case_title(const analysis& a, const std::string& received);
void describe_signature(const analysis& a, std::string& out);

// The tracker, opened on first need, and the ledger lines of the step under way.
struct tracker_session {
  reception& r;
  std::unique_ptr<tracker::tracker> t;
  // Store writes of a step that must happen exactly once (ledger lines): committed in the same
  // transaction as the step's record, so that a crash between the tracker call and the record
  // (the step is then redone) does not tell the ledger twice.
  std::vector<std::function<status()>> once;
  result<tracker::tracker*> get() {
    if (!t) {
      auto o = r.open_tracker();
      if (!o) return std::move(o).err();
      t = std::move(o).value();
    }
    return t.get();
  }
};

// Run one tracker step unless the store says it is done; record it as done afterwards.
status step(reception& r, tracker_session& ts, const std::string& case_id, const std::string& op,
            const std::function<result<std::string>(tracker::tracker&)>& body);

// Where a message comes from, as far as answering it goes (RFC 3834).
enum class origin {
  person,     // answer it: acknowledge a report, tell the coordinators of a follow-up
  automatic,  // Auto-Submitted, a list's or bulk mail: file it, never answer it
  ours,       // a mail vmt sent that came back (a loop): never filed as a report
};
result<origin> origin_of(reception& r, const analysis& a);

// A message that replies to one not filed yet (its report, delivered at the same moment) waits,
// boundedly, for that one to be filed: a report and its follow-up end on one case.
void wait_for_parent(reception& r, const analysis& a, std::int64_t self_row);

// The case of the message's thread, if any: the message it replies to or references, one of our
// mails it answers, a message already filed that replies to it (its follow-up came first), a
// resend of a filed message, or the case tag in the subject. Run it inside the filing transaction
// so that two messages of one thread filed at once cannot both open a case.
result<std::string> thread_case(reception& r, const analysis& a, std::int64_t self_row);

}  // namespace vmt::intake::detail
