// fuzz_tmpl: the template renderer (lib/tmpl over ctemplate) with values taken from the input, as
// report data reaches the reception templates (a reporter's display name, a subject turned into a
// case title). The input is split at NUL bytes into values; each is set for every variable the
// shipped reception and workflow templates use and rendered. Invariants: a value is substituted
// literally (a "{{MARKER}}" in it is never expanded), render_mail keeps Subject and body apart.
// A second mode (first byte 'T') renders the input itself as an operator's template: it must
// render or fail with failure::config, never crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "core/fs.h"
#include "tmpl/tmpl.h"

namespace {

using namespace vmt;

void check(bool ok) {
  if (!ok) std::abort();
}

tmpl::engine* shipped = nullptr;
std::string scratch;

const char* names[] = {
    "CASE_ID",      "VENDOR",   "TEAM_NAME",   "TEAM_ADDRESS", "RECEIVED",   "EMBARGO_END", "REPORTER_NAME",
    "REPORTER_KEY", "REASON",   "REASON_TEXT", "FROM",         "SIZE",       "SHA256",      "SPOOL",
    "MESSAGE",      "REMINDER", "REPORT",      "REPORTER",     "ENCRYPTION", "SIGNATURE",   "NINETY_DAYS",
    "TAG",          "PROJECT",  "CVE",         "STATUS",       "DAYS",       "TITLE",       "DESCRIPTION"};
const char* templates[] = {"reception/ack.tpl", "reception/quarantine-notice.tpl",
                           "reception/bug-description.tpl", "reception/embargo-reminder.tpl",
                           "workflow/reminder-stuck.tpl"};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  shipped = new tmpl::engine({std::string(VMT_SOURCE_DIR) + "/templates"});
  std::string t = "/tmp/vmt-fuzz-tmpl.XXXXXX";
  if (!::mkdtemp(t.data())) std::abort();
  scratch = t;
  std::atexit([] {
    std::error_code ec;
    std::filesystem::remove_all(scratch, ec);
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  if (!in.empty() && in[0] == 'T') {
    // An operator's template: a fresh engine (fresh cache) over a fresh file each time.
    static unsigned long n = 0;
    auto dir = scratch + "/" + std::to_string(++n % 64);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directories(dir + "/reception", ec);
    if (!fs::write_file_atomic(dir + "/reception/ack.tpl", in.substr(1))) return 0;
    tmpl::engine e({dir});
    tmpl::dictionary d;
    d.set("CASE_ID", "VMT-2026-001").set("REPORTER_NAME", "{{CASE_ID}}");
    d.show("HAS_NAME");
    d.add("ATTACHMENTS").set("NAMES", "a.txt");
    auto out = e.render("reception/ack.tpl", d);
    if (!out) check(out.err().kind == failure::config);
    auto m = tmpl::render_mail(e, "reception/ack.tpl", d);
    if (!m) check(m.err().kind == failure::config);
    return 0;
  }
  std::vector<std::string> values;
  for (std::size_t pos = 0;;) {
    auto nul = in.find('\0', pos);
    values.push_back(in.substr(pos, nul == std::string::npos ? std::string::npos : nul - pos));
    if (nul == std::string::npos) break;
    pos = nul + 1;
  }
  tmpl::dictionary d;
  std::size_t i = 0;
  for (const char* n : names) d.set(n, values[i++ % values.size()]);
  d.show("HAS_NAME").show("ENCRYPTED");
  d.add("ATTACHMENTS").set("NAMES", values.back());
  for (const char* t : templates) {
    auto out = shipped->render(t, d);
    check(bool(out));
  }
  // The reminder holds VENDOR and NINETY_DAYS verbatim.
  tmpl::dictionary r;
  r.set("VENDOR", values.front()).set("TEAM_NAME", "T").set("NINETY_DAYS", values.back());
  auto rem = shipped->render("reception/embargo-reminder.tpl", r);
  check(bool(rem));
  check(rem->find(values.front()) != std::string::npos && rem->find(values.back()) != std::string::npos);
  // The ack splits into a subject (config values only) and a body that holds the reporter's name.
  tmpl::dictionary a;
  a.set("CASE_ID", "VMT-2026-001").set("VENDOR", "OpenStack").set("TEAM_NAME", "VMT");
  a.set("REPORTER_NAME", values.front()).show("HAS_NAME").show("NOT_ENCRYPTED");
  auto m = tmpl::render_mail(*shipped, "reception/ack.tpl", a);
  check(bool(m));
  check(m->subject == "[VMT-2026-001] Your report to the OpenStack VMT");
  check(m->body.find(values.front()) != std::string::npos);
  return 0;
}
