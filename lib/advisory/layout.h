// layout.h: the text transformations the advisory layouts use, as template modifiers.
//
// The published corpus was produced by Jinja2 filters over Python strings, so these reproduce
// Python's semantics (code points, not bytes; textwrap's word splitting, which breaks after hyphens
// but never inside long words). Templates call them as {{VAR:x-wrap=70}}, {{VAR:x-rule==}}, ...
// after register_modifiers().
#pragma once

#include <string>
#include <vector>

namespace vmt::advisory::layout {

// Register x-capitalize, x-trim, x-rule=C, x-wrap=W,I, x-indent=N and x-html-text with tmpl
// (idempotent, thread-safe).
void register_modifiers();

// Number of Unicode code points in UTF-8 `s` (what Python's len() counts).
std::size_t code_points(const std::string& s);
// Split UTF-8 into code points (each a UTF-8 string).
std::vector<std::string> split_code_points(const std::string& s);
// `c` repeated once per code point of `s` (an rST underline).
std::string rule(const std::string& s, const std::string& c);
// Python str.capitalize(): first character upper case, the rest lower case.
std::string capitalize(const std::string& s);
// Python str.strip().
std::string strip(const std::string& s);
// Python str.splitlines().
std::vector<std::string> splitlines(const std::string& s);
// Python textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=True,
// replace_whitespace=False, expand_tabs=False).
std::vector<std::string> wrap_line(const std::string& line, std::size_t width);
// Jinja2 wordwrap(width, break_long_words=False, wrapstring): each line wrapped on its own.
std::string wordwrap(const std::string& s, std::size_t width, const std::string& wrapstring);
// Jinja2 indent(width): every line but the first indented, blank lines left alone.
std::string indent(const std::string& s, std::size_t width);
// "%B %d, %Y" in the C locale: "May 01, 2026".
std::string long_date(int year, unsigned month, unsigned day);

// HTML: escape text and turn ``literal`` into <code> and bare http(s) links into <a>.
std::string html_inline(const std::string& s);
std::string html_escape(const std::string& s);

}  // namespace vmt::advisory::layout
