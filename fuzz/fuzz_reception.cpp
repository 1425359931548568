// fuzz_reception: the whole inbound path from raw bytes to a filed case, as vmt-ingest runs it:
// analysis with real gpg (a team key in a fixed GnuPG home, so that seeds encrypted to it decrypt),
// the reception into an in-memory store, an in-memory tracker, the real templates and outbox, and
// a composer that checks what crypto::compose checks (addresses, header values) without signing.
// The clock is pinned with VMT_NOW.
//
// Each input is received, then "crashed" (an exception from the fault hook) at a step chosen from
// the input's hash and delivered again, then delivered a third time. Invariants (abort otherwise):
//  - reception never fails for a reason other than the environment (gpg): a message the filter
//    keeps refusing would sit in the MTA's queue and bounce after days;
//  - exactly one message row, at most one case, at most one bug, at most one acknowledgement;
//  - the message is either on a case (state done) or quarantined;
//  - mail goes only to the single From address (the ack) or to team.notify (quarantine notice),
//    never to a Reply-To or an address only named in the message;
//  - the acknowledgement quotes no report text.
//
// Environment: VMT_FUZZ_GNUPG_HOME (default: a home made in $TMPDIR on first run, key generated).
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>

#include "config/config.h"
#include "core/fs.h"
#include "core/hash.h"
#include "crypto/compose.h"
#include "crypto/keys.h"
#include "crypto/openpgp.h"
#include "intake/reception.h"
#include "intake/spool.h"
#include "message/address.h"
#include "message/header.h"
#include "store/store.h"
#include "tmpl/tmpl.h"
#include "tracker/tracker.h"
#include "transport/outbox.h"

namespace {

using namespace vmt;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_reception: invariant broken: %s\n", what);
    std::abort();
  }
}

// The tracker as a map; its state outlives one reception (the redelivery sees the first bug).
struct fake_state {
  std::map<std::string, vmt::tracker::bug_state> bugs;
  std::map<std::string, std::string> by_case;
  std::set<std::string> comment_keys;
};

class fake_tracker : public vmt::tracker::tracker {
 public:
  explicit fake_tracker(fake_state& s) : s_(s) {}
  std::string kind() const override { return "fake"; }
  result<std::optional<vmt::tracker::bug_ref>> find_bug_for_case(const std::string& c,
                                                                 const std::string&) override {
    auto it = s_.by_case.find(c);
    if (it == s_.by_case.end()) return std::optional<vmt::tracker::bug_ref>();
    return std::optional<vmt::tracker::bug_ref>(s_.bugs[it->second].ref);
  }
  result<vmt::tracker::bug_ref> create_bug(const vmt::tracker::new_bug& b) override {
    as_json({b.title, b.description, b.project});
    auto id = std::to_string(s_.bugs.size() + 1);
    auto& bug = s_.bugs[id];
    bug.ref = {id, "fake:" + id};
    bug.title = b.title;
    bug.description = b.description;
    bug.information_type = b.information_type;
    s_.by_case[b.case_id] = id;
    return bug.ref;
  }
  result<vmt::tracker::bug_state> get_bug(const std::string& id) override { return need(id); }
  status set_title(const std::string& id, const std::string& v) override {
    return with(id, [&](auto& b) { b.title = v; });
  }
  status set_description(const std::string& id, const std::string& v) override {
    return with(id, [&](auto& b) { b.description = v; });
  }
  status set_information_type(const std::string& id, const std::string& v) override {
    return with(id, [&](auto& b) { b.information_type = v; });
  }
  status set_tags(const std::string& id, const std::vector<std::string>& v) override {
    return with(id, [&](auto& b) { b.tags = v; });
  }
  status ensure_task(const std::string& id, const std::string& p, const std::string& st) override {
    return with(id, [&](auto& b) { b.tasks.emplace_back(p, st); });
  }
  status set_task_status(const std::string& id, const std::string& p, const std::string& st) override {
    return ensure_task(id, p, st);
  }
  status subscribe(const std::string& id, const std::string& who) override {
    return with(id, [&](auto& b) { b.subscribers.push_back(who); });
  }
  status comment(const std::string& id, const std::string& key, const std::string& text) override {
    as_json({text});
    if (!s_.comment_keys.insert(id + "/" + key).second) return ok_v;
    return with(id, [&](auto& b) { b.comments.push_back(text); });
  }
  status attach(const std::string& id, const std::string& name, const std::string&, bool,
                const std::string& c) override {
    as_json({name, c});
    return with(id, [&](auto& b) { b.attachments.push_back(name); });
  }
  status link_cve(const std::string& id, const std::string& cve) override {
    return with(id, [&](auto& b) { b.cves.push_back(cve); });
  }
  status unlink_cve(const std::string& id, const std::string& cve) override {
    return with(id, [&](auto& b) { std::erase(b.cves, cve); });
  }

 private:
  // What the remote backends do with these strings (Launchpad and StoryBoard take JSON): a string
  // that is not UTF-8 would throw there, so it must not reach a tracker.
  static void as_json(std::initializer_list<std::string> values) {
    for (const auto& v : values) (void)nlohmann::json(v).dump();
  }
  result<vmt::tracker::bug_state> need(const std::string& id) {
    auto it = s_.bugs.find(id);
    if (it == s_.bugs.end()) return make_error(failure::software, "fake tracker", "no bug " + id);
    return it->second;
  }
  template <class F>
  status with(const std::string& id, F f) {
    auto it = s_.bugs.find(id);
    if (it == s_.bugs.end()) return make_error(failure::software, "fake tracker", "no bug " + id);
    f(it->second);
    return ok_v;
  }
  fake_state& s_;
};

struct simulated_crash : std::runtime_error {
  simulated_crash() : std::runtime_error("simulated crash") {}
};

struct world {
  std::string dir;
  config::config cfg;
  std::unique_ptr<tmpl::engine> templates;
  std::string team_fpr;
};

world* w = nullptr;

std::string make_home(const std::string& dir) {
  const char* given = std::getenv("VMT_FUZZ_GNUPG_HOME");
  std::string home = given && *given ? given : dir + "/gnupg";
  if (!fs::exists(home + "/pubring.kbx")) {
    if (!crypto::prepare_home(home)) std::abort();
  }
  auto secrets = crypto::secret_keys(home);
  if (secrets && !secrets->empty()) return home;
  auto fpr = crypto::generate_key(home, "Fuzz VMT", "security@example.org");
  if (!fpr) {
    std::fprintf(stderr, "fuzz_reception: cannot make a key: %s\n", fpr.err().message().c_str());
    std::abort();
  }
  return home;
}

void setup() {
  ::setenv("VMT_NOW", "2026-05-11T10:00:00Z", 1);
  spdlog::set_level(spdlog::level::off);
  w = new world;
  const char* tmp = std::getenv("TMPDIR");
  std::string base = fs::exists("/dev/shm") ? "/dev/shm" : (tmp ? tmp : "/tmp");
  std::string t = base + "/vmt-fuzz-reception.XXXXXX";
  if (!::mkdtemp(t.data())) std::abort();
  w->dir = t;
  auto& c = w->cfg;
  c.file = w->dir + "/vmt.yaml";
  c.base = w->dir;
  c.gnupg_home = make_home(w->dir);
  auto secrets = crypto::secret_keys(c.gnupg_home);
  if (!secrets || secrets->empty()) std::abort();
  w->team_fpr = secrets->front();
  c.team.address = "security@example.org";
  c.team.key = w->team_fpr;
  c.team.coordinators = {{"Coordinator", "coord@example.org", w->team_fpr}};
  c.team.notify = {"coord@example.org"};
  config::project nova;
  nova.name = "nova";
  nova.display = "Nova";
  nova.subject_tags = {"[nova]"};
  nova.keywords = {"nova"};
  nova.security_team = "nova-coresec";
  c.projects = {nova};
  c.limits.max_message_bytes = 1 << 20;
  c.limits.max_mime_depth = 16;
  c.limits.max_mime_parts = 400;
  w->templates =
      std::make_unique<tmpl::engine>(std::vector<std::string>{std::string(VMT_SOURCE_DIR) + "/templates"});
}

// Clear the per-message files (spool locks, outbox) that would pile up over a long run.
void tidy(unsigned long n) {
  if (n % 512 != 0) return;
  std::error_code ec;
  std::filesystem::remove_all(w->dir + "/spool", ec);
  std::filesystem::remove_all(w->dir + "/outbox", ec);
}

// What crypto::compose would refuse, refused the same way (so reception's handling is real).
result<std::pair<std::string, std::string>> checking_compose(const intake::outgoing_mail& m,
                                                             std::vector<intake::outgoing_mail>& sent) {
  VMT_TRY(from, message::format_mailbox(m.from_name, m.from_email));
  if (!m.to_email.empty()) VMT_TRY_STATUS(message::format_mailbox(m.to_name, m.to_email));
  for (const auto& t : m.to_list) VMT_TRY_STATUS(message::format_mailbox("", t));
  if (!m.in_reply_to.empty() && !crypto::valid_message_id(m.in_reply_to))
    return make_error(failure::data, "in_reply_to", "not a valid message id");
  auto subject = message::encode_unstructured("Subject", m.subject);
  sent.push_back(m);
  std::string bytes =
      "From: " + from + "\r\n" + subject + "\r\nMessage-ID: <" + m.message_id + ">\r\n\r\n" + m.body;
  return std::make_pair(bytes, m.message_id);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setup();
  // At the end of a run: stop the gpg-agent of the home and remove the scratch folder.
  std::atexit([] {
    crypto::stop_agent(w->cfg.gnupg_home);
    std::error_code ec;
    std::filesystem::remove_all(w->dir, ec);
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static unsigned long runs = 0;
  tidy(++runs);
  std::string raw(reinterpret_cast<const char*>(data), size);
  auto st = store::store::open_memory();
  check(bool(st), "in-memory store");
  fake_state ts;
  std::vector<intake::outgoing_mail> sent;

  auto rec = intake::make_reception(w->cfg, **st, *w->templates);
  rec.open_tracker = [&ts]() -> result<std::unique_ptr<vmt::tracker::tracker>> {
    return std::unique_ptr<vmt::tracker::tracker>(new fake_tracker(ts));
  };
  rec.compose = [&sent](const intake::outgoing_mail& m) { return checking_compose(m, sent); };

  // The message as the spool hands it over (the bytes are not written: receive() only keeps the path).
  intake::spooled msg;
  msg.sha256 = hash::sha256_hex(raw);
  msg.size = raw.size();
  msg.path = w->cfg.path(w->cfg.spool) + "/" + msg.sha256 + ".eml";
  if (raw.size() > w->cfg.limits.max_message_bytes)
    msg.truncated = true;
  else
    msg.data = raw;

  static const char* steps[] = {"",
                                "store",
                                "tracker:create",
                                "tracker:reminder",
                                "tracker:ossa-task",
                                "tracker:subscribe:nova-coresec",
                                "tracker:comment:reception",
                                "ack"};
  const std::string crash_at = steps[msg.sha256[0] % (sizeof steps / sizeof *steps)];
  rec.after_step = [&crash_at](const std::string& step) {
    if (!crash_at.empty() && step == crash_at) throw simulated_crash();
  };

  result<intake::receipt> got = make_error(failure::software, "fuzz", "not run");
  bool crashed = false;
  try {
    got = intake::receive(rec, msg);
  } catch (const simulated_crash&) {
    crashed = true;
  }
  if (!crashed && !got) {
    // Only the environment may stop a reception (gpg-agent gone): then nothing else is checked.
    check(got.err().kind == failure::temporary, "reception refused a message for good");
    return 0;
  }
  rec.after_step = [](const std::string&) {};
  auto again = intake::receive(rec, msg);
  if (!again) {
    check(again.err().kind == failure::temporary, "redelivery refused a message for good");
    return 0;
  }
  auto third = intake::receive(rec, msg);
  check(bool(third) && third->what == intake::outcome::duplicate, "a third delivery is a duplicate");

  // Exactly one message, and it is either done on a case or quarantined.
  auto& db = (*st)->raw();
  auto count = [&db](const char* sql) {
    auto q = db.prepare(sql);
    check(bool(q), "query");
    auto row = q->step();
    check(row && *row, "row");
    return q->integer(0);
  };
  check(count("SELECT COUNT(*) FROM messages") == 1, "one message row");
  check(count("SELECT COUNT(*) FROM cases") <= 1, "at most one case");
  auto done = count("SELECT COUNT(*) FROM messages WHERE state = 'done' AND case_id IS NOT NULL");
  auto quarantined = count(
      "SELECT COUNT(*) FROM messages m JOIN quarantine q ON q.message = m.id "
      "WHERE m.state = 'quarantined'");
  check(done + quarantined == 1, "filed on a case or quarantined");
  check(ts.bugs.size() <= 1, "at most one bug");
  check(count("SELECT COUNT(*) FROM outbox WHERE kind = 'ack'") <= 1, "at most one acknowledgement");
  if (quarantined && !w->cfg.team.notify.empty())
    check(count("SELECT COUNT(*) FROM outbox WHERE kind = 'quarantine-notice'") == 1,
          "the coordinators are told of a quarantined message");
  if (done) {
    check(ts.bugs.size() == 1, "a filed case has its bug");
    check(count("SELECT COUNT(*) FROM cases WHERE tracker_bug IS NOT NULL AND tracker_bug != ''") == 1,
          "the case names its bug");
  }

  // Mail only to the single well-formed From or to the coordinators.
  auto c = (*st)->list_cases();
  check(bool(c), "cases");
  std::string reporter = c->empty() ? "" : c->front().reporter_email;
  auto mails = transport::list(**st);
  check(bool(mails), "outbox");
  for (const auto& m : *mails) {
    if (m.mail.kind == "ack") {
      check(m.mail.recipients.size() == 1 && m.mail.recipients[0] == reporter && !reporter.empty(),
            "the ack goes to the reporter only");
    } else {
      check(m.mail.kind == "quarantine-notice" && m.mail.recipients == w->cfg.team.notify,
            "other mail goes to the coordinators only");
    }
  }
  // No report text in what was composed (the ack and the notice are built from fixed fields).
  auto msgs = (*st)->find_message_by_key(intake::dedupe_key(raw));
  if (msgs && *msgs && (*msgs)->body.size() >= 24) {
    const auto& body = (*msgs)->body;
    for (const auto& m : sent) {
      bool name_has_it = m.to_name.find(body) != std::string::npos;
      check(name_has_it || m.body.find(body) == std::string::npos, "report text quoted in a mail");
    }
  }
  return 0;
}
