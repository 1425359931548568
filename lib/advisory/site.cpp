// site.cpp: build the static advisory site (see site.h).
//
// Site files are public and regenerated from the YAML sources, so they are written plainly (0644,
// no fsync per file); durability comes from building aside and swapping the whole folder in.
//
// Double buffering: the site is built in a hidden sibling, PARENT/.NAME.vmt-prev, which holds the
// previous build; its files are overwritten in place (same inodes), stale ones removed, and the two
// folders are exchanged atomically (renameat2 RENAME_EXCHANGE). Deleting and recreating ~750 files
// on every build made ext4 scan for recently deleted inodes on each create, which cost more than
// the whole rendering.
#include "advisory/site.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "advisory/layout.h"
#include "advisory/osv_dump.h"
#include "core/fs.h"
#include "tmpl/tmpl.h"

namespace vmt::advisory {

namespace {

constexpr const char* marker = ".vmt-site";

// True when `path` already holds exactly `data` (a rebuild leaves unchanged files alone: no write,
// no journal traffic, and mirrors such as rsync see only what changed).
bool same_content(const std::string& path, const std::string& data) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool same = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) == data.size() &&
              (st.st_mode & 07777) == 0644;
  if (same) {
    std::string buf(data.size(), '\0');
    std::size_t got = 0;
    while (got < buf.size()) {
      ssize_t n = ::read(fd, buf.data() + got, buf.size() - got);
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    same = got == buf.size() && buf == data;
  }
  ::close(fd);
  return same;
}

status write_public(const std::string& path, const std::string& data) {
  if (same_content(path, data)) return ok_v;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return make_error(failure::cant_create, path, std::string("cannot create: ") + std::strerror(errno),
                      "check the output folder's permissions and free space");
  ::fchmod(fd, 0644);  // whatever the umask: the site is public
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      return make_error(failure::io, path, std::string("write failed: ") + std::strerror(err), "check free space");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0)
    return make_error(failure::io, path, std::string("write failed: ") + std::strerror(errno), "check free space");
  return ok_v;
}

status make_dir(const std::string& d) {
  if (::mkdir(d.c_str(), 0755) != 0 && errno != EEXIST)
    return make_error(failure::cant_create, d, std::string("cannot create folder: ") + std::strerror(errno),
                      "check the permissions of its parent");
  return ok_v;
}

std::string first_paragraph(const std::string& s) {
  auto p = paragraphs(s);
  return p.empty() ? std::string() : p.front();
}

// Products of an advisory for the index line: "Ironic, Nova".
std::string product_list(const advisory& a) {
  std::string out;
  std::set<std::string> seen;
  for (const auto& p : a.affected) {
    std::string cur;
    for (char c : p.product.value + ",") {
      if (c != ',') {
        cur += c;
        continue;
      }
      std::string name = layout::capitalize(layout::strip(cur));
      cur.clear();
      if (!name.empty() && seen.insert(name).second) out += (out.empty() ? "" : ", ") + name;
    }
  }
  return out;
}

std::string cve_list(const advisory& a) {
  std::string out;
  for (const auto& v : a.vulnerabilities) out += (out.empty() ? "" : ", ") + v.cve.value;
  return out;
}

struct entry {
  std::string id, title, date, url, summary, kind;
};

// Run job(i, renderer) for i in [0, n) on up to 4 threads, each with its own renderer (template
// cache) so that threads do not contend on one cache's lock.
void parallel(std::size_t n, const std::function<void(std::size_t, const renderer&)>& job, const renderer& r) {
  unsigned threads = std::min<unsigned>(std::max(1u, std::thread::hardware_concurrency()), 4);
  if (n < 16 || threads == 1) {
    for (std::size_t i = 0; i < n; ++i) job(i, r);
    return;
  }
  std::atomic<std::size_t> next{0};
  auto worker = [&](const renderer& lr) {
    for (std::size_t i; (i = next++) < n;) job(i, lr);
  };
  std::vector<std::thread> pool;
  std::vector<std::unique_ptr<renderer>> renderers;
  for (unsigned t = 1; t < threads; ++t) {
    renderers.push_back(std::make_unique<renderer>(r.options()));
    pool.emplace_back(worker, std::cref(*renderers.back()));
  }
  worker(r);
  for (auto& t : pool) t.join();
}

}  // namespace

result<site_stats> build_site(const renderer& r, const std::string& source_dir, const std::string& out_dir) {
  namespace sfs = std::filesystem;
  site_stats st;
  std::string out = out_dir;
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  std::error_code ec;
  if (sfs::exists(out, ec) && !sfs::exists(out + "/" + marker, ec)) {
    bool empty = sfs::is_directory(out, ec) && sfs::directory_iterator(out, ec) == sfs::directory_iterator();
    if (!empty)
      return make_error(failure::cant_create, out, "exists and was not made by `vmt advisory site`",
                        "choose a new folder, or empty this one: the site replaces the whole folder");
  }

  VMT_TRY(files, list_sources(source_dir));
  // Loading (yaml-cpp) is most of the work: spread the files over the cores.
  struct loaded {
    std::optional<advisory> a;
    std::optional<note> n;
    std::optional<error> err;
  };
  std::vector<loaded> slots(files.size());
  parallel(files.size(), [&](std::size_t i, const renderer&) {
    const auto& f = files[i];
    auto& slot = slots[i];
    const std::vector<problem>* problems = nullptr;
    if (is_note_file(f)) {
      auto n = load_note(f);
      if (!n) return void(slot.err = n.err());
      slot.n = std::move(*n);
      problems = &slot.n->problems;
    } else {
      auto a = load(f);
      if (!a) return void(slot.err = a.err());
      slot.a = std::move(*a);
      problems = &slot.a->problems;
    }
    for (const auto& p : *problems)
      if (!p.warning) return void(slot.err = make_error(failure::data, format_problem(f, p), "not published", "fix the file"));
  }, r);
  // Every file that cannot be published is named in one pass (not the first one only), and two
  // files with one id would give one page silently overwritten and the entry twice in the feed.
  std::vector<advisory> ads;
  std::vector<note> notes;
  std::vector<std::string> bad;
  std::map<std::string, std::string> owner;  // id -> file
  auto claim = [&](const std::string& id, const std::string& file) {
    auto [it, fresh] = owner.emplace(id, file);
    if (!fresh) bad.push_back(file + ": id " + id + " is also the id of " + it->second + " (one of them must be renumbered)");
    return fresh;
  };
  for (std::size_t i = 0; i < slots.size(); ++i) {
    auto& s = slots[i];
    if (s.err) {
      bad.push_back(s.err->message());
      continue;
    }
    // What `check` would say is not a reason to withhold a publication (the real corpus has such
    // problems): it is reported with the build, and in --json.
    auto problems = s.a ? check(*s.a) : check(*s.n);
    for (const auto& p : problems) st.warnings.push_back(format_problem(files[i], p));
    if (s.a && claim(s.a->id.value, files[i])) ads.push_back(std::move(*s.a));
    if (s.n && claim(s.n->id.value, files[i])) notes.push_back(std::move(*s.n));
  }
  if (!bad.empty()) {
    std::string what = std::to_string(bad.size()) + " file(s) cannot be published; nothing was:";
    for (const auto& b : bad) what += "\n  " + b;
    return make_error(failure::data, source_dir, what, "fix each file named above, then build again");
  }
  if (ads.empty() && notes.empty())
    return make_error(failure::no_input, source_dir, "no OSSA-*.yaml or OSSN-*.yaml files", "check the folder");

  // Newest first: by date, then by id (several advisories can share a day).
  std::sort(ads.begin(), ads.end(), [](const advisory& x, const advisory& y) {
    if (x.date.value != y.date.value) return x.date.value > y.date.value;
    return x.id.value > y.id.value;
  });
  std::sort(notes.begin(), notes.end(), [](const note& x, const note& y) { return x.id.value > y.id.value; });

  std::string stage;
  {
    auto slash = out.rfind('/');
    std::string parent = slash == std::string::npos ? "." : (slash == 0 ? "/" : out.substr(0, slash));
    std::string name = slash == std::string::npos ? out : out.substr(slash + 1);
    stage = parent + "/." + name + ".vmt-prev";
  }
  if (sfs::exists(stage, ec) && !sfs::exists(stage + "/" + marker, ec))
    return make_error(failure::cant_create, stage, "exists and was not made by `vmt advisory site`",
                      "remove it: vmt keeps the previous build of the site there");
  VMT_TRY_STATUS(make_dir(stage));
  VMT_TRY_STATUS(write_public(stage + "/" + marker, "made by vmt advisory site; the folder is replaced on rebuild\n"));
  for (const char* d : {"/ossa", "/ossn", "/cve", "/osv"}) VMT_TRY_STATUS(make_dir(stage + d));

  std::set<std::string> keep{std::string("/") + marker};  // files of this build (relative to stage)
  auto put = [&](const std::string& rel, const std::string& data) -> status {
    ++st.files;
    keep.insert("/" + rel);
    return write_public(stage + "/" + rel, data);
  };

  // Pages, texts and records of each advisory, in parallel; CVE records are written afterwards in
  // order, so that the newest advisory about a CVE owns its record.
  std::vector<std::map<std::string, nlohmann::json>> records(ads.size());
  std::vector<nlohmann::json> osv_records(ads.size());
  std::vector<std::optional<error>> failed(ads.size());
  parallel(ads.size(), [&](std::size_t i, const renderer& lr) {
    const auto& a = ads[i];
    page_links links;
    links.standalone = false;
    links.root = "../";
    if (i + 1 < ads.size()) links.prev_id = ads[i + 1].id.value, links.prev_title = ads[i + 1].title.value;
    if (i > 0) links.next_id = ads[i - 1].id.value, links.next_title = ads[i - 1].title.value;
    auto run = [&]() -> status {
      VMT_TRY(page, lr.html(a, links));
      VMT_TRY_STATUS(write_public(stage + "/ossa/" + a.id.value + ".html", page));
      VMT_TRY(text, lr.rst(a));
      VMT_TRY_STATUS(write_public(stage + "/ossa/" + a.id.value + ".rst", text));
      osv_records[i] = lr.osv(a);
      VMT_TRY_STATUS(write_public(stage + "/ossa/" + a.id.value + ".osv.json", osv_records[i].dump(2) + "\n"));
      records[i] = lr.cna(a);
      return ok_v;
    };
    if (auto s = run(); !s) failed[i] = s.err();
  }, r);
  for (auto& f : failed)
    if (f) return *f;
  for (const auto& a : ads)
    for (const char* ext : {".html", ".rst", ".osv.json"}) keep.insert("/ossa/" + a.id.value + ext), ++st.files;

  std::map<std::string, std::string> cve_owner;  // CVE id -> advisory that wrote its record
  std::vector<entry> feed;
  for (std::size_t i = 0; i < ads.size(); ++i) {
    const auto& a = ads[i];
    for (auto& [cve, rec] : records[i]) {
      // Newest first: an older advisory about the same CVE (an errata) does not overwrite it.
      if (auto it = cve_owner.find(cve); it != cve_owner.end()) {
        st.warnings.push_back(cve + " is in " + it->second + " and " + a.id.value + "; its record follows " + it->second);
        continue;
      }
      cve_owner[cve] = a.id.value;
      VMT_TRY_STATUS(put("cve/" + cve + ".json", rec.dump(2) + "\n"));
      ++st.cve_records;
    }
    feed.push_back({a.id.value, a.title.value, a.date.value, r.advisory_url(a.id.value),
                    first_paragraph(a.description.value), "advisory"});
    ++st.advisories;
  }
  for (std::size_t i = 0; i < notes.size(); ++i) {
    const auto& n = notes[i];
    page_links links;
    links.standalone = false;
    links.root = "../";
    if (i + 1 < notes.size()) links.prev_id = notes[i + 1].id.value, links.prev_title = notes[i + 1].title.value;
    if (i > 0) links.next_id = notes[i - 1].id.value, links.next_title = notes[i - 1].title.value;
    VMT_TRY(page, r.html(n, links));
    VMT_TRY_STATUS(put("ossn/" + n.id.value + ".html", page));
    VMT_TRY(text, r.text(n));
    VMT_TRY_STATUS(put("ossn/" + n.id.value + ".txt", text));
    feed.push_back({n.id.value, n.title.value, n.date.value, r.note_url(n.id.value), first_paragraph(n.summary.value), "note"});
    ++st.notes;
  }

  // The OSV records again, as osv.dev's dumps lay them out (osv_dump.h).
  VMT_TRY(dump, osv_dump(osv_records));
  for (const auto& f : dump) VMT_TRY_STATUS(put(f.path, f.bytes));

  // Index: a section per year, newest first.
  const auto& opts = r.options();
  {
    tmpl::dictionary d;
    d.set("TEAM", opts.team).set("VENDOR", opts.vendor).set("COUNT", std::to_string(ads.size()));
    d.set("ROOT", "").add("STYLE_LINK").set("HREF", "style.css");
    if (!notes.empty()) d.add("HAS_NOTES").set("NOTE_COUNT", std::to_string(notes.size()));
    std::string year;
    tmpl::dictionary* ysec = nullptr;
    for (const auto& a : ads) {
      std::string y = a.date.value.substr(0, 4);
      if (y != year) {
        year = y;
        d.add("YEAR_NAV").set("YEAR", y);
        ysec = &d.add("YEAR");
        ysec->set("YEAR", y);
      }
      auto& e = ysec->add("ADVISORY");
      e.set("ID", a.id.value).set("TITLE", a.title.value).set("DATE_ISO", a.date.value);
      e.set("PRODUCTS", product_list(a)).set("CVES", cve_list(a));
    }
    VMT_TRY(page, r.engine().render("advisory/index.html.tpl", d));
    VMT_TRY_STATUS(put("index.html", page));
  }
  if (!notes.empty()) {
    tmpl::dictionary d;
    d.set("TEAM", opts.team).set("VENDOR", opts.vendor).set("COUNT", std::to_string(notes.size()));
    d.set("ROOT", "").add("STYLE_LINK").set("HREF", "style.css");
    for (const auto& n : notes)
      d.add("NOTE").set("ID", n.id.value).set("TITLE", n.title.value).set("DATE_ISO", n.date.value);
    VMT_TRY(page, r.engine().render("advisory/notes.html.tpl", d));
    VMT_TRY_STATUS(put("notes.html", page));
  }
  {
    std::stable_sort(feed.begin(), feed.end(), [](const entry& x, const entry& y) { return x.date > y.date; });
    tmpl::dictionary d;
    d.set("TEAM", opts.team).set("SITE_URL", opts.site_url);
    d.set("UPDATED", (feed.empty() ? std::string("1970-01-01") : feed.front().date) + "T00:00:00Z");
    for (std::size_t i = 0; i < feed.size() && i < 50; ++i) {
      auto& e = d.add("ENTRY");
      e.set("ID", feed[i].id).set("TITLE", feed[i].title).set("URL", feed[i].url);
      e.set("UPDATED", feed[i].date + "T00:00:00Z").set("SUMMARY", feed[i].summary);
    }
    VMT_TRY(xml, r.engine().render("advisory/atom.xml.tpl", d));
    VMT_TRY_STATUS(put("atom.xml", xml));
  }
  {
    auto css = r.engine().source("advisory/style.css");
    if (!css) return css.err();
    VMT_TRY_STATUS(put("style.css", *css));
  }
  // Files of an older build that this one did not write (a withdrawn advisory) go.
  for (auto it = sfs::recursive_directory_iterator(stage, ec); it != sfs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file(ec)) continue;
    std::string rel = it->path().string().substr(stage.size());
    if (!keep.count(rel)) sfs::remove(it->path(), ec);
  }

  // Swap the new site in atomically; the old one stays in `stage` for the next build to reuse.
  if (sfs::exists(out, ec)) {
    if (::renameat2(AT_FDCWD, stage.c_str(), AT_FDCWD, out.c_str(), RENAME_EXCHANGE) != 0) {
      if (errno != EINVAL && errno != ENOSYS)
        return make_error(failure::cant_create, out, std::string("cannot replace: ") + std::strerror(errno),
                          "check the permissions of its parent folder");
      // A file system without exchange: move the old site away, the new one in, drop the old one.
      std::string old = out + ".old-" + std::to_string(::getpid());
      if (::rename(out.c_str(), old.c_str()) != 0 || ::rename(stage.c_str(), out.c_str()) != 0)
        return make_error(failure::cant_create, out, std::string("cannot replace: ") + std::strerror(errno),
                          "check the permissions of its parent folder");
      sfs::remove_all(old, ec);
    }
  } else if (::rename(stage.c_str(), out.c_str()) != 0) {
    return make_error(failure::cant_create, out, std::string("cannot move the new site in: ") + std::strerror(errno),
                      "check the permissions of its parent folder");
  }
  ::chmod(out.c_str(), 0755);
  // An empty folder that was there before (not ours) is not kept as a previous build.
  if (!sfs::exists(stage + "/" + marker, ec)) sfs::remove_all(stage, ec);
  return st;
}

}  // namespace vmt::advisory
