// watchdog.h: `vmt check`, run by cron or a systemd timer: carries out what is due (staged
// disclosures, held mail), ends embargoes that reached their end date (the seed's 90-day rule: the
// case switches to the public workflow), and points at what needs a person: embargoes ending soon,
// disclosures due today, cases stuck in one state (their project's security liaison is reminded).
#pragma once

#include <string>
#include <vector>

#include "workflow/workflow.h"

namespace vmt::workflow {

struct check_item {
  std::string case_id;
  std::string kind;     // staged, embargo-ending, embargo-ended, disclosure-today, stuck, failed
  std::string message;  // no report text: ids, dates, states
  bool action_due = false;
};

struct check_report {
  std::vector<check_item> items;
  bool action_due() const;
};

struct check_options {
  bool dry_run = false;  // report only: run nothing, mail nobody
  // Runs the outbound queue after the staged actions (set by the caller: it lives in transport).
  std::function<status()> flush_outbox;
};

result<check_report> check(session& s, const check_options& o);

}  // namespace vmt::workflow
