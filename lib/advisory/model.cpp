// model.cpp: build advisories and notes from their YAML tree (see advisory.h).
//
// Reading is lenient where PyYAML's pipeline was (unknown keys are kept as warnings) and strict
// where a wrong type would make the published text wrong: those become errors with the field path.
#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "advisory/advisory.h"
#include "advisory/yaml_tree.h"

namespace vmt::advisory {

using detail::node;

int advisory::year() const {
  if (!day) return 0;
  return static_cast<int>(std::chrono::year_month_day{*day}.year());
}

namespace {

const char* kind_name(const node& n) {
  switch (n.type) {
    case node::kind::map: return "a mapping";
    case node::kind::sequence: return "a list";
    default: return "text";
  }
}

const char* type_name(detail::scalar_type t) {
  switch (t) {
    case detail::scalar_type::integer: return "int";
    case detail::scalar_type::floating: return "float";
    case detail::scalar_type::boolean: return "bool";
    case detail::scalar_type::null: return "null";
    case detail::scalar_type::date: return "date";
    case detail::scalar_type::timestamp: return "timestamp";
    default: return "str";
  }
}

// Collects problems while reading one document.
class reader {
 public:
  explicit reader(std::vector<problem>& out) : out_(out) {}

  void error(const node* n, const std::string& field, std::string what, std::string expected) {
    out_.push_back({n ? n->at.line : 0, n ? n->at.column : 0, field, std::move(what), std::move(expected), false});
  }
  void warn(const node* n, const std::string& field, std::string what, std::string expected) {
    out_.push_back({n ? n->at.line : 0, n ? n->at.column : 0, field, std::move(what), std::move(expected), true});
  }

  // A text value; lists and mappings are errors.
  text scalar(const node* n, const std::string& field, const std::string& expected = "text") {
    text t;
    if (!n) return t;
    t.line = n->at.line;
    t.column = n->at.column;
    if (!n->is_scalar()) {
      error(n, field, std::string("expected ") + expected + ", got " + kind_name(*n), expected);
      return t;
    }
    if (n->is_null()) return t;  // `key:` with nothing: absent, as far as the layout is concerned
    t.present = true;
    t.value = n->text;
    if (n->plain && n->resolved != detail::scalar_type::string) {
      t.typed = true;
      t.type = type_name(n->resolved);
    }
    return t;
  }

  // A list of nodes; a missing list is empty, a scalar is an error.
  std::vector<const node*> list(const node* n, const std::string& field, const std::string& expected) {
    std::vector<const node*> v;
    if (!n || n->is_null()) return v;
    if (n->type != node::kind::sequence) {
      error(n, field, std::string("expected ") + expected + ", got " + kind_name(*n), expected);
      return v;
    }
    for (const auto& i : n->items) v.push_back(i.get());
    return v;
  }

  // A list of text values, each named field[i] in errors.
  std::vector<text> scalars(const node* n, const std::string& field, const std::string& expected,
                            const std::string& item = "text") {
    std::vector<text> out;
    int i = 0;
    for (const node* x : list(n, field, expected)) out.push_back(scalar(x, field + "[" + std::to_string(i++) + "]", item));
    return out;
  }

  bool mapping(const node* n, const std::string& field, const std::string& expected) {
    if (!n || n->is_null()) return false;
    if (n->type != node::kind::map) {
      error(n, field, std::string("expected ") + expected + ", got " + kind_name(*n), expected);
      return false;
    }
    return true;
  }

  void known(const node& map, const std::string& field, const std::set<std::string>& keys, bool strict) {
    std::set<std::string> seen;
    for (const auto& [k, v] : map.pairs) {
      std::string name = field.empty() ? k->raw : field + "." + k->raw;
      if (!seen.insert(k->raw).second)
        error(k.get(), name, "duplicate key", "each key once (YAML keeps only the last)");
      if (keys.count(k->raw)) continue;
      std::string allowed;
      for (const auto& a : keys) allowed += (allowed.empty() ? "" : ", ") + a;
      if (strict) error(k.get(), name, "unknown key", "one of " + allowed);
      else warn(k.get(), name, "unknown key, ignored by the layouts", "one of " + allowed);
    }
  }

 private:
  std::vector<problem>& out_;
};

void read_affected(reader& r, const node* n, const std::string& field, std::vector<affected_product>& out) {
  int i = 0;
  for (const node* p : r.list(n, field, "a list of {product, version}")) {
    std::string f = field + "[" + std::to_string(i++) + "]";
    if (!r.mapping(p, f, "a mapping with product and version")) continue;
    r.known(*p, f, {"product", "version"}, false);
    affected_product a;
    a.product = r.scalar(p->get("product"), f + ".product");
    a.version = r.scalar(p->get("version"), f + ".version");
    if (!a.product.line) a.product.line = p->at.line, a.product.column = p->at.column;
    if (!a.version.line) a.version.line = p->at.line, a.version.column = p->at.column;
    out.push_back(std::move(a));
  }
}

// A mapping from branch label to a list of links ("type: gerrit" is not a branch).
void read_branches(reader& r, const node* rv, const std::string& field, std::vector<review_branch>& out) {
  if (!r.mapping(rv, field, "a mapping from branch to review links")) return;
  std::set<std::string> seen;
  for (const auto& [k, v] : rv->pairs) {
    std::string f = field + "." + k->raw;
    if (!seen.insert(k->raw).second) r.error(k.get(), f, "duplicate branch", "each branch once");
    if (k->raw == "type") continue;
    review_branch b;
    b.branch = r.scalar(k.get(), f);
    int j = 0;
    for (const node* l : r.list(v.get(), f, "a list of review links"))
      b.links.push_back(r.scalar(l, f + "[" + std::to_string(j++) + "]", "a link"));
    out.push_back(std::move(b));
  }
}

// The date field: an unquoted YYYY-MM-DD that is a real calendar date.
std::optional<clock::days> read_date(reader& r, const node* d) {
  if (!d || !d->is_scalar() || d->is_null()) return std::nullopt;
  if (!d->plain || d->resolved != detail::scalar_type::date) {
    r.error(d, "date", "'" + d->raw + "' is not an unquoted date",
            "an unquoted YYYY-MM-DD (the layout reads it as a date)");
    return std::nullopt;
  }
  return clock::parse_iso_date(d->raw);
}

result<std::shared_ptr<node>> root_map(const std::string& file, result<std::shared_ptr<node>> parsed,
                                       const char* what) {
  if (!parsed) return parsed;
  const auto& root = *parsed;
  if (root->type != node::kind::map)
    return make_error(failure::data,
                      file + ":" + std::to_string(root->at.line) + ":" + std::to_string(root->at.column),
                      std::string("expected ") + what + " (a YAML mapping), this is " + kind_name(*root),
                      "start with 'date:', 'id:', 'title:' lines");
  return parsed;
}

advisory build_advisory(const std::string& file, const node* root) {
  advisory a;
  a.file = file;
  reader r(a.problems);
  r.known(*root, "",
          {"date", "id", "title", "description", "errata", "errata_history", "affected-products",
           "vulnerabilities", "reporters", "issues", "reviews", "notes", "reference", "type"},
          false);
  a.id = r.scalar(root->get("id"), "id");
  a.date = r.scalar(root->get("date"), "date", "a date YYYY-MM-DD");
  a.day = read_date(r, root->get("date"));
  a.title = r.scalar(root->get("title"), "title");
  a.description = r.scalar(root->get("description"), "description");
  a.errata = r.scalar(root->get("errata"), "errata");
  read_affected(r, root->get("affected-products"), "affected-products", a.affected);

  int i = 0;
  for (const node* v : r.list(root->get("vulnerabilities"), "vulnerabilities", "a list of {cve-id}")) {
    std::string f = "vulnerabilities[" + std::to_string(i++) + "]";
    if (!r.mapping(v, f, "a mapping with cve-id")) continue;
    r.known(*v, f, {"cve-id", "note", "impact-assessment", "classification"}, false);
    vulnerability x;
    x.cve = r.scalar(v->get("cve-id"), f + ".cve-id");
    if (!x.cve.line) x.cve.line = v->at.line, x.cve.column = v->at.column;
    x.note = r.scalar(v->get("note"), f + ".note");
    a.vulnerabilities.push_back(std::move(x));
  }

  i = 0;
  for (const node* p : r.list(root->get("reporters"), "reporters", "a list of {name, affiliation, reported}")) {
    std::string f = "reporters[" + std::to_string(i++) + "]";
    if (!r.mapping(p, f, "a mapping with name, affiliation and reported")) continue;
    r.known(*p, f, {"name", "affiliation", "reported"}, false);
    reporter x;
    x.line = p->at.line;
    x.column = p->at.column;
    x.name = r.scalar(p->get("name"), f + ".name");
    x.affiliation = r.scalar(p->get("affiliation"), f + ".affiliation");
    if (const node* rep = p->get("reported")) {
      x.reported_present = true;
      if (rep->is_scalar() && !rep->is_null()) {
        x.reported_is_text = true;
        x.reported.push_back(r.scalar(rep, f + ".reported"));
      } else {
        x.reported = r.scalars(rep, f + ".reported", "a list of CVE ids", "a CVE id");
      }
    }
    a.reporters.push_back(std::move(x));
  }

  if (const node* is = root->get("issues"); r.mapping(is, "issues", "a mapping with links")) {
    r.known(*is, "issues", {"links", "type"}, false);
    a.issue_links = r.scalars(is->get("links"), "issues.links", "a list of links", "a link");
  }

  read_branches(r, root->get("reviews"), "reviews", a.reviews);

  a.notes = r.scalars(root->get("notes"), "notes", "a list of notes");
  a.errata_history = r.scalars(root->get("errata_history"), "errata_history", "a list of changes");

  // Every layout needs these three: without them the file is not published at all.
  if (!root->get("id")) r.error(root, "id", "missing", "id: OSSA-YYYY-NNN");
  if (!root->get("title")) r.error(root, "title", "missing", "a one-line title");
  if (!root->get("date")) r.error(root, "date", "missing", "date: YYYY-MM-DD");
  return a;
}

note build_note(const std::string& file, const node* root) {
  note n;
  n.file = file;
  reader r(n.problems);
  r.known(*root, "",
          {"id", "date", "title", "summary", "affected-products", "affected", "discussion",
           "recommended-actions", "patches", "patches-text", "credits", "authors", "references", "cve"},
          false);
  n.id = r.scalar(root->get("id"), "id");
  n.date = r.scalar(root->get("date"), "date", "a date YYYY-MM-DD");
  n.day = read_date(r, root->get("date"));
  n.title = r.scalar(root->get("title"), "title");
  n.summary = r.scalar(root->get("summary"), "summary");
  read_affected(r, root->get("affected-products"), "affected-products", n.affected);
  n.affected_text = r.scalar(root->get("affected"), "affected");
  n.discussion = r.scalar(root->get("discussion"), "discussion");
  n.actions = r.scalar(root->get("recommended-actions"), "recommended-actions");
  read_branches(r, root->get("patches"), "patches", n.patches);
  n.patches_text = r.scalar(root->get("patches-text"), "patches-text");
  n.credits = r.scalar(root->get("credits"), "credits");
  n.authors = r.scalars(root->get("authors"), "authors", "a list of authors", "Name, Organisation");
  int i = 0;
  for (const node* l : r.list(root->get("references"), "references", "a list of {label, url}")) {
    std::string f = "references[" + std::to_string(i++) + "]";
    if (!r.mapping(l, f, "a mapping with label and url")) continue;
    r.known(*l, f, {"label", "url"}, false);
    n.references.push_back({r.scalar(l->get("label"), f + ".label"), r.scalar(l->get("url"), f + ".url", "a link")});
  }
  if (const node* c = root->get("cve"); c && c->is_scalar()) {
    if (!c->is_null()) n.cves.push_back(r.scalar(c, "cve", "a CVE id"));
  } else {
    n.cves = r.scalars(c, "cve", "a CVE id or a list of them", "a CVE id");
  }
  if (!root->get("id")) r.error(root, "id", "missing", "id: OSSN-NNNN");
  if (!root->get("title")) r.error(root, "title", "missing", "a one-sentence title");
  if (!root->get("date")) r.error(root, "date", "missing", "date: YYYY-MM-DD");
  return n;
}

}  // namespace

result<advisory> load_text(const std::string& file, const std::string& yaml) {
  VMT_TRY(root, root_map(file, detail::parse(file, yaml), "an advisory"));
  return build_advisory(file, root.get());
}

result<advisory> load(const std::string& file) {
  VMT_TRY(root, root_map(file, detail::parse_file(file), "an advisory"));
  return build_advisory(file, root.get());
}

result<note> load_note_text(const std::string& file, const std::string& yaml) {
  VMT_TRY(root, root_map(file, detail::parse(file, yaml), "a security note"));
  return build_note(file, root.get());
}

result<note> load_note(const std::string& file) {
  VMT_TRY(root, root_map(file, detail::parse_file(file), "a security note"));
  return build_note(file, root.get());
}

namespace {
std::string base_name(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}
bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}
}  // namespace

bool is_note_file(const std::string& path) { return base_name(path).rfind("OSSN-", 0) == 0; }

std::optional<std::pair<int, int>> parse_id(const std::string& id, const std::string& prefix) {
  // PREFIX-YYYY-NNN: three digits at least (numbers go on past 999 without renaming).
  if (id.size() < prefix.size() + 9 || id.compare(0, prefix.size(), prefix) != 0 || id[prefix.size()] != '-')
    return std::nullopt;
  std::string rest = id.substr(prefix.size() + 1);
  if (rest.size() < 8 || rest[4] != '-') return std::nullopt;
  std::string y = rest.substr(0, 4), n = rest.substr(5);
  if (!all_digits(y) || !all_digits(n) || n.size() < 3 || n.size() > 6) return std::nullopt;
  return std::make_pair(std::stoi(y), std::stoi(n));
}

std::optional<int> parse_note_id(const std::string& id, const std::string& prefix) {
  if (id.size() < prefix.size() + 5 || id.compare(0, prefix.size(), prefix) != 0 || id[prefix.size()] != '-')
    return std::nullopt;
  std::string n = id.substr(prefix.size() + 1);
  if (!all_digits(n) || n.size() < 4 || n.size() > 6) return std::nullopt;
  return std::stoi(n);
}

result<std::vector<std::string>> list_sources(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (!d)
    return make_error(errno == ENOENT ? failure::no_input : failure::io, dir,
                      std::string("cannot read the folder: ") + std::strerror(errno), "check the path");
  std::vector<std::string> out;
  while (auto* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.size() > 5 && name.compare(name.size() - 5, 5, ".yaml") == 0 && name[0] != '.')
      out.push_back(dir + (dir.empty() || dir.back() == '/' ? "" : "/") + name);
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

result<std::string> next_id(const std::string& dir, int year, const std::string& prefix) {
  int last = 0;
  auto files = list_sources(dir);
  if (!files && files.err().kind != failure::no_input) return files.err();
  if (files)
    for (const auto& f : *files) {
      std::string b = base_name(f);
      auto id = parse_id(b.substr(0, b.size() - 5), prefix);
      if (id && id->first == year) last = std::max(last, id->second);
    }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s-%04d-%03d", prefix.c_str(), year, last + 1);
  return std::string(buf);
}

}  // namespace vmt::advisory

namespace vmt::advisory {

result<std::string> next_note_id(const std::string& dir, const std::string& prefix) {
  int last = 0;
  auto files = list_sources(dir);
  if (!files && files.err().kind != failure::no_input) return files.err();
  if (files)
    for (const auto& f : *files) {
      std::string b = base_name(f);
      if (auto n = parse_note_id(b.substr(0, b.size() - 5), prefix)) last = std::max(last, *n);
    }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s-%04d", prefix.c_str(), last + 1);
  return std::string(buf);
}

}  // namespace vmt::advisory
