// cmd_inspect.cpp: `vmt inspect FILE`: the inbound verdict of one message (encrypted? signed, by
// whom, over what? which parts? quarantined, why?) without filing anything.
//
// SECURITY: prints no decrypted text unless --show-body is given (the subject of an encrypted
// message counts as text: shown only with --show-body too). Nothing is logged.
#include <sys/resource.h>

#include <chrono>
#include <fstream>
#include <iostream>

#include "cli.h"
#include "intake/analysis.h"

namespace vmt::cli {

namespace {

// Read at most `limit` bytes of `path` (a larger file is judged "too-large" by analyze()).
result<std::string> read_bounded(const std::string& path, std::size_t limit) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return make_error(failure::no_input, path, "cannot open the message file", "check the path");
  std::string data;
  f.seekg(0, std::ios::end);
  auto size = f.tellg();
  f.seekg(0, std::ios::beg);
  if (size > 0) data.reserve(std::min<std::size_t>(static_cast<std::size_t>(size), limit + 1));
  char buf[1 << 16];
  while (f && data.size() <= limit) {
    f.read(buf, sizeof buf);
    data.append(buf, static_cast<std::size_t>(f.gcount()));
  }
  if (f.bad()) return make_error(failure::io, path, "read error");
  return data;
}

void print_text(const std::string& file, const intake::analysis& a, bool show_body) {
  std::cout << file << ":\n";
  std::cout << "  readable:   " << (a.readable ? "yes" : "no, quarantine (" + a.quarantine_reason + ")")
            << "\n";
  std::cout << "  encrypted:  " << (a.encrypted ? "yes" : "no") << (a.mixed ? " (mixed content)" : "")
            << ", decryption " << intake::to_string(a.decrypt) << "\n";
  std::cout << "  signature:  " << intake::to_string(a.signature.status);
  if (!a.signature.fingerprint.empty())
    std::cout << " by " << a.signature.fingerprint << " (" << a.signature.trust << ")";
  if (a.signature.status == intake::sig_status::valid)
    std::cout << (a.signature.matches_from ? ", matches From " + a.signature.uid_email
                                           : ", does NOT match From");
  std::cout << "\n  from:       ";
  for (const auto& m : a.from.mailboxes) std::cout << "<" << m.addr << "> ";
  std::cout << (a.from.well_formed ? "(well-formed)" : "(not a single well-formed mailbox)") << "\n";
  std::cout << "  message-id: " << a.message_id << "\n";
  std::cout << "  parts:\n";
  for (const auto& p : a.parts)
    std::cout << "    " << p.path << " " << p.content_type << " " << p.size << " bytes"
              << (p.encrypted ? " encrypted" : "") << (p.is_signed ? " signed" : "") << "\n";
  std::cout << "  flags:     ";
  for (const auto& f : a.flags) std::cout << " " << f;
  std::cout << "\n";
  if (show_body)
    std::cout << "  subject:    " << a.subject << "\n--- body ---\n"
              << a.body << "\n--- plain (unencrypted, beside) ---\n"
              << a.plain << "\n";
}

}  // namespace

void register_inspect_commands(CLI::App& app, context& ctx) {
  auto* cmd = app.add_subcommand("inspect", "show the inbound verdict of a message file (nothing is filed)");
  auto file = std::make_shared<std::string>();
  auto home = std::make_shared<std::string>();
  auto show_body = std::make_shared<bool>(false);
  auto stats = std::make_shared<bool>(false);
  cmd->add_option("file", *file, "the raw message (RFC 5322)")->required();
  cmd->add_option("--gnupg-home", *home, "GnuPG home holding the keys (default: gnupg_home of vmt.yaml)");
  cmd->add_flag("--json", ctx.json, "print the verdict as JSON");
  cmd->add_flag("--show-body", *show_body,
                "also print the subject and the decrypted text (careful: embargoed)");
  cmd->add_flag("--stats", *stats, "add elapsed_ms and max_rss_kb to the JSON output");
  on_run(cmd, [&ctx, file, home, show_body, stats]() -> status {
    auto started = std::chrono::steady_clock::now();
    intake::options opt;
    opt.gnupg_home = *home;
    if (opt.gnupg_home.empty() || ctx.config_option.size()) {
      auto c = ctx.cfg();
      if (!c && opt.gnupg_home.empty()) return c.err();
      if (c) {
        if (opt.gnupg_home.empty()) opt.gnupg_home = (*c)->path((*c)->gnupg_home);
        const auto& l = (*c)->limits;
        opt.limits = {l.max_message_bytes, l.max_header_bytes, l.max_line_bytes, l.max_mime_depth,
                      l.max_mime_parts};
      }
    }
    VMT_TRY(raw, read_bounded(*file, opt.limits.max_message_bytes));
    VMT_TRY(a, intake::analyze(raw, opt));
    if (!ctx.json) {
      print_text(*file, a, *show_body);
      return ok_v;
    }
    auto j = nlohmann::json::parse(intake::verdict_json(a));
    j["file"] = *file;
    if (*show_body) {
      j["subject"] = a.subject;
      j["body"] = a.body;
      j["plain"] = a.plain;
    }
    if (*stats) {
      struct rusage ru;
      ::getrusage(RUSAGE_SELF, &ru);
      j["max_rss_kb"] = ru.ru_maxrss;
      j["elapsed_ms"] =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
              .count();
    }
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return ok_v;
  });
}

}  // namespace vmt::cli
