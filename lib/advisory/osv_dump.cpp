// osv_dump.cpp: the osv/ folder of the site (see osv_dump.h). The zip is written by libzip in
// memory; nothing here touches the file system.
#include "advisory/osv_dump.h"

#include <zip.h>

#include <algorithm>
#include <memory>

#include "core/clock.h"

namespace vmt::advisory {

namespace {

struct entry {
  std::string id;
  std::string modified;
  std::string json;
};

error zip_error(const std::string& what, zip_error_t* e) {
  return make_error(failure::software, "osv/all.zip", what + ": " + zip_error_strerror(e));
}

// A zip of `entries` (name ID.json, dated by `modified`), built in a memory buffer.
result<std::string> zip_of(const std::vector<entry>& entries) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (!buffer) return zip_error("cannot make a buffer", &err);
  zip_t* za = zip_open_from_source(buffer, ZIP_TRUNCATE, &err);
  if (!za) {
    zip_source_free(buffer);
    return zip_error("cannot open the archive", &err);
  }
  zip_source_keep(buffer);  // zip_close() must leave the bytes to us
  for (const auto& e : entries) {
    zip_source_t* s = zip_source_buffer(za, e.json.data(), e.json.size(), 0);
    zip_int64_t idx = s ? zip_file_add(za, (e.id + ".json").c_str(), s, ZIP_FL_ENC_UTF_8) : -1;
    if (idx < 0) {
      if (s) zip_source_free(s);
      zip_discard(za);
      zip_source_free(buffer);
      return make_error(failure::software, "osv/all.zip", "cannot add " + e.id + ": " + zip_strerror(za));
    }
    auto when = clock::parse_iso_time(e.modified);
    zip_file_set_mtime(za, static_cast<zip_uint64_t>(idx), when ? static_cast<time_t>(when->time_since_epoch().count()) : 0, 0);
  }
  if (zip_close(za) != 0) {
    zip_source_free(buffer);
    return make_error(failure::software, "osv/all.zip", "cannot finish the archive");
  }
  std::string out;
  zip_stat_t st;
  if (zip_source_stat(buffer, &st) == 0 && zip_source_open(buffer) == 0) {
    out.resize(static_cast<std::size_t>(st.size));
    auto n = zip_source_read(buffer, out.data(), st.size);
    zip_source_close(buffer);
    if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) out.clear();
  }
  zip_source_free(buffer);
  if (out.empty()) return make_error(failure::software, "osv/all.zip", "cannot read the archive back");
  return out;
}

}  // namespace

result<std::vector<dump_file>> osv_dump(const std::vector<nlohmann::json>& records) {
  std::vector<entry> entries;
  for (const auto& r : records)
    entries.push_back({r.at("id").get<std::string>(), r.at("modified").get<std::string>(), r.dump(2) + "\n"});
  std::sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) { return a.id < b.id; });
  std::vector<dump_file> out;
  nlohmann::json index = nlohmann::json::array();
  for (const auto& e : entries) {
    out.push_back({"osv/" + e.id + ".json", e.json});
    index.push_back({{"id", e.id}, {"modified", e.modified}});
  }
  VMT_TRY(zip, zip_of(entries));
  out.push_back({"osv/all.zip", std::move(zip)});
  // Newest first, then by id, so that the file is the same for the same records.
  auto by_modified = entries;
  std::stable_sort(by_modified.begin(), by_modified.end(),
                   [](const entry& a, const entry& b) { return a.modified > b.modified; });
  std::string csv;
  for (const auto& e : by_modified) csv += e.modified + "," + e.id + "\n";
  out.push_back({"osv/modified_id.csv", csv});
  out.push_back({"osv/index.json", index.dump(2) + "\n"});
  return out;
}

}  // namespace vmt::advisory
