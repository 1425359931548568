// cmd_outbox.cpp: the outbox verbs of vmt: list what waits or went, show a mail's headers, run the
// queue runner now, and the two decisions a coordinator makes on a failed or uncertain mail.
//
//   vmt outbox list [--json] [--case CASE] [--state STATE]
//   vmt outbox show ID [--json]            headers only: the body may be embargoed text
//   vmt outbox flush [--json]              one pass of the runner (as vmt-send --once); 75 when
//                                          something is left to retry
//   vmt outbox retry ID                    a failed or uncertain mail: queue it again
//   vmt outbox mark-sent ID                an uncertain mail that did arrive: record it as sent
#include <iostream>

#include "cli.h"
#include "core/clock.h"
#include "transport/outbox.h"

namespace vmt::cli {

namespace {

// `path` is where the file is now (the store keeps it relative to the outbox folder).
nlohmann::json to_json(const config::config& cfg, const transport::outbox_entry& e) {
  return {{"id", e.id},
          {"message_id", e.mail.message_id},
          {"case", e.mail.case_id},
          {"kind", e.mail.kind},
          {"state", e.state},
          {"sender", e.mail.sender},
          {"recipients", e.mail.recipients},
          {"encrypted_to", e.mail.encrypted_to},
          {"not_before", e.mail.not_before},
          {"attempts", e.attempts},
          {"transport", e.transport},
          {"phase", e.phase},
          {"next_attempt", e.next_attempt},
          {"last_error", e.last_error},
          {"receipt", e.receipt},
          {"created_at", e.created_at},
          {"sent_at", e.sent_at},
          {"path", transport::file_of(cfg, e)}};
}

// The time that matters for a mail in its state.
std::string when(const transport::outbox_entry& e) {
  if (e.state == "held") return "at " + e.mail.not_before;
  if (e.state == "sent") return e.sent_at;
  if (e.state == "queued" && !e.next_attempt.empty()) return "after " + e.next_attempt;
  return e.created_at;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

result<std::int64_t> mail_id(store::store& st, const std::string& key) {
  VMT_TRY(e, transport::find(st, key));
  if (!e) return make_error(failure::data, "outbox", "no mail '" + key + "'", "see `vmt outbox list`");
  return e->id;
}

}  // namespace

std::function<status()> outbox_flusher(context& ctx) {
  return [&ctx]() -> status {
    VMT_TRY(cfg, ctx.cfg());
    VMT_TRY(st, ctx.db());
    VMT_TRY(rep, transport::flush(*st, *cfg, clock::now()));
    // The watchdog reports what needs a person: mail that failed for good or may have gone.
    if (rep.failed > 0 || rep.uncertain > 0)
      return make_error(failure::unavailable, "outbox",
                        std::to_string(rep.failed) + " failed and " + std::to_string(rep.uncertain) +
                            " uncertain mail(s)",
                        "vmt outbox list; then vmt outbox retry ID or vmt outbox mark-sent ID");
    return ok_v;
  };
}

void register_outbox_commands(CLI::App& app, context& ctx) {
  auto* outbox = app.add_subcommand("outbox", "the outbound queue: list, show, flush, retry, mark-sent");
  outbox->require_subcommand(1);

  auto* list = outbox->add_subcommand("list", "list queued, held, sent, failed and uncertain mail");
  auto case_id = std::make_shared<std::string>();
  auto state = std::make_shared<std::string>();
  list->add_option("--case", *case_id, "only this case's mail");
  list->add_option("--state", *state, "only mail in this state (held queued sending sent failed uncertain)");
  list->add_flag("--json", ctx.json, "print JSON");
  on_run(list, [&ctx, case_id, state]() -> status {
    VMT_TRY(cfg, ctx.cfg());
    VMT_TRY(st, ctx.db());
    VMT_TRY(rows, transport::list(*st, *case_id));
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : rows) {
      if (!state->empty() && e.state != *state) continue;
      if (ctx.json) {
        out.push_back(to_json(*cfg, e));
        continue;
      }
      std::cout << e.id << "  " << e.state << "  " << e.mail.kind << "  " << (e.mail.case_id.empty() ? "-" : e.mail.case_id)
                << "  attempts " << e.attempts << "  " << when(e) << "\n    <" << e.mail.message_id << "> to "
                << join(e.mail.recipients) << "\n";
      if (!e.last_error.empty() && e.state != "sent") std::cout << "    last error: " << e.last_error << "\n";
    }
    if (ctx.json) print_json(out);
    return ok_v;
  });

  auto* show = outbox->add_subcommand("show", "a mail's outbox record and headers (never its body)");
  auto show_id = std::make_shared<std::string>();
  show->add_option("ID", *show_id, "row id or Message-ID")->required();
  show->add_flag("--json", ctx.json, "print JSON");
  on_run(show, [&ctx, show_id]() -> status {
    VMT_TRY(cfg, ctx.cfg());
    VMT_TRY(st, ctx.db());
    VMT_TRY(found, transport::find(*st, *show_id));
    if (!found) return make_error(failure::data, "outbox", "no mail '" + *show_id + "'", "see `vmt outbox list`");
    VMT_TRY(headers, transport::header_block(*cfg, *found));
    if (ctx.json) {
      auto j = to_json(*cfg, *found);
      j["headers"] = headers;
      print_json(j);
    } else {
      std::cout << "# mail " << found->id << ": " << found->state << ", " << found->mail.kind << ", envelope from "
                << found->mail.sender << " to " << join(found->mail.recipients) << "\n"
                << headers;
    }
    return ok_v;
  });

  auto* flush = outbox->add_subcommand("flush", "send what is due now (one pass of vmt-send)");
  flush->add_flag("--json", ctx.json, "print JSON");
  on_run(flush, [&ctx]() -> status {
    VMT_TRY(cfg, ctx.cfg());
    VMT_TRY(st, ctx.db());
    VMT_TRY(rep, transport::flush(*st, *cfg, clock::now()));
    if (ctx.json) {
      nlohmann::json mails = nlohmann::json::array();
      for (const auto& m : rep.mails)
        mails.push_back({{"id", m.id}, {"message_id", m.message_id}, {"outcome", m.outcome}, {"detail", m.detail}});
      print_json({{"released", rep.released}, {"sent", rep.sent}, {"deferred", rep.deferred}, {"failed", rep.failed},
                  {"uncertain", rep.uncertain}, {"in_progress", rep.in_progress}, {"held", rep.held},
                  {"mails", mails}});
    } else {
      for (const auto& m : rep.mails)
        std::cout << m.id << "  " << m.outcome << "  <" << m.message_id << ">  " << m.detail << "\n";
      std::cout << rep.released << " released, " << rep.sent << " sent, " << rep.deferred << " deferred, " << rep.failed
                << " failed, " << rep.uncertain << " uncertain, " << rep.in_progress << " in progress, " << rep.held
                << " held\n";
    }
    if (rep.left_to_retry())
      return make_error(failure::temporary, "outbox",
                        std::to_string(rep.deferred + rep.uncertain + rep.in_progress) + " mail(s) left to retry or decide",
                        "vmt-send retries deferred mail; uncertain mail needs `vmt outbox retry` or `mark-sent`");
    if (rep.failed > 0)
      return make_error(failure::unavailable, "outbox", std::to_string(rep.failed) + " mail(s) failed",
                        "see `vmt outbox list --state failed`; `vmt outbox retry ID` once fixed");
    return ok_v;
  });

  auto* retry = outbox->add_subcommand("retry", "queue a failed or uncertain mail again");
  auto retry_id = std::make_shared<std::string>();
  retry->add_option("ID", *retry_id, "row id or Message-ID")->required();
  on_run(retry, [&ctx, retry_id]() -> status {
    VMT_TRY(st, ctx.db());
    VMT_TRY(id, mail_id(*st, *retry_id));
    VMT_TRY_STATUS(transport::retry(*st, id, ctx.who(), clock::now()));
    std::cout << "mail " << id << " queued again\n";
    return ok_v;
  });

  auto* mark = outbox->add_subcommand("mark-sent", "record an uncertain mail as sent (it did arrive)");
  auto mark_id = std::make_shared<std::string>();
  mark->add_option("ID", *mark_id, "row id or Message-ID")->required();
  on_run(mark, [&ctx, mark_id]() -> status {
    VMT_TRY(cfg, ctx.cfg());
    VMT_TRY(st, ctx.db());
    VMT_TRY(id, mail_id(*st, *mark_id));
    VMT_TRY_STATUS(transport::mark_sent(*st, *cfg, id, ctx.who(), clock::now()));
    std::cout << "mail " << id << " recorded as sent\n";
    return ok_v;
  });
}

}  // namespace vmt::cli
