// states.cpp: the OSSA task state machine (see states.h and docs/process.md for the rules and the
// seed sentences they come from).
#include "process/states.h"

#include <array>
#include <cctype>
#include <variant>

#include "core/text.h"

namespace vmt::process {

namespace {

constexpr std::array<status_info, 8> table{{
    {ossa_status::incomplete, "incomplete", "Incomplete", "todo", "Reception",
     "It is still unclear whenever the report warrants an advisory"},
    {ossa_status::confirmed, "confirmed", "Confirmed", "inprogress",
     "Patch development, Draft impact description",
     "The vulnerability is confirmed, impact description is in progress"},
    {ossa_status::triaged, "triaged", "Triaged", "review", "Review impact description, Patch review",
     "Impact description has been submitted for review"},
    {ossa_status::in_progress, "in_progress", "In Progress", "review",
     "Send CVE request, Get assigned CVE, Embargoed disclosure",
     "The CVE request is sent; stakeholders are notified under embargo"},
    {ossa_status::fix_committed, "fix_committed", "Fix Committed", "review",
     "Open bug, Push patch, Publish OSSA",
     "Patches are public (public report: the CVE is assigned) and the advisory is being published"},
    {ossa_status::fix_released, "fix_released", "Fix Released", "merged", "All patches merged",
     "All patches have been merged"},
    {ossa_status::wont_fix, "wont_fix", "Won't Fix", "invalid", "Closed", "No further action to be taken"},
    {ossa_status::invalid, "invalid", "Invalid", "invalid", "Closed", "No further action to be taken"},
}};

constexpr std::array<verb, 12> verbs{verb::confirm,    verb::challenge,   verb::describe, verb::cve_request,
                                     verb::cve_assign, verb::notify,      verb::disclose, verb::publish,
                                     verb::release,    verb::end_embargo, verb::wont_fix, verb::invalid};

// Either the status a verb leads to or why it is refused (one clause, no leading capital).
using outcome_t = std::variant<ossa_status, std::string>;

// The rules. Each refusal says why in the seed's terms; the caller adds the status and what is
// allowed next.
outcome_t rule(ossa_status from, verb v, const case_facts& f) {
  using s = ossa_status;
  const bool open = is_open(from);
  switch (v) {
    case verb::confirm:
      if (from == s::incomplete) return s::confirmed;
      return std::string("only an Incomplete task is confirmed");
    case verb::challenge:
      // Seed: "If the need for an OSSA is challenged, the ossa bugtask status should be set back to
      // Todo/Incomplete until that question is resolved." A closed Won't Fix/Invalid may be
      // challenged too; a released advisory may not.
      if (from == s::incomplete) return std::string("the task is already Incomplete");
      if (from == s::fix_released) return std::string("the advisory is out and every patch merged");
      return s::incomplete;
    case verb::describe:
      // Seed: "Once the description is posted, the ... bugtask status should be switched to
      // Review/Triaged." Posting a revised description keeps it there.
      if (from == s::confirmed || from == s::triaged) return s::triaged;
      if (from == s::incomplete) return std::string("the vulnerability must be confirmed first");
      if (open) return std::string("the description was already reviewed and sent on");
      return std::string("the case is closed");
    case verb::cve_request:
      // Seed: "The ossa bugtask status is set to In progress and the approved impact description
      // is submitted through MITRE's CVE Request form."
      if (from == s::triaged || from == s::in_progress) return s::in_progress;
      if (from == s::incomplete || from == s::confirmed)
        return std::string("the CVE request needs the reviewed impact description (Triaged)");
      if (open) return std::string("the CVE request step is past");
      return std::string("the case is closed");
    case verb::cve_assign:
      // Seed: public reports: "the OSSA bugtask is set to fix committed status once the CVE
      // assignment is received"; embargoed ones stay In Progress until the disclosure hour.
      if (from == s::in_progress) return f.embargoed ? s::in_progress : s::fix_committed;
      if (from == s::incomplete || from == s::confirmed || from == s::triaged)
        return std::string("the CVE must be requested first");
      if (open) return std::string("the CVE step is past");
      return std::string("the case is closed");
    case verb::notify:
      // Seed: "Once the patches are approved and the CVE is assigned, a signed email ... is sent to
      // the downstream stakeholders." and "For non-embargoed, public vulnerabilities no separate
      // downstream advance notification is sent."
      if (!f.embargoed) return std::string("public reports get no advance notification");
      if (from != s::in_progress)
        return std::string("stakeholders are notified after the CVE request (In Progress)");
      if (!f.cve_assigned) return std::string("the CVE must be assigned first");
      return s::in_progress;
    case verb::disclose:
      // Diagram: Fix Committed starts at "Open bug, Push patch".
      if (f.embargoed) {
        if (from != s::in_progress)
          return std::string("disclosure follows the embargoed notification (In Progress)");
        if (!f.cve_assigned) return std::string("the CVE must be assigned first");
        return s::fix_committed;
      }
      if (from == s::fix_committed) return s::fix_committed;
      return std::string("a public report is disclosed once its CVE is assigned (Fix Committed)");
    case verb::publish:
      if (from == s::fix_committed) return s::fix_committed;
      return std::string("the advisory is published after disclosure (Fix Committed)");
    case verb::release:
      // Seed: "Wait until all patches merged to supported branches before setting the ossa bugtask
      // status to Fix released."
      if (from != s::fix_committed) return std::string("only a disclosed case (Fix Committed) is released");
      if (!f.patches_merged) return std::string("every patch must be merged to its branch first");
      return s::fix_released;
    case verb::end_embargo:
      // Seed: "the embargo is terminated ... and subsequent process switches to the public report
      // workflow instead": with the CVE already assigned that means Fix Committed.
      if (!f.embargoed) return std::string("the report is not under embargo");
      if (!open) return std::string("the case is closed");
      if (from == s::in_progress && f.cve_assigned) return s::fix_committed;
      return from;
    case verb::wont_fix:
    case verb::invalid:
      // Seed: "If no OSSA is warranted and there is no benefit to an OSSN then the ossa bugtask
      // will be set to Won't Fix or Invalid".
      if (!open) return std::string("the case is already closed");
      return v == verb::wont_fix ? s::wont_fix : s::invalid;
  }
  return std::string("unknown verb");
}

}  // namespace

std::span<const status_info> statuses() {
  return table;
}

const status_info& info(ossa_status s) {
  return table[static_cast<std::size_t>(s)];
}

std::string_view name(ossa_status s) {
  return info(s).launchpad;
}

std::optional<ossa_status> parse_status(std::string_view s) {
  std::string k = text::lower(s);
  if (k == "new") return ossa_status::incomplete;
  if (k == "wontfix" || k == "wont fix" || k == "wont-fix" || k == "won't-fix") return ossa_status::wont_fix;
  if (k == "in-progress") return ossa_status::in_progress;
  for (const auto& i : table)
    if (k == i.id || k == text::lower(i.launchpad)) return i.status;
  // StoryBoard names, read as the seed pairs them.
  if (k == "todo") return ossa_status::incomplete;
  if (k == "inprogress") return ossa_status::confirmed;
  if (k == "review") return ossa_status::triaged;
  if (k == "merged") return ossa_status::fix_released;
  return std::nullopt;
}

bool is_open(ossa_status s) {
  return s != ossa_status::fix_released && s != ossa_status::wont_fix && s != ossa_status::invalid;
}

std::string_view verb_name(verb v) {
  switch (v) {
    case verb::confirm:
      return "confirm";
    case verb::challenge:
      return "challenge";
    case verb::describe:
      return "review";  // `vmt review` submits the description for review (`vmt describe` only drafts it)
    case verb::cve_request:
      return "cve-request";
    case verb::cve_assign:
      return "cve-assign";
    case verb::notify:
      return "notify";
    case verb::disclose:
      return "disclose";
    case verb::publish:
      return "publish";
    case verb::release:
      return "release";
    case verb::end_embargo:
      return "end-embargo";
    case verb::wont_fix:
      return "won't-fix";
    case verb::invalid:
      return "invalid";
  }
  return "?";
}

std::optional<verb> parse_verb(std::string_view s) {
  std::string k = text::lower(s);
  for (auto& c : k)
    if (c == '_') c = '-';
  if (k == "wont-fix" || k == "wontfix") return verb::wont_fix;
  if (k == "describe") return verb::describe;
  for (verb v : verbs)
    if (k == verb_name(v)) return v;
  return std::nullopt;
}

std::span<const verb> all_verbs() {
  return verbs;
}

std::vector<verb> allowed_verbs(ossa_status from, const case_facts& facts) {
  std::vector<verb> out;
  for (verb v : verbs)
    if (std::holds_alternative<ossa_status>(rule(from, v, facts))) out.push_back(v);
  return out;
}

result<ossa_status> check_transition(ossa_status from, verb v, const case_facts& facts,
                                     std::string_view where) {
  auto r = rule(from, v, facts);
  if (auto* to = std::get_if<ossa_status>(&r)) return *to;
  const auto& i = info(from);
  std::string next;
  for (verb a : allowed_verbs(from, facts)) next += (next.empty() ? "" : ", ") + std::string(verb_name(a));
  std::string what = "the case is " + std::string(i.launchpad) + " (" + std::string(i.step) +
                     "): " + std::string(verb_name(v)) + " is not allowed: " + std::get<std::string>(r);
  return make_error(failure::unavailable, std::string(where), what,
                    next.empty() ? "nothing is allowed next: the case is closed" : "allowed next: " + next);
}

}  // namespace vmt::process
