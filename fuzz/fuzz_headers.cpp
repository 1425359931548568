// fuzz_headers: the writing side of headers, where report data meets an outbound mail. Whatever
// the bytes (a display name, a subject taken from a report), the encoded field must stay ONE
// header field: no CR or LF except CRLF folding followed by white space, no NUL, the name first,
// and reading it back (unfold + RFC 2047 decoding) gives no line break either. Also the readers
// (Content-Type parameters, address lists) on the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "message/address.h"
#include "message/header.h"

namespace {

using namespace vmt;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_headers: invariant broken: %s\n", what);
    std::abort();
  }
}

// One header field: lines joined by CRLF + (SP|HTAB); nothing else may break a line.
void check_one_field(const std::string& field, std::string_view name) {
  check(field.compare(0, name.size() + 1, std::string(name) + ":") == 0, "the field starts with its name");
  for (std::size_t i = 0; i < field.size(); ++i) {
    char c = field[i];
    check(c != '\0', "no NUL in the field");
    if (c == '\n') check(false, "no LF without CR");  // only reached without a CR before it
    if (c == '\r') {
      check(i + 2 < field.size() && field[i + 1] == '\n' && (field[i + 2] == ' ' || field[i + 2] == '\t'), "CRLF only as folding");
      i += 1;  // skip the LF of the fold
    }
  }
  auto value = field.substr(name.size() + 1);
  auto back = message::decode_words(message::unfold(value));
  check(back.find('\r') == std::string::npos && back.find('\n') == std::string::npos, "no line break after decoding");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  check_one_field(message::encode_unstructured("Subject", in), "Subject");

  // A display name with any bytes, next to a fixed valid address.
  auto mb = message::format_mailbox(in, "reporter@example.org");
  if (mb) {
    check(mb->find('\r') == std::string::npos && mb->find('\n') == std::string::npos, "no line break in a mailbox");
    check(mb->find('\0') == std::string::npos, "no NUL in a mailbox");
    // It must read back as exactly one mailbox with the same address.
    auto list = message::parse_address_list(*mb);
    check(list.mailboxes.size() == 1 && list.mailboxes[0].addr == "reporter@example.org", "a mailbox reads back as one, same address");
  }
  // An address from the bytes: format_mailbox accepts it only when it is a valid addr-spec.
  auto addr = message::format_mailbox("", in);
  if (addr) check(message::valid_addr_spec(in) && addr->find('\n') == std::string::npos, "only a valid addr-spec is formatted");

  auto param = message::format_param("filename", in);
  check(param.find('\r') == std::string::npos && param.find('\n') == std::string::npos, "no line break in a parameter");
  auto words = message::encode_words(in);
  check(words.find('\r') == std::string::npos && words.find('\n') == std::string::npos, "no line break in encoded words");

  // Readers on the same bytes.
  (void)message::parse_content_type(in);
  (void)message::parse_disposition(in);
  (void)message::parse_address_list(in);
  (void)message::addresses_in_text(in);
  (void)message::fold(in);
  return 0;
}
