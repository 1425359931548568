// cmd_case.cpp: setting up a team folder and reading cases: vmt init, list, show, set-project,
// quarantine list/retry, spool resume.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli.h"
#include "core/clock.h"
#include "core/fs.h"
#include "crypto/compose.h"
#include "crypto/keys.h"
#include "intake/reception.h"
#include "tmpl/tmpl.h"
#include "tracker/local.h"
#include "tracker/tracker.h"
#include "transport/outbox.h"

namespace vmt::cli {

namespace {

nlohmann::json case_json(store::store& st, const store::case_record& c, bool full) {
  nlohmann::json j;
  j["id"] = c.id;
  j["title"] = c.title;
  j["project"] = c.project;
  j["private"] = c.is_private;
  j["ossa_status"] = c.ossa_status;
  j["class"] = c.klass.empty() ? nullptr : nlohmann::json(c.klass);
  j["embargo_end"] = c.embargo_end;
  j["tracker_bug"] = c.tracker_bug.empty() ? nullptr : nlohmann::json(c.tracker_bug);
  j["tracker_url"] = c.tracker_url.empty() ? nullptr : nlohmann::json(c.tracker_url);
  j["encrypted"] = c.encrypted;
  j["signature"] = {{"status", c.sig_status},
                    {"fingerprint", c.sig_fingerprint.empty() ? nullptr : nlohmann::json(c.sig_fingerprint)},
                    {"trust", c.sig_trust.empty() ? nullptr : nlohmann::json(c.sig_trust)},
                    {"matches_from", c.sig_matches_from}};
  j["reporter"] = {{"name", c.reporter_name},
                   {"email", c.reporter_email},
                   {"fingerprint", c.reporter_fingerprint.empty() ? nullptr : nlohmann::json(c.reporter_fingerprint)}};
  j["cve"] = c.cve.empty() ? nullptr : nlohmann::json(c.cve);
  j["advisory_id"] = c.advisory_id.empty() ? nullptr : nlohmann::json(c.advisory_id);
  j["disclosure_at"] = c.disclosure_at.empty() ? nullptr : nlohmann::json(c.disclosure_at);
  j["disclosed_at"] = c.disclosed_at.empty() ? nullptr : nlohmann::json(c.disclosed_at);
  j["created_at"] = c.created_at;
  if (!full) return j;
  auto msgs = st.case_messages(c.id);
  j["messages"] = msgs ? msgs->size() : 0;
  nlohmann::json ml = nlohmann::json::array();
  if (msgs)
    for (const auto& m : *msgs) {
      auto verdict = nlohmann::json::parse(m.verdict.empty() ? "{}" : m.verdict, nullptr, false);
      auto atts = nlohmann::json::array();
      if (auto a = st.message_attachments(m.row))
        for (const auto& x : *a)
          atts.push_back({{"filename", x.filename}, {"content_type", x.content_type}, {"encrypted", x.encrypted},
                          {"size", x.data.size()}});
      ml.push_back({{"id", m.row},
                    {"message_id", m.message_id},
                    {"received_at", m.received_at},
                    {"from", m.from_addr},
                    {"encrypted", m.encrypted},
                    {"mixed", m.mixed},
                    {"signature", m.sig_status},
                    {"state", m.state},
                    {"answered", m.answered_at.empty() ? nlohmann::json(nullptr)
                                                       : nlohmann::json({{"at", m.answered_at}, {"by", m.answered_by}})},
                    {"attachments", atts},
                    {"verdict", verdict.is_discarded() ? nlohmann::json::object() : verdict}});
    }
  j["message_list"] = ml;
  nlohmann::json ev = nlohmann::json::array();
  if (auto events = st.case_events(c.id))
    for (const auto& e : *events)
      ev.push_back({{"at", e.at},
                    {"kind", e.kind},
                    {"actor", e.actor},
                    {"summary", e.summary},
                    {"recipients", e.recipients},
                    {"keys", e.keys},
                    {"message_id", e.message_id.empty() ? nullptr : nlohmann::json(e.message_id)}});
  j["events"] = ev;
  return j;
}

// The ledger as a timeline: who was told what, when, encrypted to which key (vmt show, vmt log).
void print_timeline(const nlohmann::json& events) {
  for (const auto& e : events) {
    std::printf("  %s  %-12s %s\n", e["at"].get<std::string>().c_str(), e["kind"].get<std::string>().c_str(),
                e["summary"].get<std::string>().c_str());
    if (!e["recipients"].empty()) {
      std::string who;
      for (const auto& x : e["recipients"]) who += (who.empty() ? "" : ", ") + x.get<std::string>();
      std::printf("  %20s told: %s\n", "", who.c_str());
    }
    if (!e["keys"].empty()) {
      std::string keys;
      for (const auto& x : e["keys"]) keys += (keys.empty() ? "" : ", ") + x.get<std::string>();
      std::printf("  %20s encrypted to: %s\n", "", keys.c_str());
    }
  }
}

// The decrypted text of each message of the case (vmt show --text).
void print_messages(store::store& st, const std::string& id) {
  auto msgs = st.case_messages(id);
  if (!msgs) return;
  for (const auto& m : *msgs) {
    std::printf("\n---- message %s from %s, %s ----\n", m.message_id.c_str(), m.from_addr.c_str(), m.received_at.c_str());
    if (!m.body.empty()) std::printf("%s\n", m.body.c_str());
    if (!m.plain.empty())
      std::printf("---- NOT ENCRYPTED text beside the encrypted part (not part of the report) ----\n%s\n", m.plain.c_str());
  }
}

void print_case(const nlohmann::json& j, store::store& st, const std::string& id, bool text) {
  auto opt = [](const nlohmann::json& v) { return v.is_null() ? std::string("-") : v.get<std::string>(); };
  std::printf("%s  %s\n", j["id"].get<std::string>().c_str(), j["title"].get<std::string>().c_str());
  std::printf("  project:      %s\n", j["project"].get<std::string>().c_str());
  std::printf("  status:       %s%s\n", j["ossa_status"].get<std::string>().c_str(),
              j["class"].is_null() ? "" : (", class " + j["class"].get<std::string>()).c_str());
  if (j["private"].get<bool>())
    std::printf("  visibility:   private, embargo ends %s\n", j["embargo_end"].get<std::string>().c_str());
  else
    std::printf("  visibility:   public%s\n", j["disclosed_at"].is_null() ? "" : (" since " + j["disclosed_at"].get<std::string>()).c_str());
  std::printf("  tracker bug:  %s %s\n", opt(j["tracker_bug"]).c_str(), opt(j["tracker_url"]).c_str());
  const auto& r = j["reporter"];
  std::printf("  reporter:     %s <%s> key %s\n", r["name"].get<std::string>().c_str(),
              r["email"].get<std::string>().c_str(), opt(r["fingerprint"]).c_str());
  const auto& s = j["signature"];
  std::printf("  received:     %s, signature %s%s%s\n", j["encrypted"].get<bool>() ? "encrypted" : "NOT encrypted",
              s["status"].get<std::string>().c_str(), s["fingerprint"].is_null() ? "" : (" by " + s["fingerprint"].get<std::string>()).c_str(),
              s["status"] == "valid" ? (s["matches_from"].get<bool>() ? " (matches From)" : " (does NOT match From)") : "");
  if (!j["cve"].is_null()) std::printf("  CVE:          %s\n", j["cve"].get<std::string>().c_str());
  if (!j["advisory_id"].is_null()) std::printf("  advisory:     %s\n", j["advisory_id"].get<std::string>().c_str());
  if (!j["disclosure_at"].is_null() && j["private"].get<bool>())
    std::printf("  disclosure:   %s\n", j["disclosure_at"].get<std::string>().c_str());
  std::printf("  messages:     %zu\n", j["messages"].get<std::size_t>());
  std::printf("\nTimeline (who was told what, when):\n");
  print_timeline(j["events"]);
  if (text) print_messages(st, id);
}

status cmd_list(context& ctx) {
  VMT_TRY(st, ctx.db());
  VMT_TRY(cases, st->list_cases());
  if (ctx.json) {
    auto arr = nlohmann::json::array();
    for (const auto& c : cases) arr.push_back(case_json(*st, c, false));
    print_json(arr);
    return ok_v;
  }
  if (cases.empty()) {
    std::printf("no cases\n");
    return ok_v;
  }
  std::printf("%-14s %-12s %-16s %-10s %s\n", "CASE", "PROJECT", "STATUS", "EMBARGO", "TITLE");
  for (const auto& c : cases)
    std::printf("%-14s %-12s %-16s %-10s %s\n", c.id.c_str(), c.project.c_str(), c.ossa_status.c_str(),
                c.is_private ? c.embargo_end.c_str() : "public", c.title.c_str());
  return ok_v;
}

result<store::case_record> need_case(store::store& st, const std::string& id) {
  VMT_TRY(c, st.find_case(id));
  if (!c) return make_error(failure::data, id, "no such case", "see `vmt list` for case ids");
  return *c;
}

status cmd_show(context& ctx, const std::string& id, bool text) {
  VMT_TRY(st, ctx.db());
  VMT_TRY(c, need_case(*st, id));
  auto j = case_json(*st, c, true);
  if (ctx.json) {
    print_json(j);
    return ok_v;
  }
  print_case(j, *st, id, text);
  return ok_v;
}

status cmd_log(context& ctx, const std::string& id) {
  VMT_TRY(st, ctx.db());
  VMT_TRY(c, need_case(*st, id));
  auto j = case_json(*st, c, true);
  if (ctx.json) print_json(j["events"]);
  else print_timeline(j["events"]);
  return ok_v;
}

status cmd_set_project(context& ctx, const std::string& id, const std::string& project) {
  VMT_TRY(cfg, ctx.cfg());
  VMT_TRY(st, ctx.db());
  VMT_TRY(c, need_case(*st, id));
  if (!cfg->find_project(project)) {
    std::string known;
    for (const auto& p : cfg->projects) known += (known.empty() ? "" : ", ") + p.name;
    return make_error(failure::data, "project '" + project + "'", "not in the configuration",
                      known.empty() ? "add it under projects: in " + cfg->file : "known projects: " + known);
  }
  if (c.project == project) return ok_v;
  auto old = c.project;
  c.project = project;
  c.updated_at = clock::iso_time(clock::now());
  VMT_TRY_STATUS(st->transaction([&]() -> status {
    VMT_TRY_STATUS(st->update_case(c));
    store::event_record e;
    e.case_id = id;
    e.at = c.updated_at;
    e.kind = "project";
    e.actor = ctx.who();
    e.summary = "project changed from " + old + " to " + project;
    return st->add_event(e);
  }));
  // The new project's core security team is subscribed and gets a task, as at reception.
  VMT_TRY(templates, ctx.templates());
  auto rec = intake::make_reception(*cfg, *st, *templates);
  rec.actor = ctx.who();
  VMT_TRY_STATUS(intake::complete_case_reception(rec, id));
  if (!c.tracker_bug.empty()) {
    VMT_TRY(t, tracker::open(*cfg));
    VMT_TRY(bug, t->get_bug(c.tracker_bug));
    bool has = false;
    for (const auto& [p, s] : bug.tasks) has = has || p == project;
    if (!has) VMT_TRY_STATUS(t->ensure_task(c.tracker_bug, project, "New"));
  }
  std::printf("%s: project set to %s\n", id.c_str(), project.c_str());
  return ok_v;
}

status cmd_quarantine_list(context& ctx) {
  VMT_TRY(cfg, ctx.cfg());
  VMT_TRY(st, ctx.db());
  VMT_TRY(q, st->quarantined());
  if (ctx.json) {
    auto arr = nlohmann::json::array();
    for (const auto& x : q)
      arr.push_back({{"id", x.message}, {"reason", x.reason}, {"at", x.at}, {"from", x.from_addr},
                     {"sha256", x.sha256}, {"spool_path", cfg->path(x.spool_path)}});
    print_json(arr);
    return ok_v;
  }
  if (q.empty()) std::printf("nothing in quarantine\n");
  for (const auto& x : q)
    std::printf("%-6lld %-20s %-15s %s  %s\n", static_cast<long long>(x.message), x.at.c_str(), x.reason.c_str(),
                x.from_addr.empty() ? "(no From)" : x.from_addr.c_str(), cfg->path(x.spool_path).c_str());
  return ok_v;
}

status cmd_quarantine_retry(context& ctx, std::int64_t message) {
  VMT_TRY(cfg, ctx.cfg());
  VMT_TRY(st, ctx.db());
  VMT_TRY(q, st->quarantined());
  const store::quarantine_record* found = nullptr;
  for (const auto& x : q)
    if (x.message == message) found = &x;
  if (!found) return make_error(failure::data, "quarantine " + std::to_string(message), "no such quarantined message",
                                "see `vmt quarantine list`");
  VMT_TRY(raw, fs::read_file(cfg->path(found->spool_path), cfg->limits.max_message_bytes));
  // Forget the quarantined row so that reception sees the message as new; the spool file stays.
  VMT_TRY_STATUS(st->forget_quarantined(message));
  VMT_TRY(sp, intake::spool_bytes(raw, cfg->path(cfg->spool)));
  VMT_TRY(templates, ctx.templates());
  auto rec = intake::make_reception(*cfg, *st, *templates);
  rec.actor = ctx.who();
  VMT_TRY(got, intake::receive(rec, sp));
  std::printf("%s%s%s\n", intake::to_string(got.what), got.case_id.empty() ? "" : (" " + got.case_id).c_str(),
              got.reason.empty() ? "" : (" (" + got.reason + ")").c_str());
  if (got.what == intake::outcome::quarantined)
    return make_error(failure::data, "quarantine " + std::to_string(message), "still cannot be read (" + got.reason + ")",
                      got.reason == "no-key" ? "import the key it is encrypted to (see vmt quarantine list), then retry"
                                             : "see docs/mail-parsing.md; the message stays in quarantine");
  return ok_v;
}

// The case's bug as the tracker holds it (the embedded tracker has no web page to look at).
status cmd_bug_show(context& ctx, const std::string& id) {
  VMT_TRY(cfg, ctx.cfg());
  VMT_TRY(st, ctx.db());
  VMT_TRY(c, need_case(*st, id));
  if (c.tracker_bug.empty())
    return make_error(failure::unavailable, id, "has no bug yet", "vmt spool resume completes its reception");
  VMT_TRY(t, tracker::open(*cfg));
  VMT_TRY(b, t->get_bug(c.tracker_bug));
  nlohmann::json tasks = nlohmann::json::array();
  for (const auto& [p, s] : b.tasks) tasks.push_back({{"project", p}, {"status", s}});
  if (ctx.json) {
    print_json({{"case", id}, {"tracker", t->kind()}, {"id", b.ref.id}, {"url", b.ref.url}, {"title", b.title},
                {"information_type", b.information_type}, {"tags", b.tags}, {"subscribers", b.subscribers},
                {"owner", b.owner}, {"tasks", tasks}, {"cves", b.cves}, {"description", b.description},
                {"comments", b.comments}, {"attachments", b.attachments}});
    return ok_v;
  }
  auto joined = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
    return out.empty() ? std::string("-") : out;
  };
  std::printf("%s bug %s  %s\n  %s\n", t->kind().c_str(), b.ref.id.c_str(), b.ref.url.c_str(), b.title.c_str());
  std::printf("  information type: %s\n  tags:             %s\n  subscribers:      %s\n  CVEs:             %s\n",
              b.information_type.c_str(), joined(b.tags).c_str(), joined(b.subscribers).c_str(), joined(b.cves).c_str());
  for (const auto& [p, s] : b.tasks) std::printf("  task:             %s %s\n", p.c_str(), s.c_str());
  if (!b.attachments.empty()) std::printf("  attachments:      %s\n", joined(b.attachments).c_str());
  std::printf("\n%s\n", b.description.c_str());
  for (std::size_t i = 0; i < b.comments.size(); ++i)
    std::printf("\n---- comment %zu ----\n%s\n", i + 1, b.comments[i].c_str());
  return ok_v;
}

status cmd_spool_resume(context& ctx) {
  VMT_TRY(cfg, ctx.cfg());
  VMT_TRY(st, ctx.db());
  VMT_TRY(stuck, st->messages_in_state("filed"));
  VMT_TRY(received, st->messages_in_state("received"));  // recorded, then the delivery stopped
  stuck.insert(stuck.end(), received.begin(), received.end());
  VMT_TRY(templates, ctx.templates());
  auto rec = intake::make_reception(*cfg, *st, *templates);
  int done = 0;
  for (const auto& m : stuck) {
    VMT_TRY(raw, fs::read_file(cfg->path(m.spool_path), cfg->limits.max_message_bytes));
    VMT_TRY(sp, intake::spool_bytes(raw, cfg->path(cfg->spool)));
    VMT_TRY(got, intake::receive(rec, sp));
    (void)got;
    ++done;
  }
  std::printf("%d message(s) completed\n", done);
  return ok_v;
}

}  // namespace

void register_init_command(CLI::App& app, context& ctx);

void register_case_commands(CLI::App& app, context& ctx) {
  register_init_command(app, ctx);

  auto* list = app.add_subcommand("list", "list cases");
  list->add_flag("--json", ctx.json, "print JSON");
  on_run(list, [&ctx] { return cmd_list(ctx); });

  auto* show = app.add_subcommand("show", "show a case: state, reporter, signature, and the ledger as a timeline");
  static std::string show_id;
  static bool show_text = false;
  show->add_option("CASE", show_id, "case id (VMT-2026-001)")->required();
  show->add_flag("--json", ctx.json, "print JSON");
  show->add_flag("--text", show_text, "also print the report text (decrypted: mind who is watching)");
  on_run(show, [&ctx] { return cmd_show(ctx, show_id, show_text); });

  auto* log = app.add_subcommand("log", "the case's history from the ledger: who was told what, when, with which key");
  static std::string log_id;
  log->add_option("CASE", log_id, "case id (VMT-2026-001)")->required();
  log->add_flag("--json", ctx.json, "print JSON");
  on_run(log, [&ctx] { return cmd_log(ctx, log_id); });

  auto* setp = app.add_subcommand("set-project", "set the affected project of a case (subscribes its security team)");
  static std::string sp_case, sp_project;
  setp->add_option("CASE", sp_case)->required();
  setp->add_option("PROJECT", sp_project)->required();
  on_run(setp, [&ctx] { return cmd_set_project(ctx, sp_case, sp_project); });

  auto* quarantine = app.add_subcommand("quarantine", "mail that could not be read");
  quarantine->require_subcommand(1);
  auto* ql = quarantine->add_subcommand("list", "list quarantined mail");
  ql->add_flag("--json", ctx.json, "print JSON");
  on_run(ql, [&ctx] { return cmd_quarantine_list(ctx); });
  auto* qr = quarantine->add_subcommand("retry", "file a quarantined message again (after importing its key)");
  static std::int64_t qr_id = 0;
  qr->add_option("ID", qr_id, "the id `vmt quarantine list` shows")->required();
  on_run(qr, [&ctx] { return cmd_quarantine_retry(ctx, qr_id); });

  auto* adopt = app.add_subcommand("adopt", "file a case for a report that arrived as a tracker bug");
  static std::string adopt_bug, adopt_project;
  adopt->add_option("BUG", adopt_bug, "the bug (or story) number")->required();
  adopt->add_option("--project", adopt_project, "the affected project (default: from the bug's tasks)");
  adopt->add_flag("--json", ctx.json, "print JSON");
  on_run(adopt, [&ctx]() -> status {
    VMT_TRY(cfg, ctx.cfg());
    VMT_TRY(st, ctx.db());
    VMT_TRY(templates, ctx.templates());
    auto rec = intake::make_reception(*cfg, *st, *templates);
    rec.actor = ctx.who();
    VMT_TRY(id, intake::adopt_bug(rec, adopt_bug, adopt_project));
    if (ctx.json) print_json({{"id", id}, {"bug", adopt_bug}});
    else std::printf("%s: bug %s adopted\n", id.c_str(), adopt_bug.c_str());
    return ok_v;
  });

  auto* bug = app.add_subcommand("bug", "the case's bug in the tracker");
  bug->require_subcommand(1);
  auto* bshow = bug->add_subcommand("show", "print the bug as the tracker holds it (title, visibility, tasks, comments)");
  static std::string bug_case;
  bshow->add_option("CASE", bug_case, "case id")->required();
  bshow->add_flag("--json", ctx.json, "print JSON");
  on_run(bshow, [&ctx] { return cmd_bug_show(ctx, bug_case); });

  auto* spool = app.add_subcommand("spool", "the inbound spool");
  spool->require_subcommand(1);
  auto* resume = spool->add_subcommand("resume", "complete receptions interrupted by an outage");
  on_run(resume, [&ctx] { return cmd_spool_resume(ctx); });
}

}  // namespace vmt::cli
