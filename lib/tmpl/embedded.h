// embedded.h: the shipped templates, compiled into the library (generated from templates/ by
// cmake/embed_templates.cmake at build time).
//
// They are the last place a template is looked for, after the team's own folder: a program needs
// no installed or build tree to find its texts, whoever runs it and whatever its environment.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vmt::tmpl {

namespace detail {
struct builtin_file {
  std::string_view name;     // "reception/ack.tpl"
  std::string_view content;
};
const std::vector<builtin_file>& builtin_files();
}  // namespace detail

// The shipped content of template `name`, or nullopt.
std::optional<std::string_view> builtin(std::string_view name);

}  // namespace vmt::tmpl
