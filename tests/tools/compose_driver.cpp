// compose_driver: a test-only front end to crypto::compose(), so that shell tests (T620) can make
// signed and signed+encrypted mails exactly as vmt sends them and check them with gpg and notmuch.
//
// Usage: compose_driver HOME SIGN_FPR FROM_EMAIL TO_EMAIL SUBJECT BODY_FILE [--encrypt FPR]...
//                       [--attach FILE]... [--message-id ID] [--in-reply-to ID]
// Writes the message to stdout. EXIT STATUS: 0, or the sysexits code of the failure.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "crypto/compose.h"

namespace {
std::string slurp(const char* path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
}  // namespace

int main(int argc, char** argv) {
  using namespace vmt;
  if (argc < 7) {
    std::fprintf(
        stderr,
        "usage: compose_driver HOME SIGN_FPR FROM TO SUBJECT BODY_FILE [--encrypt FPR] [--attach FILE] [--subject hidden] [--auto-submitted V]\n");
    return exit_code(failure::usage);
  }
  crypto::outgoing m;
  m.from = {"VMT Test", argv[3]};
  m.to = {{"", argv[4]}};
  m.subject = argv[5];
  m.body = slurp(argv[6]);
  m.sign_with = argv[2];
  for (int i = 7; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--encrypt")) {
      m.encrypt_to.push_back(argv[i + 1]);
    } else if (!std::strcmp(argv[i], "--attach")) {
      std::string name = argv[i + 1];
      m.attachments.push_back({name.substr(name.rfind('/') + 1), "text/x-diff", slurp(argv[i + 1])});
    } else if (!std::strcmp(argv[i], "--message-id")) {
      m.message_id = argv[i + 1];
    } else if (!std::strcmp(argv[i], "--in-reply-to")) {
      m.in_reply_to = argv[i + 1];
    } else if (!std::strcmp(argv[i], "--subject")) {  // visible (default) or hidden
      m.hide_subject = !std::strcmp(argv[i + 1], "hidden");
    } else if (!std::strcmp(argv[i], "--auto-submitted")) {
      m.auto_submitted = argv[i + 1];
    }
  }
  auto r = crypto::compose(argv[1], m);
  if (!r) {
    std::fprintf(stderr, "compose_driver: %s\n", r.err().message().c_str());
    return exit_code(r.err().kind);
  }
  std::cout << r->bytes;
  return 0;
}
