// cmd_keys.cpp: vmt keys import/list/check: the team's keys as verbs, not gpg command lines to
// remember. The judging is in lib/workflow/keys.h; this file reads arguments and prints.
#include <algorithm>
#include <cstdio>

#include "cli.h"
#include "core/clock.h"
#include "core/fs.h"
#include "core/text.h"
#include "crypto/keys.h"
#include "workflow/keys.h"

namespace vmt::cli {

namespace {

std::string date_of(long long t) {
  if (t <= 0) return "never";
  return clock::iso_date(std::chrono::floor<std::chrono::days>(clock::seconds{std::chrono::seconds{t}}));
}

// Who uses the key `fpr` in this configuration ("coordinator alice@...").
std::vector<std::string> uses_of(const config::config& cfg, const crypto::key_info& k) {
  std::vector<std::string> out;
  for (const auto& u : workflow::configured_key_uses(cfg)) {
    bool by_fpr = !u.fingerprint.empty() && u.fingerprint == k.fingerprint;
    bool by_email = u.fingerprint.empty() && !u.email.empty() &&
                    std::find(k.emails.begin(), k.emails.end(), text::lower(u.email)) != k.emails.end();
    if (by_fpr || by_email) out.push_back(u.role + (u.email.empty() ? "" : " " + u.email));
  }
  return out;
}

status import(context& ctx, const std::string& file, const std::string& mail) {
  VMT_TRY(cfg, ctx.cfg());
  std::string data;
  if (!mail.empty()) {
    VMT_TRY(raw, fs::read_file(mail, 16u << 20));
    data = workflow::keys_in_mail(raw);
    if (data.empty())
      return make_error(failure::data, mail, "carries no OpenPGP public key (no application/pgp-keys part, no "
                                             "armored key block)",
                        "ask the sender to attach their public key; an encrypted mail: save the key from vmt show CASE --text");
  } else {
    VMT_TRY(bytes, fs::read_file(file, 16u << 20));
    data = bytes;
  }
  const auto home = cfg->path(cfg->gnupg_home);
  VMT_TRY(fprs, crypto::import_keys(home, data));
  if (fprs.empty())
    return make_error(failure::data, mail.empty() ? file : mail, "no key could be imported from it",
                      "check that it is an OpenPGP key (gpg --show-keys FILE)");
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : fprs) {
    VMT_TRY(k, crypto::find_key(home, f));
    if (!k) continue;
    auto uses = uses_of(*cfg, *k);
    out.push_back({{"fingerprint", k->fingerprint}, {"uids", k->uids}, {"expires", date_of(k->expires)}, {"used_as", uses}});
    if (!ctx.json)
      std::printf("imported %s  %s  expires %s%s\n", k->fingerprint.c_str(), k->uids.empty() ? "" : k->uids.front().c_str(),
                  date_of(k->expires).c_str(), uses.empty() ? "  (not configured for anyone yet)" : "");
    for (const auto& u : uses)
      if (!ctx.json) std::printf("  used as %s\n", u.c_str());
  }
  if (ctx.json) print_json({{"imported", out}});
  return ok_v;
}

status list(context& ctx) {
  VMT_TRY(cfg, ctx.cfg());
  VMT_TRY(keys, crypto::all_keys(cfg->path(cfg->gnupg_home)));
  nlohmann::json out = nlohmann::json::array();
  for (const auto& k : keys) {
    auto uses = uses_of(*cfg, k);
    std::string flags = k.revoked ? "revoked" : k.expired ? "expired" : !k.usable_for_encryption() ? "sign-only" : "ok";
    out.push_back({{"fingerprint", k.fingerprint}, {"uids", k.uids}, {"secret", k.has_secret},
                   {"expires", date_of(k.expires)}, {"state", flags}, {"used_as", uses}});
    if (ctx.json) continue;
    std::printf("%s  %-9s expires %-10s %s%s\n", k.fingerprint.c_str(), flags.c_str(), date_of(k.expires).c_str(),
                k.uids.empty() ? "" : k.uids.front().c_str(), k.has_secret ? "  [secret]" : "");
    for (const auto& u : uses) std::printf("    used as %s\n", u.c_str());
  }
  if (ctx.json) print_json(out);
  return ok_v;
}

status check(context& ctx, long days) {
  VMT_TRY(cfg, ctx.cfg());
  VMT_TRY(findings, workflow::check_keys(*cfg, days));
  int problems = 0;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : findings) {
    if (f.state != workflow::key_state::ok) ++problems;
    out.push_back({{"role", f.use.role}, {"name", f.use.name}, {"email", f.use.email},
                   {"fingerprint", f.fingerprint.empty() ? f.use.fingerprint : f.fingerprint},
                   {"state", workflow::to_string(f.state)}, {"expires", f.expires.empty() ? "never" : f.expires},
                   {"what", f.what}, {"fix", f.fix}});
    if (ctx.json || f.state == workflow::key_state::ok) continue;
    std::printf("%-9s %s\n          fix: %s\n", workflow::to_string(f.state), f.what.c_str(), f.fix.c_str());
  }
  if (ctx.json) print_json({{"within_days", days}, {"problems", problems}, {"keys", out}});
  else if (problems == 0) std::printf("%zu keys checked: all present, usable and valid beyond %ld days\n", findings.size(), days);
  if (problems > 0)
    return make_error(failure::action_due, "vmt keys check", std::to_string(problems) + " key problem(s) (see above)");
  return ok_v;
}

}  // namespace

void register_keys_commands(CLI::App& app, context& ctx) {
  auto* keys = app.add_subcommand("keys", "the team's OpenPGP keys: import, list, check");
  keys->require_subcommand(1);

  auto* imp = keys->add_subcommand("import", "import a public (or the team's secret) key into the team's keyring");
  static std::string file, mail;
  imp->add_option("FILE", file, "the key (armored or binary)");
  imp->add_option("--from-mail", mail, "a mail file carrying the key (attached or pasted)");
  imp->add_flag("--json", ctx.json, "print JSON");
  on_run(imp, [&ctx] {
    if (file.empty() == mail.empty())
      return status(make_error(failure::usage, "vmt keys import", "give FILE or --from-mail MESSAGE (one of them)"));
    return import(ctx, file, mail);
  });

  auto* ls = keys->add_subcommand("list", "every key of the team's keyring: expiry, and who uses it");
  ls->add_flag("--json", ctx.json, "print JSON");
  on_run(ls, [&ctx] { return list(ctx); });

  auto* chk = keys->add_subcommand("check", "every configured party's key: present, usable, not expiring (exit 1: problems)");
  static long days = 30;
  chk->add_option("--days", days, "report keys expiring within this many days (default 30)");
  chk->add_flag("--json", ctx.json, "print JSON");
  on_run(chk, [&ctx] { return check(ctx, days); });
}

}  // namespace vmt::cli
