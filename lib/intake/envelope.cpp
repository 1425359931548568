// envelope.cpp: outer headers and identity flags of an inbound message (see envelope.h).
#include "intake/envelope.h"

#include <time.h>

#include <algorithm>
#include <cstdlib>

#include "core/text.h"
#include "message/address.h"
#include "message/header.h"

namespace vmt::intake::detail {

namespace {

std::vector<mailbox> convert(const std::vector<message::mailbox>& in) {
  std::vector<mailbox> out;
  for (const auto& m : in) out.push_back({m.name, m.addr});
  return out;
}

// All mailboxes of every `name` header.
std::vector<mailbox> mailboxes_of(const message::entity& root, std::string_view name) {
  std::vector<mailbox> out;
  for (const auto& h : root.headers) {
    if (!message::iequals(h.name, name)) continue;
    auto list = message::parse_address_list(h.value);
    auto c = convert(list.mailboxes);
    out.insert(out.end(), c.begin(), c.end());
  }
  return out;
}

}  // namespace

void add_flag(std::vector<std::string>& flags, const std::string& flag) {
  if (std::find(flags.begin(), flags.end(), flag) == flags.end()) flags.push_back(flag);
}

std::vector<std::string> msg_ids(std::string_view v) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < v.size() && out.size() < 200) {
    auto lt = v.find('<', pos);
    if (lt == std::string_view::npos) break;
    auto gt = v.find('>', lt + 1);
    if (gt == std::string_view::npos) break;
    std::string id(v.substr(lt + 1, gt - lt - 1));
    id.erase(std::remove_if(id.begin(), id.end(), [](char c) { return c == ' ' || c == '\t'; }), id.end());
    if (!id.empty() && id.size() <= 250) out.push_back(id);
    pos = gt + 1;
  }
  if (out.empty()) {
    // No angle brackets: take the bare token (some mailers omit them).
    std::string t = message::unfold(v);
    if (!t.empty() && t.size() <= 250 && t.find_first_of(" \t") == std::string::npos) out.push_back(t);
  }
  return out;
}

void read_envelope(const message::entity& root, analysis& a) {
  auto& f = a.flags;
  a.subject = message::decode_words(root.value("subject"));
  auto ids = msg_ids(root.value("message-id"));
  a.message_id = ids.empty() ? std::string() : ids.front();
  auto irt = msg_ids(root.value("in-reply-to"));
  a.in_reply_to = irt.empty() ? std::string() : irt.front();
  a.references = msg_ids(root.value("references"));
  a.date = root.value("date");
  {
    std::string as = text::lower(message::unfold(root.value("auto-submitted")));
    auto end = as.find_first_of(" \t;(");
    as = as.substr(0, end);
    auto b = as.find_first_not_of(' ');
    a.auto_submitted = b == std::string::npos || as == "no" ? std::string() : as.substr(b);
    std::string precedence = text::lower(message::unfold(root.value("precedence")));
    a.bulk = precedence.find("bulk") != std::string::npos || precedence.find("junk") != std::string::npos ||
             precedence.find("list") != std::string::npos || root.header_count("list-id") > 0;
    a.vmt_case = message::unfold(root.value("x-vmt-case"));
  }

  // From: exactly one header holding exactly one well-formed mailbox, or it does not identify anyone.
  a.from.header_count = root.header_count("from");
  bool lists_ok = true, multi = false;
  for (const auto& h : root.headers) {
    if (!message::iequals(h.name, "from")) continue;
    auto list = message::parse_address_list(h.value);
    if (!list.well_formed || list.has_group) lists_ok = false;
    if (list.mailboxes.size() > 1) multi = true;
    auto c = convert(list.mailboxes);
    a.from.mailboxes.insert(a.from.mailboxes.end(), c.begin(), c.end());
  }
  a.from.well_formed = a.from.header_count == 1 && lists_ok && a.from.mailboxes.size() == 1 &&
                       message::valid_addr_spec(a.from.mailboxes.front().addr);
  if (a.from.mailboxes.empty()) add_flag(f, "missing-from");
  if (a.from.header_count > 1) add_flag(f, "duplicate-from");
  if (multi) add_flag(f, "multiple-from-mailboxes");
  if (a.from.header_count > 0 && !lists_ok) add_flag(f, "malformed-from");
  for (const auto& m : a.from.mailboxes) {
    std::string addr = message::normalize_addr(m.addr);
    for (const auto& other : message::addresses_in_text(m.name))
      if (other != addr) add_flag(f, "display-name-address");
  }
  a.reply_to = mailboxes_of(root, "reply-to");
  a.to = mailboxes_of(root, "to");
  a.cc = mailboxes_of(root, "cc");
  std::string from_addr =
      a.from.well_formed ? message::normalize_addr(a.from.mailboxes.front().addr) : std::string();
  for (const auto& r : a.reply_to)
    if (message::normalize_addr(r.addr) != from_addr) add_flag(f, "reply-to-differs");
  for (const auto& s : mailboxes_of(root, "sender"))
    if (message::normalize_addr(s.addr) != from_addr) add_flag(f, "sender-differs");
  for (const char* h :
       {"reply-to", "sender", "to", "cc", "subject", "message-id", "date", "in-reply-to", "references"})
    if (root.header_count(h) > 1) add_flag(f, std::string("duplicate-") + h);
}

bool date_mismatch(const std::string& date_header, std::int64_t sig_created) {
  if (date_header.empty() || sig_created <= 0) return false;
  std::string d = message::unfold(date_header);
  auto comma = d.find(',');
  if (comma != std::string::npos && comma < 5) d = d.substr(comma + 1);  // day name is optional
  struct tm tm {};
  const char* end = ::strptime(d.c_str(), " %d %b %Y %H:%M:%S %z", &tm);
  if (!end) {
    tm = {};
    end = ::strptime(d.c_str(), " %d %b %Y %H:%M %z", &tm);
  }
  if (!end) return false;
  long offset = tm.tm_gmtoff;
  std::int64_t t = static_cast<std::int64_t>(::timegm(&tm)) - offset;
  return std::llabs(t - sig_created) > 86400;
}

}  // namespace vmt::intake::detail
