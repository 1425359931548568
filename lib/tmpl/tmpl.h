// tmpl.h: every text people read comes from an operator-editable template file, rendered with
// ctemplate (Debian's libctemplate-dev).
//
// Templates are looked up first in the team's own folder (config `templates`, usually DIR/templates)
// and then in the shipped defaults, which are compiled into the programs (embedded.h), so an
// operator overrides one file by copying it, not the whole set, and no program depends on an
// installed or build tree to find its texts. Values are substituted once and never re-expanded: text from a
// report that happens to contain {{MARKERS}} stays literal.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"

namespace ctemplate {
class TemplateDictionary;
class TemplateCache;
}  // namespace ctemplate

namespace vmt::config {
struct config;
}

namespace vmt::tmpl {

// Values for one rendering: {{NAME}} variables and {{#SECTION}}...{{/SECTION}} sections.
class dictionary {
 public:
  dictionary();
  ~dictionary();
  dictionary(const dictionary&) = delete;
  dictionary& operator=(const dictionary&) = delete;

  dictionary& set(const std::string& name, const std::string& value);
  // Show a section once (for optional blocks).
  dictionary& show(const std::string& section);
  // Add one repetition of a section and return its own dictionary.
  dictionary& add(const std::string& section);

  const ctemplate::TemplateDictionary& raw() const { return *dict_; }

 private:
  explicit dictionary(ctemplate::TemplateDictionary* borrowed);
  ctemplate::TemplateDictionary* dict_;
  bool owned_;
  std::vector<std::unique_ptr<dictionary>> children_;
};

class engine {
 public:
  // `roots`: folders searched in order for a template name ("reception/ack.tpl"); the shipped
  // (compiled-in) templates come after them.
  explicit engine(std::vector<std::string> roots);
  ~engine();
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  // Render template `name`; failure::config naming the file and the line when it does not parse.
  result<std::string> render(const std::string& name, const dictionary& values) const;
  // Where `name` resolves to: a file, "(built in) NAME" for a shipped template, or empty.
  std::string find(const std::string& name) const;
  // The text of template (or asset) `name`, without rendering it.
  result<std::string> source(const std::string& name) const;

 private:
  std::vector<std::string> roots_;
  std::unique_ptr<ctemplate::TemplateCache> cache_;
  mutable std::set<std::string> loaded_;  // shipped templates already in the cache
};

// The engine for a team: its own `templates` folder first, then the shipped ones.
std::unique_ptr<engine> make_engine(const config::config& cfg);

// A mail rendered from a template whose first lines are headers up to a blank line:
//   Subject: ...                          required
//   Auto-Submitted: auto-replied|auto-generated   mail no person sends (RFC 3834)
//   Outer-Subject: visible|hidden         when encrypted, may the subject show outside? (default
//                                         visible; docs/outbound.md says which templates hide it)
struct mail_text {
  std::string subject;
  std::string body;
  std::string auto_submitted;
  bool hide_subject = false;
};
// Render a mail template; failure::config when its Subject line is missing.
result<mail_text> render_mail(const engine& e, const std::string& name, const dictionary& values);

// Register a custom modifier usable as {{VAR:x-NAME}} (names must start with "x-").
// `fn(input, argument)` returns the output. Registered process-wide, before first use.
using modifier_fn = std::string (*)(const std::string& input, const std::string& arg);
void register_modifier(const std::string& name, modifier_fn fn);

}  // namespace vmt::tmpl
