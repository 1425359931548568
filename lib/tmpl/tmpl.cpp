// tmpl.cpp: ctemplate adapter (see tmpl.h).
#include "tmpl/tmpl.h"

#include <ctemplate/template.h>
#include <ctemplate/template_cache.h>
#include <ctemplate/template_emitter.h>
#include <ctemplate/template_modifiers.h>

#include <mutex>

#include "config/config.h"
#include "core/fs.h"
#include "tmpl/embedded.h"

namespace vmt::tmpl {

dictionary::dictionary() : dict_(new ctemplate::TemplateDictionary("vmt")), owned_(true) {}
dictionary::dictionary(ctemplate::TemplateDictionary* borrowed) : dict_(borrowed), owned_(false) {}
dictionary::~dictionary() {
  children_.clear();
  if (owned_) delete dict_;
}

dictionary& dictionary::set(const std::string& name, const std::string& value) {
  dict_->SetValue(name, value);
  return *this;
}
dictionary& dictionary::show(const std::string& section) {
  dict_->ShowSection(section);
  return *this;
}
dictionary& dictionary::add(const std::string& section) {
  children_.push_back(std::unique_ptr<dictionary>(new dictionary(dict_->AddSectionDictionary(section))));
  return *children_.back();
}

engine::engine(std::vector<std::string> roots)
    : roots_(std::move(roots)), cache_(std::make_unique<ctemplate::TemplateCache>()) {}
engine::~engine() = default;

namespace {
constexpr std::string_view builtin_prefix = "(built in) ";

std::string team_file(const std::vector<std::string>& roots, const std::string& name) {
  for (const auto& r : roots) {
    auto p = fs::join(r, name);
    if (fs::exists(p)) return p;
  }
  return {};
}

error not_found(const std::vector<std::string>& roots, const std::string& name) {
  std::string where;
  for (const auto& r : roots) where += (where.empty() ? "" : ", ") + r;
  return make_error(failure::config, name,
                    "template not found in " + (where.empty() ? std::string("(no folder)") : where) +
                        " nor among the shipped ones",
                    "check the name; the shipped templates are listed in share/vmt/templates");
}
}  // namespace

std::string engine::find(const std::string& name) const {
  auto path = team_file(roots_, name);
  if (!path.empty()) return path;
  if (builtin(name)) return std::string(builtin_prefix) + name;
  return {};
}

result<std::string> engine::source(const std::string& name) const {
  auto path = team_file(roots_, name);
  if (!path.empty()) return fs::read_file(path, 16u << 20);
  if (auto text = builtin(name)) return std::string(*text);
  return not_found(roots_, name);
}

result<std::string> engine::render(const std::string& name, const dictionary& values) const {
  auto key = team_file(roots_, name);
  if (key.empty()) {
    auto text = builtin(name);
    if (!text) return not_found(roots_, name);
    // A shipped template enters the cache under a key no file name can take.
    key = std::string(builtin_prefix) + name;
    if (!loaded_.count(key)) {
      if (!cache_->StringToTemplateCache(key, std::string(*text), ctemplate::DO_NOT_STRIP))
        return make_error(failure::software, key, "shipped template does not parse");
      loaded_.insert(key);
    }
  }
  std::string out;
  // ctemplate keeps whitespace only with DO_NOT_STRIP; our layouts depend on it.
  if (!cache_->ExpandWithData(key, ctemplate::DO_NOT_STRIP, &values.raw(), nullptr, &out))
    return make_error(failure::config, key, "template does not parse",
                      "check {{ }} markers and that every {{#SECTION}} is closed");
  return out;
}

std::unique_ptr<engine> make_engine(const config::config& cfg) {
  return std::make_unique<engine>(std::vector<std::string>{cfg.path(cfg.templates)});
}

result<mail_text> render_mail(const engine& e, const std::string& name, const dictionary& values) {
  VMT_TRY(text, e.render(name, values));
  mail_text m;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty()) break;
    auto colon = line.find(':');
    std::string field = colon == std::string::npos ? line : line.substr(0, colon);
    std::string value = colon == std::string::npos ? std::string() : line.substr(colon + 1);
    value = value.substr(std::min(value.find_first_not_of(' '), value.size()));
    if (field == "Subject") {
      m.subject = value;
    } else if (field == "Auto-Submitted" && (value == "auto-replied" || value == "auto-generated")) {
      m.auto_submitted = value;
    } else if (field == "Outer-Subject" && (value == "visible" || value == "hidden")) {
      m.hide_subject = value == "hidden";
    } else {
      return make_error(failure::config, e.find(name), "unexpected header line '" + line + "'",
                        "a mail template starts with 'Subject: ...' (optionally 'Auto-Submitted: auto-replied|"
                        "auto-generated' and 'Outer-Subject: visible|hidden') and a blank line");
    }
  }
  if (m.subject.empty())
    return make_error(failure::config, e.find(name), "no Subject line", "start the template with 'Subject: ...'");
  m.body = pos < text.size() ? text.substr(pos) : std::string();
  return m;
}

namespace {
class fn_modifier : public ctemplate::TemplateModifier {
 public:
  explicit fn_modifier(modifier_fn fn) : fn_(fn) {}
  void Modify(const char* in, size_t inlen, const ctemplate::PerExpandData*, ctemplate::ExpandEmitter* out,
              const std::string& arg) const override {
    // ctemplate passes the argument with its leading '=' (x-wrap=70); strip it.
    std::string a = !arg.empty() && arg[0] == '=' ? arg.substr(1) : arg;
    out->Emit(fn_(std::string(in, inlen), a));
  }

 private:
  modifier_fn fn_;
};
std::mutex modifier_mutex;
}  // namespace

void register_modifier(const std::string& name, modifier_fn fn) {
  std::lock_guard lock(modifier_mutex);
  // ctemplate keeps the pointer for the life of the process.
  ctemplate::AddModifier(name.c_str(), new fn_modifier(fn));
}

}  // namespace vmt::tmpl
