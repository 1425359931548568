// armor.cpp: inline OpenPGP block scanner (see armor.h).
#include "intake/armor.h"

namespace vmt::intake::detail {

namespace {

// The line starting at `pos` without its line break and trailing white space; `next` is set to the
// start of the following line.
std::string_view line_at(std::string_view t, std::size_t pos, std::size_t& next) {
  std::size_t nl = t.find('\n', pos);
  next = nl == std::string_view::npos ? t.size() : nl + 1;
  std::string_view l = t.substr(pos, (nl == std::string_view::npos ? t.size() : nl) - pos);
  while (!l.empty() && (l.back() == '\r' || l.back() == ' ' || l.back() == '\t')) l.remove_suffix(1);
  return l;
}

// Find the line equal to `marker` at or after `pos`; returns the position after that line, or npos.
std::size_t find_line(std::string_view t, std::size_t pos, std::string_view marker) {
  while (pos < t.size()) {
    std::size_t k = t.find(marker, pos);
    if (k == std::string_view::npos) return k;
    std::size_t next;
    if ((k == 0 || t[k - 1] == '\n') && line_at(t, k, next) == marker) return next;
    pos = k + 1;
  }
  return std::string_view::npos;
}

}  // namespace

std::vector<armor_block> find_armor(std::string_view t, bool& broken, std::size_t max_blocks) {
  static constexpr std::string_view begin_msg = "-----BEGIN PGP MESSAGE-----";
  static constexpr std::string_view end_msg = "-----END PGP MESSAGE-----";
  static constexpr std::string_view begin_signed = "-----BEGIN PGP SIGNED MESSAGE-----";
  static constexpr std::string_view begin_sig = "-----BEGIN PGP SIGNATURE-----";
  static constexpr std::string_view end_sig = "-----END PGP SIGNATURE-----";
  std::vector<armor_block> out;
  broken = false;
  std::size_t pos = 0;
  while (pos < t.size() && out.size() < max_blocks) {
    std::size_t k = t.find("-----BEGIN PGP ", pos);
    if (k == std::string_view::npos) break;
    std::size_t next;
    if (k != 0 && t[k - 1] != '\n') {
      pos = k + 1;
      continue;
    }
    std::string_view l = line_at(t, k, next);
    if (l == begin_msg) {
      std::size_t e = find_line(t, next, end_msg);
      if (e == std::string_view::npos) {
        broken = true;
        break;
      }
      out.push_back({armor_block::message, k, e});
      pos = e;
    } else if (l == begin_signed) {
      std::size_t s = find_line(t, next, begin_sig);
      std::size_t e = s == std::string_view::npos ? s : find_line(t, s, end_sig);
      if (e == std::string_view::npos) {
        broken = true;
        break;
      }
      out.push_back({armor_block::signed_message, k, e});
      pos = e;
    } else {
      pos = next;  // a key block or a lone signature: not content
    }
  }
  return out;
}

}  // namespace vmt::intake::detail
