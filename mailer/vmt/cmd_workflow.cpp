// cmd_workflow.cpp: the coordinator's verbs from confirmation to release: confirm, challenge,
// classify, won't-fix, invalid, patch, describe, review, cve-request, cve-assign, notify,
// subscribe, disclose, publish, release, end-embargo, terms. (`schedule CASE` is in
// cmd_process.cpp beside `schedule --from`.) The work is done in lib/workflow; this file only
// maps options to calls and results to output.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli.h"
#include "core/fs.h"
#include "workflow/conversation.h"
#include "workflow/disclosure.h"
#include "workflow/watchdog.h"
#include "workflow/workflow.h"

extern char** environ;

namespace vmt::cli {

namespace {

// Run the coordinator's editor on `path` and wait for it.
status edit(const std::string& path) {
  const char* editor = std::getenv("VISUAL");
  if (!editor || !*editor) editor = std::getenv("EDITOR");
  if (!editor || !*editor) editor = "vi";
  std::string cmd = std::string(editor) + " \"$1\"";
  const char* argv[] = {"/bin/sh", "-c", cmd.c_str(), "vmt-editor", path.c_str(), nullptr};
  pid_t pid;
  if (posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ) != 0)
    return make_error(failure::os, editor, "cannot start the editor", "set $EDITOR");
  int st = 0;
  ::waitpid(pid, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
    return make_error(failure::unavailable, editor, "the editor failed; nothing saved", "run vmt describe again");
  return ok_v;
}

status print_case_status(context& ctx, const std::string& id, const std::string& what) {
  VMT_TRY(s, ctx.work());
  VMT_TRY(c, s->load(id));
  if (ctx.json) {
    print_json({{"id", c.id}, {"ossa_status", c.ossa_status}, {"private", c.is_private}, {"class", c.klass},
                {"cve", c.cve}, {"disclosure_at", c.disclosure_at}, {"title", c.title}});
  } else {
    std::printf("%s: %s (ossa task %s)\n", id.c_str(), what.c_str(), c.ossa_status.c_str());
  }
  return ok_v;
}

struct args {
  std::string id, reason, klass, file, branch, attachment, by, title, credit, affects, prose, cve, email, name,
      tracker_name, key, at, advisory, text, deadline;
  std::int64_t message = 0, patch = 0;
  bool hardening = false, print = false, force = false;
};

}  // namespace

void register_workflow_commands(CLI::App& app, context& ctx) {
  static args a;
  auto json_flag = [&ctx](CLI::App* c) { c->add_flag("--json", ctx.json, "print JSON"); };
  auto case_arg = [](CLI::App* c) { c->add_option("CASE", a.id, "case id")->required(); };

  auto* confirm = app.add_subcommand("confirm", "the VMT confirms an OSSA is warranted (Progress/Confirmed)");
  case_arg(confirm);
  json_flag(confirm);
  on_run(confirm, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    VMT_TRY_STATUS(workflow::confirm(*s, a.id));
    return print_case_status(ctx, a.id, "confirmed");
  });

  auto* challenge = app.add_subcommand("challenge", "the need for an OSSA is challenged: back to Todo/Incomplete");
  case_arg(challenge);
  challenge->add_option("--reason", a.reason, "why");
  json_flag(challenge);
  on_run(challenge, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    VMT_TRY_STATUS(workflow::challenge(*s, a.id, a.reason));
    return print_case_status(ctx, a.id, "challenged");
  });

  auto* classify = app.add_subcommand("classify", "record the report's class (A, B1, B2, B3, C1, C2, D, E, Y, Z)");
  case_arg(classify);
  classify->add_option("CLASS", a.klass, "taxonomy class")->required();
  json_flag(classify);
  on_run(classify, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    VMT_TRY(cls, workflow::classify(*s, a.id, a.klass));
    if (ctx.json)
      print_json({{"id", a.id}, {"class", cls.klass}, {"outcome", cls.outcome}, {"description", cls.description},
                  {"advice", cls.advice}});
    else
      std::printf("%s: class %s (%s): %s\n  next: %s\n", a.id.c_str(), cls.klass.c_str(), cls.outcome.c_str(),
                  cls.description.c_str(), cls.advice.c_str());
    return ok_v;
  });

  for (auto [name, verb] : {std::pair{"won't-fix", process::verb::wont_fix}, std::pair{"invalid", process::verb::invalid}}) {
    auto* close = app.add_subcommand(name, "no OSSA and no benefit to an OSSN: close the task; the bug goes public");
    if (std::string(name) == "won't-fix") close->alias("wont-fix");
    case_arg(close);
    close->add_flag("--hardening", a.hardening, "tag the bug as a security hardening opportunity");
    close->add_option("--reason", a.reason, "why");
    json_flag(close);
    on_run(close, [&ctx, verb = verb]() -> status {
      VMT_TRY(s, ctx.work());
      VMT_TRY_STATUS(workflow::close_without_advisory(*s, a.id, verb, a.hardening, a.reason));
      return print_case_status(ctx, a.id, "closed, the bug is public");
    });
  }

  auto* patch = app.add_subcommand("patch", "privately developed patches");
  patch->require_subcommand(1);
  auto* padd = patch->add_subcommand("add", "attach a patch to the case and its private bug");
  case_arg(padd);
  padd->add_option("FILE", a.file, "the patch file (or --message/--attachment)");
  padd->add_option("--branch", a.branch, "the branch it is for (master, 2025.1/epoxy, ...)")->required();
  padd->add_option("--message", a.message, "take it from this message of the case (id from vmt show --json)");
  padd->add_option("--attachment", a.attachment, "the attachment's file name in that message");
  json_flag(padd);
  on_run(padd, [&ctx]() -> status {
    if (a.file.empty() && (a.message == 0 || a.attachment.empty()))
      return status(make_error(failure::usage, "patch add", "give FILE, or --message N --attachment NAME"));
    VMT_TRY(s, ctx.work());
    VMT_TRY(p, workflow::add_patch(*s, a.id, {a.file, a.message, a.attachment}, a.branch));
    if (ctx.json) print_json({{"id", p.id}, {"branch", p.branch}, {"filename", p.filename}, {"sha256", p.sha256}});
    else std::printf("%s: patch %lld (%s) for %s\n", a.id.c_str(), static_cast<long long>(p.id), p.filename.c_str(), p.branch.c_str());
    return status(ok_v);
  });
  auto* papprove = patch->add_subcommand("approve", "record a core reviewer's pre-approval");
  case_arg(papprove);
  papprove->add_option("PATCH", a.patch, "patch number")->required();
  papprove->add_option("--by", a.by, "the reviewer")->required();
  on_run(papprove, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    VMT_TRY_STATUS(workflow::approve_patch(*s, a.id, a.patch, a.by));
    std::printf("%s: patch %lld pre-approved by %s\n", a.id.c_str(), static_cast<long long>(a.patch), a.by.c_str());
    return status(ok_v);
  });
  auto* pmerged = patch->add_subcommand("merged", "record that a patch merged on its branch");
  case_arg(pmerged);
  pmerged->add_option("PATCH", a.patch, "patch number")->required();
  on_run(pmerged, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    VMT_TRY_STATUS(workflow::patch_merged(*s, a.id, a.patch));
    std::printf("%s: patch %lld merged\n", a.id.c_str(), static_cast<long long>(a.patch));
    return status(ok_v);
  });
  auto* plist = patch->add_subcommand("list", "the case's patches");
  case_arg(plist);
  json_flag(plist);
  on_run(plist, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    VMT_TRY(c, s->load(a.id));
    VMT_TRY(patches, s->st.case_patches(a.id));
    const auto* project = s->cfg.find_project(c.project);
    auto arr = nlohmann::json::array();
    for (const auto& p : patches) {
      auto mail_name = workflow::valid_cve_id(c.cve) ? workflow::patch_mail_name(c.cve, p.branch, project) : std::string();
      arr.push_back({{"id", p.id}, {"branch", p.branch}, {"filename", p.filename}, {"mail_name", mail_name},
                     {"approved_by", p.approved_by}, {"merged", !p.merged_at.empty()}});
      if (!ctx.json)
        std::printf("%-4lld %-20s %-30s %s%s\n", static_cast<long long>(p.id), p.branch.c_str(), p.filename.c_str(),
                    p.approved_by.empty() ? "not approved" : ("approved by " + p.approved_by).c_str(),
                    p.merged_at.empty() ? "" : ", merged");
    }
    if (ctx.json) print_json(arr);
    return status(ok_v);
  });

  auto* describe = app.add_subcommand("describe", "draft the impact description and edit it in $EDITOR");
  case_arg(describe);
  describe->add_option("--title", a.title, "$TITLE");
  describe->add_option("--credit", a.credit, "$CREDIT: who reported it (and their affiliation)");
  describe->add_option("--affects", a.affects, "$AFFECTED_VERSIONS (see vmt versions)");
  describe->add_option("--prose", a.prose, "the description prose");
  describe->add_flag("--print", a.print, "print the draft and change nothing");
  describe->add_option("--file", a.file, "save this file as the description instead of editing");
  on_run(describe, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    std::string text;
    if (!a.file.empty()) {
      VMT_TRY(t, fs::read_file(a.file, 1 << 20));
      text = t;
    } else {
      VMT_TRY(draft, workflow::draft_description(*s, a.id, {a.title, a.credit, a.affects, a.prose}));
      if (a.print || !::isatty(STDIN_FILENO)) {
        std::fputs(draft.c_str(), stdout);
        if (!a.print) std::fprintf(stderr, "vmt: not a terminal: edit this draft and save it with --file\n");
        return status(ok_v);
      }
      // The draft holds embargoed detail: it stays in the team folder (0700), never in /tmp.
      auto dir = s->cfg.path("drafts");
      VMT_TRY_STATUS(fs::make_private_dir(dir));
      auto path = dir + "/" + a.id + "-description.txt";
      VMT_TRY_STATUS(fs::write_file_atomic(path, draft));
      VMT_TRY_STATUS(edit(path));
      VMT_TRY(t, fs::read_file(path, 1 << 20));
      text = t;
      ::unlink(path.c_str());
    }
    VMT_TRY_STATUS(workflow::save_description(*s, a.id, text));
    std::printf("%s: impact description saved and posted on the private bug\n", a.id.c_str());
    return status(ok_v);
  });

  auto* review = app.add_subcommand(
      "review", "send the impact description, encrypted, to the reporter and the PTL for review (Review/Triaged)");
  case_arg(review);
  review->add_option("--approved-by", a.by, "record an answer instead: who approved it (address, reporter or ptl)");
  review->add_option("--note", a.reason, "with --approved-by: what they said");
  json_flag(review);
  on_run(review, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    if (!a.by.empty()) {
      VMT_TRY_STATUS(workflow::record_review(*s, a.id, a.by, a.reason));
      return print_case_status(ctx, a.id, "review by " + a.by + " recorded");
    }
    VMT_TRY(r, workflow::request_review(*s, a.id));
    if (!ctx.json) {
      for (const auto& m : r.mails)
        std::printf("%s: description %s to %s (signed, encrypted)\n", a.id.c_str(), m.fresh ? "sent" : "already sent",
                    m.recipients.front().c_str());
      for (const auto& n : r.not_sent) std::printf("%s: NOT sent to %s\n", a.id.c_str(), n.c_str());
    }
    return print_case_status(ctx, a.id, "impact description submitted for review");
  });

  auto* reply = app.add_subcommand("reply", "answer a follow-up of the case by mail (signed, encrypted to them)");
  case_arg(reply);
  reply->add_option("MESSAGE", a.message, "the follow-up's message number (vmt show CASE --json)")->required();
  reply->add_option("--text", a.text, "the answer");
  reply->add_option("--file", a.file, "the answer, from a file");
  reply->add_flag("--no-detail", a.hardening,
                  "the answer holds nothing of the report: sent signed only, to anyone (e.g. asking who they are)");
  json_flag(reply);
  on_run(reply, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    std::string body = a.text;
    if (!a.file.empty()) {
      VMT_TRY(t, fs::read_file(a.file, 1 << 20));
      body = t;
    }
    VMT_TRY(m, workflow::reply(*s, a.id, a.message, body, !a.hardening));
    if (ctx.json) print_json({{"id", a.id}, {"message_id", m.message_id}, {"recipients", m.recipients}, {"encrypted_to", m.keys}});
    else std::printf("%s: answer %s to %s%s\n", a.id.c_str(), m.fresh ? "queued" : "already queued",
                     m.recipients.front().c_str(), m.keys.empty() ? " (signed)" : " (signed, encrypted)");
    return status(ok_v);
  });

  auto* answered = app.add_subcommand("answered", "a follow-up was answered another way: vmt check stops listing it");
  case_arg(answered);
  answered->add_option("MESSAGE", a.message, "the follow-up's message number")->required();
  answered->add_option("--note", a.reason, "how it was answered");
  on_run(answered, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    VMT_TRY_STATUS(workflow::mark_answered(*s, a.id, a.message, a.reason));
    std::printf("%s: message %lld marked answered\n", a.id.c_str(), static_cast<long long>(a.message));
    return status(ok_v);
  });

  auto* dismiss = app.add_subcommand("dismiss", "close a case that is no report (spam, our own mail come back): nothing is made public");
  case_arg(dismiss);
  dismiss->add_option("--reason", a.reason, "why (spam, loop, duplicate of CASE)")->required();
  json_flag(dismiss);
  on_run(dismiss, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    VMT_TRY_STATUS(workflow::dismiss(*s, a.id, a.reason));
    return print_case_status(ctx, a.id, "dismissed; nothing was made public");
  });

  auto* cvereq = app.add_subcommand("cve-request", "fill MITRE's CVE request form from the case (In Progress)");
  case_arg(cvereq);
  json_flag(cvereq);
  on_run(cvereq, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    VMT_TRY(r, workflow::cve_request(*s, a.id));
    if (ctx.json) {
      auto fields = nlohmann::json::array();
      for (const auto& f : r.fields) fields.push_back({{"name", f.name}, {"value", f.value}});
      print_json({{"id", a.id}, {"fields", fields}, {"draft", r.draft_path}});
      return status(ok_v);
    }
    tmpl::dictionary d;
    d.set("CASE_ID", a.id).set("DRAFT", r.draft_path);
    for (const auto& f : r.fields) d.add("FIELD").set("NAME", f.name).set("VALUE", f.value);
    VMT_TRY(out, s->templates.render("workflow/cve-request.tpl", d));
    std::fputs(out.c_str(), stdout);
    return status(ok_v);
  });

  auto* cveassign = app.add_subcommand("cve-assign", "record the CVE MITRE assigned; link it and retitle the bug");
  case_arg(cveassign);
  cveassign->add_option("CVE", a.cve, "CVE-YYYY-NNNN")->required();
  cveassign->add_flag("--replace", a.force, "replace a CVE recorded in error (those already told get a correction)");
  cveassign->add_option("--reason", a.reason, "with --replace: why (sent to those already told)");
  json_flag(cveassign);
  on_run(cveassign, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    if (a.force && a.reason.empty())
      return status(make_error(failure::usage, "cve-assign --replace", "needs --reason", "say why the CVE changes"));
    VMT_TRY_STATUS(workflow::cve_assign(*s, a.id, a.cve, a.force ? a.reason : std::string()));
    return print_case_status(ctx, a.id, a.cve + " assigned");
  });

  auto* notify = app.add_subcommand("notify", "send [pre-OSSA] to the stakeholders and [vs] to linux-distros");
  case_arg(notify);
  json_flag(notify);
  on_run(notify, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    VMT_TRY(r, workflow::notify(*s, a.id));
    auto arr = nlohmann::json::array();
    for (const auto& m : r.mails) {
      arr.push_back({{"message_id", m.message_id}, {"recipients", m.recipients}, {"encrypted_to", m.keys}, {"new", m.fresh}});
      if (!ctx.json) {
        std::string who;
        for (const auto& x : m.recipients) who += x + " ";
        std::printf("%s %s%s\n", m.fresh ? "queued" : "already queued", who.c_str(),
                    m.keys.empty() ? "(signed)" : "(signed, encrypted)");
      }
    }
    if (ctx.json) print_json({{"id", a.id}, {"mails", arr}});
    return status(ok_v);
  });

  auto* subscribe = app.add_subcommand("subscribe", "give a stakeholder who asked access to the case and the bug");
  case_arg(subscribe);
  subscribe->add_option("EMAIL", a.email, "their address");
  subscribe->add_option("--name", a.name, "their name");
  subscribe->add_option("--tracker-name", a.tracker_name, "their tracker user name, to subscribe to the bug");
  subscribe->add_option("--key", a.key, "their key's fingerprint: embargoed mail to them is encrypted");
  on_run(subscribe, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    VMT_TRY_STATUS(workflow::subscribe(*s, a.id, {a.email, a.name, a.tracker_name, a.key}));
    std::printf("%s: %s subscribed\n", a.id.c_str(), (a.email.empty() ? a.tracker_name : a.email).c_str());
    return status(ok_v);
  });

  auto* disclose = app.add_subcommand("disclose", "the disclosure hour: open the bug, retitle it [OSSA-NUM] TITLE");
  case_arg(disclose);
  disclose->add_option("--at", a.at, "stage it for this UTC time (YYYY-MM-DDTHH:MM:SSZ); vmt check runs it");
  disclose->add_flag("--force", a.force, "before the scheduled hour (the embargo is already broken)");
  json_flag(disclose);
  on_run(disclose, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    VMT_TRY(r, workflow::disclose(*s, a.id, a.at, a.force));
    if (ctx.json) {
      print_json({{"id", a.id}, {"staged", r.staged}, {"at", r.at}, {"publication_form", r.publication_form}});
    } else {
      std::printf("%s: %s\n\n%s", a.id.c_str(), r.staged ? ("disclosure staged for " + r.at).c_str() : "disclosed",
                  r.publication_form.c_str());
    }
    return status(ok_v);
  });

  auto* publish = app.add_subcommand("publish", "send the signed [OSSA-NUM] announcement to the announcement lists");
  case_arg(publish);
  publish->add_option("--advisory", a.advisory, "the advisory YAML (default: advisories/ADVISORY_ID.yaml)");
  publish->add_option("--at", a.at, "stage it for this UTC time (the disclosure hour); vmt check sends it then");
  json_flag(publish);
  on_run(publish, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    VMT_TRY(r, workflow::publish(*s, a.id, a.advisory, a.at));
    auto arr = nlohmann::json::array();
    for (const auto& m : r.mails) {
      arr.push_back({{"message_id", m.message_id}, {"recipients", m.recipients}, {"new", m.fresh}});
      if (!ctx.json) std::printf("%s %s\n", m.fresh ? "queued" : "already queued", m.recipients.front().c_str());
    }
    if (ctx.json) print_json({{"id", a.id}, {"staged", r.staged}, {"at", r.at}, {"mails", arr}});
    else if (r.staged)
      std::printf("%s: announcement staged for %s: rendered, signed and queued then (vmt check)\n", a.id.c_str(),
                  r.at.c_str());
    return status(ok_v);
  });

  auto* release = app.add_subcommand("release", "every patch merged: Merged/Fix Released");
  case_arg(release);
  json_flag(release);
  on_run(release, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    VMT_TRY_STATUS(workflow::release(*s, a.id));
    return print_case_status(ctx, a.id, "released");
  });

  auto* end = app.add_subcommand("end-embargo", "end the embargo early and switch to the public workflow");
  case_arg(end);
  end->add_option("--reason", a.reason, "why (details leaked, the fix needs the open)")->required();
  json_flag(end);
  on_run(end, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    VMT_TRY_STATUS(workflow::end_embargo(*s, a.id, a.reason));
    return print_case_status(ctx, a.id, "embargo ended, the case is public");
  });

  auto* check = app.add_subcommand("check", "the watchdog (cron, systemd timer): run what is due, flag what needs a person");
  check->add_flag("--dry-run", a.print, "report only: run nothing, mail nobody");
  json_flag(check);
  on_run(check, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    workflow::check_options o;
    o.dry_run = a.print;
    o.flush_outbox = outbox_flusher(ctx);
    VMT_TRY(report, workflow::check(*s, o));
    auto arr = nlohmann::json::array();
    for (const auto& i : report.items) {
      arr.push_back({{"case", i.case_id}, {"kind", i.kind}, {"message", i.message}, {"action_due", i.action_due}});
      if (!ctx.json) std::printf("%-14s %-17s %s\n", i.case_id.empty() ? "-" : i.case_id.c_str(), i.kind.c_str(), i.message.c_str());
    }
    if (ctx.json) print_json({{"action_due", report.action_due()}, {"items", arr}});
    if (report.action_due())
      return make_error(failure::action_due, "vmt check", "action is due (see above)");
    return ok_v;
  });

  auto* terms = app.add_subcommand("terms", "record the reporter's own disclosure terms (they prevail)");
  case_arg(terms);
  terms->add_option("--text", a.text, "the terms, as the reporter put them");
  terms->add_option("--deadline", a.deadline, "the reporter's disclosure date, YYYY-MM-DD");
  on_run(terms, [&ctx]() -> status {
    VMT_TRY(s, ctx.work());
    VMT_TRY_STATUS(workflow::set_reporter_terms(*s, a.id, a.text, a.deadline));
    VMT_TRY(c, s->load(a.id));
    std::printf("%s: terms recorded; the embargo ends %s\n", a.id.c_str(), c.embargo_end.c_str());
    return status(ok_v);
  });
}

}  // namespace vmt::cli
