// thread.cpp: which case a message belongs to, and whether it may be answered (see internal.h).
//
// A follow-up may reach the filter before its report, or at the same moment (two deliveries in
// parallel). Three things keep them on one case: every message is recorded with its thread ids as
// soon as it is spooled (receive.cpp), so a peer sees it before it is read; a reply whose parent is
// recorded but not filed waits for it (boundedly); and the final decision is taken inside the
// filing transaction, looking both ways (what it replies to, and what replies to it), so the second
// of two messages of a thread always sees the case of the first.
#include <spdlog/spdlog.h>

#include <chrono>
#include <thread>

#include "core/text.h"
#include "intake/internal.h"
#include "intake/spool.h"
#include "transport/outbox.h"

namespace vmt::intake::detail {

namespace {

// How long a reply waits for the message it answers to be filed (delivered together, that message
// is at most a few hundred milliseconds behind; a parent we never received costs this once).
constexpr auto parent_wait = std::chrono::seconds(3);

// Find "[PREFIX-YYYY-NNN]" in a subject: the case tag that our acknowledgements carry.
std::string case_id_in_subject(const std::string& subject, const std::string& prefix) {
  auto pos = subject.find("[" + prefix + "-");
  while (pos != std::string::npos) {
    auto close = subject.find(']', pos);
    if (close == std::string::npos) break;
    auto id = subject.substr(pos + 1, close - pos - 1);
    if (store::parse_case_id(id, prefix)) return id;
    pos = subject.find("[" + prefix + "-", pos + 1);
  }
  return {};
}

// The ids a message points back to: In-Reply-To first, then References, newest first.
std::vector<std::string> parents_of(const analysis& a) {
  std::vector<std::string> ids;
  if (!a.in_reply_to.empty()) ids.push_back(strip_angles(a.in_reply_to));
  for (auto it = a.references.rbegin(); it != a.references.rend(); ++it) ids.push_back(strip_angles(*it));
  return ids;
}

}  // namespace

result<origin> origin_of(reception& r, const analysis& a) {
  if (!a.vmt_case.empty()) return origin::ours;
  if (const auto* from = a.from.single(); from && text::lower(from->addr) == text::lower(r.cfg.team.address))
    return origin::ours;
  if (auto id = strip_angles(a.message_id); !id.empty()) {
    VMT_TRY(sent, transport::is_queued(r.st, id));
    if (sent) return origin::ours;
  }
  if (!a.auto_submitted.empty() || a.bulk) return origin::automatic;
  return origin::person;
}

void wait_for_parent(reception& r, const analysis& a, std::int64_t self_row) {
  auto ids = parents_of(a);
  if (ids.empty()) return;
  const auto deadline = std::chrono::steady_clock::now() + parent_wait;
  // Bounded by rounds as well as by the clock: under a frozen clock (faketime without '@', which
  // fakes the monotonic clock too) the deadline would never come.
  constexpr int max_rounds = static_cast<int>(parent_wait / std::chrono::milliseconds(100));
  for (int round = 0;; ++round) {
    bool pending = false;
    for (const auto& id : ids) {
      if (id.empty()) continue;
      auto msgs = r.st.find_messages_by_message_id(id);
      if (!msgs) return;  // the store fails: the filing transaction will say so
      for (const auto& m : *msgs) {
        if (m.row == self_row) continue;
        if (!m.case_id.empty() || m.state == "quarantined" || m.state == "ignored") return;
        // Being read by another delivery right now: its lock is released once it is filed.
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return;
        auto held = lock::acquire(r.cfg.path(r.cfg.spool), "msg-" + m.dedupe_key.substr(0, 32),
                                  static_cast<int>(left.count()));
        (void)held;
        pending = true;
      }
      auto ours = r.st.case_of_sent_mail(id);
      if (ours && *ours) return;
    }
    if (round >= max_rounds) return;
    if (!pending) {
      if (std::chrono::steady_clock::now() >= deadline || round + 1 >= max_rounds) {
        spdlog::info("message {}: the message it replies to was not received; filed on its own", a.message_id);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

result<std::string> thread_case(reception& r, const analysis& a, std::int64_t self_row) {
  auto ids = parents_of(a);
  const auto self_id = strip_angles(a.message_id);
  if (!self_id.empty()) ids.push_back(self_id);  // a resend of a filed message
  for (const auto& id : ids) {
    if (id.empty()) continue;
    VMT_TRY(msgs, r.st.find_messages_by_message_id(id));
    for (const auto& m : msgs)
      if (m.row != self_row && !m.case_id.empty()) return m.case_id;
    VMT_TRY(sent, r.st.case_of_sent_mail(id));
    if (sent) return *sent;
  }
  // A follow-up that was filed before its report arrived: the report joins its case.
  if (!self_id.empty()) {
    VMT_TRY(replies, r.st.messages_replying_to(self_id));
    for (const auto& m : replies)
      if (m.row != self_row && !m.case_id.empty()) return m.case_id;
  }
  auto tagged = case_id_in_subject(a.subject, r.cfg.team.case_prefix);
  if (!tagged.empty()) {
    VMT_TRY(c, r.st.find_case(tagged));
    if (c) return tagged;
  }
  return std::string();
}

}  // namespace vmt::intake::detail
