// cve.h: CVE Services for teams that are a CNA: reserve CVE ids, build the CNA container of a
// case's CVE record from its advisory, validate it against the CVE JSON 5 schema, and publish it
// now or at the disclosure hour (CVE Services cannot schedule: the publication is staged in the
// store and the watchdog runs it when due, through run_staged()).
//
// Teams that are not a CNA request CVEs with MITRE's web form (the workflow verbs give the field
// values); nothing here is used then. API facts and sources: docs/trackers.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/status.h"
#include "store/store.h"
#include "tracker/http.h"

namespace vmt::cve {

// The kind of the staged action (store `staged` table) that publishes a record.
inline constexpr const char* staged_kind = "cve-publish";

// Reserve `amount` ids for `year` (POST /cve-id). Not resent on a timeout: ids may have been
// reserved; `GET /cve-id?state=RESERVED` lists them.
result<std::vector<std::string>> reserve(const config::config& cfg, int year, int amount, http::options o);

// The CNA container of `cve_id` (empty: the advisory's first CVE) from an advisory YAML, as the
// publication pipeline renders it (advisory::renderer::cna).
result<nlohmann::json> container_from_advisory(const config::config& cfg, const std::string& advisory_yaml_path,
                                               const std::string& cve_id);

// Check a CNA container before sending: the structure CVE Services requires always, and the whole
// CVE JSON 5 schema (definitions/cnaPublishedContainer) when cve.schema_file names it. failure::data
// lists every problem with its JSON path.
status validate_container(const config::config& cfg, const nlohmann::json& cna_container);

// Publish the record of `cve_id` now: look first (GET /cve-id/ID: already PUBLISHED is done),
// then POST /cve/ID/cna; a record that exists already is updated with PUT.
status publish(const config::config& cfg, const std::string& cve_id, const nlohmann::json& cna_container,
               http::options o);

// Stage the publication of `cve_id` for `at` (ISO UTC), validated now; staging again replaces it.
status stage_publish(const config::config& cfg, store::store& st, const std::string& case_id, const std::string& cve_id,
                     const nlohmann::json& cna_container, const std::string& at);

// Run one due staged cve-publish action: publish, record the outcome on the action (done; pending
// again with the error when it may pass; failed otherwise) and in the case's ledger.
status run_staged(const config::config& cfg, store::store& st, const store::staged_action& a);

}  // namespace vmt::cve
