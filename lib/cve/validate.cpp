// validate.cpp: check a CNA container before it is sent (see cve.h).
//
// Two layers. The structure CVE Services insists on (5.1 published CNA container: descriptions
// with an English entry, affected with vendor/product and versions or defaultStatus, references)
// is checked here always, so a team without the schema file still never sends a record the
// service would bounce. With cve.schema_file (CVE_Record_Format_bundled.json from the cve-schema
// project, installed by the team; never fetched at run time) the whole schema is applied with
// valijson (Debian libvalijson-dev).
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "core/fs.h"
#include "cve/cve.h"

namespace vmt::cve {

namespace {

using json = nlohmann::json;

void structure(const json& c, std::vector<std::string>& problems) {
  auto need_array = [&](const char* key) -> const json* {
    if (!c.contains(key) || !c[key].is_array() || c[key].empty()) {
      problems.push_back(std::string("/") + key + ": required, a non-empty list");
      return nullptr;
    }
    return &c[key];
  };
  if (!c.is_object()) {
    problems.push_back("/: the container must be a JSON object");
    return;
  }
  if (const auto* d = need_array("descriptions")) {
    bool english = false;
    for (std::size_t i = 0; i < d->size(); ++i) {
      const auto& x = (*d)[i];
      auto lang = x.value("lang", std::string());
      auto value = x.value("value", std::string());
      if (lang.rfind("en", 0) == 0) english = true;
      if (value.empty() || value.size() > 4096)
        problems.push_back("/descriptions/" + std::to_string(i) + "/value: 1 to 4096 characters");
    }
    if (!english) problems.push_back("/descriptions: needs one English (lang en) entry");
  }
  if (const auto* a = need_array("affected")) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      const auto& x = (*a)[i];
      auto at = "/affected/" + std::to_string(i);
      bool named = (x.contains("vendor") && x.contains("product")) || (x.contains("collectionURL") && x.contains("packageName"));
      if (!named) problems.push_back(at + ": needs vendor and product (or collectionURL and packageName)");
      if (!x.contains("versions") && !x.contains("defaultStatus")) problems.push_back(at + ": needs versions or defaultStatus");
      if (x.contains("versions"))
        for (std::size_t j = 0; j < x["versions"].size(); ++j) {
          const auto& v = x["versions"][j];
          auto vat = at + "/versions/" + std::to_string(j);
          if (!v.contains("version") || !v.contains("status")) problems.push_back(vat + ": needs version and status");
          if ((v.contains("lessThan") || v.contains("lessThanOrEqual")) && !v.contains("versionType"))
            problems.push_back(vat + ": a range needs versionType");
        }
    }
  }
  if (const auto* r = need_array("references"))
    for (std::size_t i = 0; i < r->size(); ++i)
      if (!(*r)[i].contains("url")) problems.push_back("/references/" + std::to_string(i) + ": needs url");
}

status full_schema(const std::string& path, const json& container, std::vector<std::string>& problems) {
  VMT_TRY(text, fs::read_file(path, 8u << 20));
  auto schema_doc = json::parse(text, nullptr, false);
  if (schema_doc.is_discarded() || !schema_doc.contains("definitions") ||
      !schema_doc["definitions"].contains("cnaPublishedContainer"))
    return make_error(failure::config, path, "not the bundled CVE JSON 5 schema (definitions/cnaPublishedContainer)",
                      "point cve.schema_file at CVE_Record_Format_bundled.json from the cve-schema project");
  // Validate against the CNA container definition, keeping the document so that $refs resolve.
  json wrapper = schema_doc;
  wrapper.erase("oneOf");
  wrapper.erase("required");
  wrapper.erase("properties");
  wrapper.erase("additionalProperties");
  wrapper["$ref"] = "#/definitions/cnaPublishedContainer";
  // CVE Services writes providerMetadata itself; the schema requires it, so check with a stand-in.
  json doc = container;
  if (!doc.contains("providerMetadata")) doc["providerMetadata"] = {{"orgId", "00000000-0000-4000-8000-000000000000"}};
  try {
    valijson::Schema schema;
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter schema_adapter(wrapper);
    parser.populateSchema(schema_adapter, schema);
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter doc_adapter(doc);
    if (!validator.validate(schema, doc_adapter, &results)) {
      valijson::ValidationResults::Error e;
      while (results.popError(e)) {
        std::string where;
        for (const auto& c : e.context) where += c == "<root>" ? "" : c;
        problems.push_back((where.empty() ? "/" : where) + ": " + e.description);
      }
    }
  } catch (const std::exception& e) {
    return make_error(failure::config, path, std::string("cannot use the schema: ") + e.what());
  }
  return ok_v;
}

}  // namespace

status validate_container(const config::config& cfg, const json& container) {
  std::vector<std::string> problems;
  structure(container, problems);
  if (!cfg.cve.schema_file.empty()) VMT_TRY_STATUS(full_schema(cfg.path(cfg.cve.schema_file), container, problems));
  if (problems.empty()) return ok_v;
  std::string what = "the CNA container is not a valid CVE JSON 5 record:";
  for (std::size_t i = 0; i < problems.size() && i < 12; ++i) what += (i ? "; " : " ") + problems[i];
  if (problems.size() > 12) what += "; and " + std::to_string(problems.size() - 12) + " more";
  return make_error(failure::data, "CVE record", what, "fix the advisory (or the --container file) and try again");
}

}  // namespace vmt::cve
