// mime.cpp: the bounded MIME splitter that keeps byte ranges (see mime.h).
//
// Hand-rolled on purpose: mimetic's MimeEntity parser copies every part into its own buffers and
// loses the original bytes and offsets (so a multipart/signed could not be verified), it does not
// report malformed structure, and it slows down sharply on very long header lines. This splitter
// reads header blocks and boundary delimiters only; values are interpreted by header.cpp and bodies
// decoded by codec.cpp (mimetic's codecs). Rules follow RFC 2045/2046 strictly where a lenient
// reading would let two readers see different parts: a delimiter is "--boundary" at the start of a
// line followed only by "--" and/or white space.
#include "message/mime.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"
#include "message/codec.h"

namespace vmt::message {

namespace {

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

void note(entity& e, const std::string& problem) {
  if (std::find(e.problems.begin(), e.problems.end(), problem) == e.problems.end())
    e.problems.push_back(problem);
}

struct parser {
  std::string_view s;
  const limits& lim;
  document& doc;

  // Header block of `en` starting at b (up to e); sets headers and body_begin.
  void parse_headers(entity& en, std::size_t b, std::size_t e, bool top) {
    std::size_t pos = b;
    if (top && s.substr(pos, 5) == "From ") {  // mbox separator line
      auto nl = s.find('\n', pos);
      pos = nl == std::string_view::npos || nl >= e ? e : nl + 1;
      doc.mbox_from = true;
    }
    std::size_t header_bytes = 0;
    bool long_line = false;
    auto finish = [&](std::size_t body) {
      en.body_begin = body;
      if (long_line) {
        note(en, "header-line-too-long");
        doc.truncated = true;
      }
    };
    while (pos < e) {
      std::size_t nl = s.find('\n', pos);
      if (nl == std::string_view::npos || nl >= e) nl = e;
      std::size_t next = nl < e ? nl + 1 : e;
      std::string_view line = s.substr(pos, nl - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) return finish(next);
      header_bytes += next - pos;
      if (header_bytes > lim.max_header_bytes) {
        note(en, "header-too-large");
        doc.truncated = true;
        return finish(pos);
      }
      if (line.front() == ' ' || line.front() == '\t') {
        if (en.headers.empty()) {
          note(en, "continuation-without-field");
        } else {
          auto& v = en.headers.back().value;
          if (v.size() + line.size() > lim.max_line_bytes) {
            long_line = true;
            v.append(line.substr(0, lim.max_line_bytes > v.size() ? lim.max_line_bytes - v.size() : 0));
          } else {
            v.append(line);
          }
        }
        pos = next;
        continue;
      }
      auto colon = line.find(':');
      std::string_view name = colon == std::string_view::npos ? std::string_view() : line.substr(0, colon);
      while (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
        name.remove_suffix(1);  // obs "Name :"
      if (!valid_header_name(name)) {
        // Not a header line: the header block ended without its blank line; the body starts here.
        if (!en.headers.empty() || pos != b) note(en, "missing-header-separator");
        return finish(pos);
      }
      std::string_view v = line.substr(colon + 1);
      if (v.size() > lim.max_line_bytes) {
        long_line = true;
        v = v.substr(0, lim.max_line_bytes);
      }
      en.headers.push_back({std::string(name), std::string(v)});
      pos = next;
    }
    finish(e);
  }

  void finish_headers(entity& en) {
    for (auto& h : en.headers) h.value = unfold(h.value);
  }

  // Interpret the MIME fields of `en`.
  void read_fields(entity& en, bool digest_child) {
    if (digest_child) en.type = parse_content_type("message/rfc822");
    if (const auto* ct = en.header("content-type")) {
      en.type = parse_content_type(ct->value);
      en.type_given = true;
      if (!en.type.valid) {
        note(en, "invalid-content-type");
        en.type.type = "text";
        en.type.subtype = "plain";
      }
      if (en.header_count("content-type") > 1) note(en, "duplicate-content-type");
    }
    en.encoding = text::lower(unfold(en.value("content-transfer-encoding")));
    if (const auto* cd = en.header("content-disposition")) en.disp = parse_disposition(cd->value);
    std::string fn = en.disp.params.get("filename");
    if (fn.empty()) fn = en.type.params.get("name");
    en.filename = decode_words(fn);
  }

  void parse_entity(entity& en, std::size_t b, std::size_t e, int depth, bool digest_child, bool top) {
    en.begin = b;
    en.end = e;
    en.depth = depth;
    parse_headers(en, b, e, top);
    finish_headers(en);
    read_fields(en, digest_child);
    if (en.type.multipart()) {
      if (depth + 1 >= lim.max_depth) {
        note(en, "too-deep");
        doc.truncated = true;
        return;
      }
      split(en, depth);
    } else if (en.type.type == "message" && (en.type.subtype == "rfc822" || en.type.subtype == "global")) {
      if (!en.encoding.empty() && en.encoding != "7bit" && en.encoding != "8bit" && en.encoding != "binary") {
        note(en, "encoded-message");  // a base64 message/rfc822 stays a leaf
        return;
      }
      if (depth + 1 >= lim.max_depth) {
        note(en, "too-deep");
        doc.truncated = true;
        return;
      }
      if (doc.parts >= lim.max_parts) {
        note(en, "too-many-parts");
        doc.truncated = true;
        return;
      }
      ++doc.parts;
      en.children.emplace_back();
      parse_entity(en.children.back(), en.body_begin, en.end, depth + 1, false, false);
    }
  }

  // Split a multipart body at its boundary delimiters and parse the parts.
  void split(entity& en, int depth) {
    std::string boundary = en.type.params.get("boundary");
    if (boundary.empty()) {
      note(en, "no-boundary");
      return;
    }
    if (en.type.params.count("boundary") > 1) {
      note(en, "ambiguous-boundary");  // two readers could pick different ones: keep it opaque
      return;
    }
    if (boundary.size() > 70) note(en, "long-boundary");
    if (boundary.size() > 998) {
      note(en, "no-boundary");
      return;
    }
    const std::string delim = "--" + boundary;
    const std::size_t b = en.body_begin, e = en.end;
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    bool in_part = false, closed = false;
    std::size_t part_begin = 0;
    std::size_t search = b;
    while (search < e) {
      std::size_t k = s.find(delim, search);
      if (k == std::string_view::npos || k + delim.size() > e) break;
      search = k + 1;
      if (k != b && s[k - 1] != '\n') continue;  // not at the start of a line
      std::size_t p = k + delim.size();
      bool close = false;
      if (p + 2 <= e && s[p] == '-' && s[p + 1] == '-') {
        close = true;
        p += 2;
      }
      std::size_t q = p;
      while (q < e && (s[q] == ' ' || s[q] == '\t')) ++q;
      std::size_t line_end;
      if (q >= e) {
        line_end = e;
      } else if (s[q] == '\n') {
        line_end = q + 1;
      } else if (s[q] == '\r' && q + 1 < e && s[q + 1] == '\n') {
        line_end = q + 2;
      } else if (s[q] == '\r' && q + 1 == e) {
        line_end = e;
      } else {
        continue;  // "--boundaryX": another (longer) boundary, not ours
      }
      // The line break before the delimiter belongs to the delimiter (RFC 2046 5.1.1), but never
      // one that ended the previous delimiter line: an empty part is [part_begin, part_begin).
      const std::size_t floor = in_part ? part_begin : b;
      std::size_t content_end = k;
      if (content_end > floor && s[content_end - 1] == '\n') {
        --content_end;
        if (content_end > floor && s[content_end - 1] == '\r') --content_end;
      }
      if (!in_part) {
        en.preamble_text = !blank(s.substr(b, content_end - b));
      } else {
        ranges.emplace_back(part_begin, content_end);
      }
      if (close) {
        closed = true;
        en.epilogue_text = !blank(s.substr(line_end, e - line_end));
        break;
      }
      in_part = true;
      part_begin = line_end;
      search = line_end;
      if (static_cast<int>(ranges.size()) + doc.parts >= lim.max_parts) break;
    }
    if (!closed && in_part) {
      ranges.emplace_back(part_begin, e);
      note(en, "missing-close-boundary");
    }
    if (!in_part) {
      note(en, closed ? "no-parts" : "no-delimiter");
      return;
    }
    en.children.reserve(ranges.size());
    for (auto [pb, pe] : ranges) {
      if (doc.parts >= lim.max_parts) {
        note(en, "too-many-parts");
        doc.truncated = true;
        break;
      }
      ++doc.parts;
      en.children.emplace_back();
      parse_entity(en.children.back(), pb, pe, depth + 1, en.type.subtype == "digest", false);
    }
  }
};

void collect(const entity& e, std::vector<std::string>& out) {
  for (const auto& p : e.problems)
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  for (const auto& c : e.children) collect(c, out);
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

const header_field* entity::header(std::string_view name) const {
  for (const auto& h : headers)
    if (iequals(h.name, name)) return &h;
  return nullptr;
}

int entity::header_count(std::string_view name) const {
  int n = 0;
  for (const auto& h : headers)
    if (iequals(h.name, name)) ++n;
  return n;
}

std::string entity::value(std::string_view name) const {
  const auto* h = header(name);
  return h ? h->value : std::string();
}

document parse(std::string_view source, const limits& lim) {
  document doc;
  doc.source = source;
  doc.parts = 1;
  parser p{source, lim, doc};
  p.parse_entity(doc.root, 0, source.size(), 0, false, true);
  return doc;
}

std::string_view raw_bytes(const document& d, const entity& e) {
  return d.source.substr(e.begin, e.end - e.begin);
}

std::string_view body_bytes(const document& d, const entity& e) {
  return d.source.substr(e.body_begin, e.end - e.body_begin);
}

std::string decoded_body(const document& d, const entity& e) {
  return transfer_decode(body_bytes(d, e), e.encoding);
}

std::string text_of(const document& d, const entity& e) {
  return to_utf8(decoded_body(d, e), e.type.params.get("charset"));
}

std::vector<std::string> all_problems(const entity& root) {
  std::vector<std::string> out;
  collect(root, out);
  return out;
}

}  // namespace vmt::message
