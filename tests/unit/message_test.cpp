// message_test: the MIME splitter (byte ranges, strict delimiters, limits), header values
// (parameters, RFC 2047/2231), addresses, codecs and the outbound builder.
#define BOOST_TEST_MODULE message
#include <boost/test/unit_test.hpp>

#include "message/address.h"
#include "message/builder.h"
#include "message/codec.h"
#include "message/header.h"
#include "message/mime.h"

using namespace vmt;
using namespace vmt::message;

namespace {
std::string crlf(std::string s) {
  return to_crlf(s);
}
}  // namespace

BOOST_AUTO_TEST_CASE(simple_message_headers_and_body) {
  std::string m = crlf("From: a@b.c\nSubject: hello\n  world\nX-Empty:\n\nbody line\n");
  auto d = parse(m, {});
  BOOST_TEST(d.root.headers.size() == 3u);
  BOOST_TEST(d.root.value("subject") == "hello  world");
  BOOST_TEST(d.root.value("x-empty") == "");
  BOOST_TEST(d.root.type.mime() == "text/plain");
  BOOST_TEST(!d.root.type_given);
  BOOST_TEST(std::string(body_bytes(d, d.root)) == "body line\r\n");
  BOOST_TEST(d.root.problems.empty());
}

BOOST_AUTO_TEST_CASE(multipart_ranges_exclude_the_crlf_before_a_delimiter) {
  std::string m = crlf(
      "Content-Type: multipart/signed; boundary=\"b;1\"; protocol=\"application/pgp-signature\"\n\n"
      "preamble\n--b;1\nContent-Type: text/plain\n\nsigned text\n\n--b;1 \nContent-Type: "
      "application/pgp-signature\n\n"
      "SIG\n--b;1--\nepilogue\n");
  auto d = parse(m, {});
  BOOST_REQUIRE(d.root.children.size() == 2u);
  BOOST_TEST(d.root.preamble_text);
  BOOST_TEST(d.root.epilogue_text);
  // The quoted ';' is part of the boundary (mimetic would have cut it).
  BOOST_TEST(d.root.type.params.get("boundary") == "b;1");
  BOOST_TEST(std::string(raw_bytes(d, d.root.children[0])) ==
             "Content-Type: text/plain\r\n\r\nsigned text\r\n");
  BOOST_TEST(std::string(body_bytes(d, d.root.children[1])) == "SIG");
}

BOOST_AUTO_TEST_CASE(boundary_prefix_lines_are_not_delimiters) {
  // "--ab" must not split a multipart whose boundary is "a"; "--a--x" is not a close delimiter.
  std::string m = crlf(
      "Content-Type: multipart/mixed; boundary=a\n\n--a\n\none\n--ab\nstill one\n--a--x\nstill "
      "one\n--a\n\ntwo\n--a--\n");
  auto d = parse(m, {});
  BOOST_REQUIRE(d.root.children.size() == 2u);
  BOOST_TEST(std::string(body_bytes(d, d.root.children[0])) ==
             "one\r\n--ab\r\nstill one\r\n--a--x\r\nstill one");
  BOOST_TEST(std::string(body_bytes(d, d.root.children[1])) == "two");
}

BOOST_AUTO_TEST_CASE(nested_multiparts_and_lf_only_input) {
  std::string m =
      "Content-Type: multipart/mixed; boundary=outer\n\n--outer\nContent-Type: multipart/alternative; "
      "boundary=inner\n\n--inner\n\nplain\n--inner\nContent-Type: text/html\n\n<p>x</p>\n--inner--\n--outer\n"
      "Content-Type: message/rfc822\n\nSubject: inner\n\ninner body\n--outer--\n";
  auto d = parse(m, {});
  BOOST_REQUIRE(d.root.children.size() == 2u);
  BOOST_REQUIRE(d.root.children[0].children.size() == 2u);
  BOOST_TEST(d.root.children[0].children[1].type.mime() == "text/html");
  BOOST_REQUIRE(d.root.children[1].children.size() == 1u);
  BOOST_TEST(d.root.children[1].children[0].value("subject") == "inner");
  BOOST_TEST(d.parts == 6);
}

BOOST_AUTO_TEST_CASE(malformed_structures_are_noted_not_fatal) {
  auto d1 = parse(crlf("Content-Type: multipart/mixed; boundary=x\n\n--x\n\nno close\n"), {});
  BOOST_TEST(d1.root.children.size() == 1u);
  BOOST_TEST(all_problems(d1.root) == std::vector<std::string>{"missing-close-boundary"});
  auto d2 = parse(crlf("Content-Type: multipart/mixed\n\nno boundary\n"), {});
  BOOST_TEST(d2.root.children.empty());
  BOOST_TEST(d2.root.problems.at(0) == "no-boundary");
  auto d3 = parse(crlf("Content-Type: multipart/mixed; boundary=a; boundary=b\n\n--a\n\nx\n--a--\n"), {});
  BOOST_TEST(d3.root.children.empty());  // two readers could pick different boundaries: opaque
  BOOST_TEST(d3.root.problems.at(0) == "ambiguous-boundary");
  std::string m4 = crlf("Subject: x\nthis is not a header\nmore\n");
  auto d4 = parse(m4, {});
  BOOST_TEST(d4.root.problems.at(0) == "missing-header-separator");
  BOOST_TEST(std::string(body_bytes(d4, d4.root)) == "this is not a header\r\nmore\r\n");
  auto d5 = parse("", {});
  BOOST_TEST(d5.root.headers.empty());
  auto d6 = parse("From someone@example.org Mon Jan  1 00:00:00 2024\nSubject: mbox\n\nx\n", {});
  BOOST_TEST(d6.mbox_from);
  BOOST_TEST(d6.root.value("subject") == "mbox");
}

BOOST_AUTO_TEST_CASE(depth_parts_and_header_limits_bound_the_parse) {
  // 500 nested multiparts: stops at max_depth without recursion trouble.
  std::string m;
  for (int i = 0; i < 500; ++i)
    m += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" + std::to_string(i) +
         "\n";
  m += "\nleaf\n";
  limits lim;
  auto d = parse(m, lim);
  BOOST_TEST(d.truncated);
  int depth = 0;
  const entity* e = &d.root;
  while (!e->children.empty()) {
    e = &e->children[0];
    ++depth;
  }
  BOOST_TEST(depth < lim.max_depth);
  BOOST_TEST(e->problems.at(0) == "too-deep");

  // 5000 parts: capped at max_parts.
  std::string many = "Content-Type: multipart/mixed; boundary=p\n\n";
  for (int i = 0; i < 5000; ++i) many += "--p\n\nx\n";
  many += "--p--\n";
  auto dm = parse(many, lim);
  BOOST_TEST(dm.parts <= lim.max_parts);
  BOOST_TEST(dm.truncated);

  // Header block over max_header_bytes, and one header line over max_line_bytes.
  limits small;
  small.max_header_bytes = 1000;
  small.max_line_bytes = 100;
  std::string big = "X-A: " + std::string(500, 'a') + "\n";
  for (int i = 0; i < 50; ++i) big += "X-B: 12345678901234567890\n";
  big += "\nbody\n";
  auto dh = parse(big, small);
  BOOST_TEST(dh.truncated);
  BOOST_TEST(dh.root.value("x-a").size() <= 100u);
  auto pr = all_problems(dh.root);
  BOOST_TEST((std::find(pr.begin(), pr.end(), "header-too-large") != pr.end()));
}

BOOST_AUTO_TEST_CASE(large_message_parses_by_offsets) {
  // 8 MB attachment: the tree holds offsets, the decoded body is produced on request.
  std::string payload(6u << 20, 'z');
  std::string m = crlf(
                      "Content-Type: multipart/mixed; boundary=q\n\n--q\n\nhi\n--q\nContent-Type: "
                      "application/octet-stream\n"
                      "Content-Transfer-Encoding: base64\n\n") +
                  base64_encode(payload) + "\r\n--q--\r\n";
  auto d = parse(m, {});
  BOOST_REQUIRE(d.root.children.size() == 2u);
  BOOST_TEST(decoded_body(d, d.root.children[1]) == payload);
}

BOOST_AUTO_TEST_CASE(content_type_parameters) {
  auto ct = parse_content_type(
      "Multipart/Signed (comment; here) ; micalg=pgp-sha256;\r\n protocol=\"application/pgp-signature\"; "
      "boundary=\"a\\\"b\"");
  BOOST_TEST(ct.mime() == "multipart/signed");
  BOOST_TEST(ct.params.get("micalg") == "pgp-sha256");
  BOOST_TEST(ct.params.get("protocol") == "application/pgp-signature");
  BOOST_TEST(ct.params.get("boundary") == "a\"b");
  auto unq = parse_content_type("multipart/mixed; boundary=----=_Part_1_2.3");
  BOOST_TEST(unq.params.get("boundary") == "----=_Part_1_2.3");
  auto cont = parse_disposition("attachment; filename*0*=UTF-8''%C3%A9t%C3%A9; filename*1=\".txt\"");
  BOOST_TEST(cont.kind == "attachment");
  BOOST_TEST(cont.params.get("filename") == "été.txt");
  auto bad = parse_content_type("garbage");
  BOOST_TEST(!bad.valid);
  BOOST_TEST(bad.mime() == "text/plain");
}

BOOST_AUTO_TEST_CASE(encoded_words_decode) {
  BOOST_TEST(decode_words("=?UTF-8?B?w6l0w6k=?=") == "été");
  BOOST_TEST(decode_words("=?iso-8859-1?q?caf=E9_au_lait?=") == "café au lait");
  BOOST_TEST(decode_words("=?utf-8?q?a?= =?utf-8?q?b?= c") == "ab c");  // space between words dropped
  BOOST_TEST(decode_words("=?utf-8?x?bad?= plain") == "=?utf-8?x?bad?= plain");
  BOOST_TEST(decode_words("=?utf-8?q?line=0D=0ABcc:_x?=") == "line  Bcc: x");  // no control characters out
  BOOST_TEST(decode_words("raw \xC3\xA9 and \xFF") == "raw \xC3\xA9 and \xEF\xBF\xBD");
}

BOOST_AUTO_TEST_CASE(addresses_strict) {
  auto one = parse_address_list("\"The Manager\" <Manager@BigCorporation.de>");
  BOOST_TEST(one.well_formed);
  BOOST_REQUIRE(one.mailboxes.size() == 1u);
  BOOST_TEST(one.mailboxes[0].name == "The Manager");
  BOOST_TEST(one.mailboxes[0].addr == "Manager@BigCorporation.de");
  BOOST_TEST(normalize_addr(one.mailboxes[0].addr) == "manager@bigcorporation.de");

  auto bare = parse_address_list("eve@x.org (Eve)");
  BOOST_TEST(bare.well_formed);
  BOOST_TEST(bare.mailboxes.at(0).addr == "eve@x.org");

  auto name_only = parse_address_list("The Manager");
  BOOST_TEST(!name_only.well_formed);
  BOOST_TEST(name_only.mailboxes.at(0).addr.empty());

  auto at_in_name = parse_address_list("manager@bigcorporation.de <eve@bigcorporation.de>");
  BOOST_TEST(!at_in_name.well_formed);
  BOOST_TEST(at_in_name.mailboxes.at(0).addr == "eve@bigcorporation.de");
  BOOST_TEST(addresses_in_text(at_in_name.mailboxes.at(0).name).at(0) == "manager@bigcorporation.de");

  auto two = parse_address_list("A <a@x.org>, \"B, Jr.\" <b@y.org>");
  BOOST_TEST(two.well_formed);
  BOOST_TEST(two.mailboxes.size() == 2u);
  BOOST_TEST(two.mailboxes[1].name == "B, Jr.");

  auto group = parse_address_list("team: a@x.org, b@x.org;");
  BOOST_TEST(group.has_group);
  BOOST_TEST(group.mailboxes.size() == 2u);

  auto encoded = parse_address_list("=?utf-8?q?J=C3=BCrgen?= <j@x.de>");
  BOOST_TEST(encoded.mailboxes.at(0).name == "Jürgen");

  for (const char* bad :
       {"<>", "x@", "@x.org", "a@b@c", "a..b@c.d", "<a@b.c", "\"unterminated <a@b.c>", "a@b.c>"}) {
    auto r = parse_address_list(bad);
    BOOST_TEST(!r.well_formed, bad);
  }
  BOOST_TEST(parse_address_list("").mailboxes.empty());
  BOOST_TEST(valid_addr_spec("a.b+c@d-e.f"));
  BOOST_TEST(!valid_addr_spec("a b@c.d"));
  BOOST_TEST(!valid_addr_spec("a@b.c\r\nBcc: x@y"));
}

BOOST_AUTO_TEST_CASE(formatted_mailboxes_are_safe) {
  BOOST_TEST(*format_mailbox("Alice", "alice@example.net") == "\"Alice\" <alice@example.net>");
  BOOST_TEST(*format_mailbox("", "alice@example.net") == "alice@example.net");
  BOOST_TEST(*format_mailbox("A \"q\" \\", "a@b.c") == "\"A \\\"q\\\" \\\\\" <a@b.c>");
  auto enc = format_mailbox("Jürgen\r\nBcc: x", "j@x.de");
  BOOST_REQUIRE(enc);
  BOOST_TEST(enc->find('\r') == std::string::npos);
  BOOST_TEST(decode_words(enc->substr(0, enc->find(" <"))) == "Jürgen  Bcc: x");
  BOOST_TEST(!format_mailbox("x", "a@b.c>\r\nBcc: y@z"));
}

BOOST_AUTO_TEST_CASE(header_encoding_folds_and_never_breaks_lines) {
  std::string long_subject(300, 'a');
  for (int i = 0; i < 30; ++i) long_subject += " word";
  std::string h = encode_unstructured("Subject", long_subject + "\r\nBcc: x");
  for (std::size_t p = h.find("\r\n"); p != std::string::npos; p = h.find("\r\n", p + 1))
    BOOST_TEST((h[p + 2] == ' ' || h[p + 2] == '\t'));  // every break is folding
  BOOST_TEST(h.find('\n') == h.find("\r\n") + 1);
  auto d = parse(h + "\r\n\r\n", {});
  BOOST_TEST(d.root.headers.size() == 1u);
  std::string u = encode_unstructured("Subject", std::string(200, 'x') + " ünïcödé");
  auto du = parse(u + "\r\n\r\n", {});
  BOOST_TEST(decode_words(du.root.value("subject")) == std::string(200, 'x') + " ünïcödé");
  BOOST_TEST(format_param("name", "a b.txt") == "; name=\"a b.txt\"");
  BOOST_TEST(format_param("name", "x.txt") == "; name=x.txt");
  BOOST_TEST(format_param("name", "é.txt") == "; name*=UTF-8''%C3%A9.txt");
  BOOST_TEST(!valid_header_name("Bad Name"));
  BOOST_TEST(!valid_header_name("X:Y"));
}

BOOST_AUTO_TEST_CASE(codecs_round_trip) {
  std::string bin;
  for (int i = 0; i < 1000; ++i) bin += static_cast<char>(i * 37);
  BOOST_TEST(base64_decode(base64_encode(bin)) == bin);
  BOOST_TEST(base64_encode("hi") == "aGk=");
  std::string text =
      "From here\nline with trailing space \n=equals and ünicode\n.\n" + std::string(200, 'y') + "\n";
  std::string qp = qp_encode_text(text);
  for (std::size_t b = 0, e; b < qp.size(); b = e + 2) {
    e = qp.find("\r\n", b);
    if (e == std::string::npos) e = qp.size();
    BOOST_TEST(e - b <= 76u);
    if (e == qp.size()) break;
  }
  BOOST_TEST(qp.rfind("From ", 0) == std::string::npos);
  BOOST_TEST(to_lf(qp_decode(qp)) == text);
  BOOST_TEST(to_crlf("a\nb\r\nc\rd") == "a\r\nb\r\nc\r\nd");
  BOOST_TEST(to_utf8("caf\xE9", "ISO-8859-1") == "café");
  BOOST_TEST(to_utf8("x\xFFy", "utf-8") == "x\xEF\xBF\xBDy");
  BOOST_TEST(to_utf8("abc", "no-such-charset") == "abc");
}

BOOST_AUTO_TEST_CASE(builder_output_parses_back) {
  std::vector<part> kids;
  kids.push_back(text_part("hello\n"));
  kids.push_back(attachment_part("x y.diff", "text/x-diff; evil=1", "--- a\n+++ b\n"));
  part mp = multipart("mixed", std::move(kids));
  std::string bytes = serialize(mp);
  auto d = parse(bytes, {});
  BOOST_REQUIRE(d.root.children.size() == 2u);
  BOOST_TEST(d.root.children[1].type.mime() == "application/octet-stream");  // parameters refused
  BOOST_TEST(d.root.children[1].filename == "x y.diff");
  BOOST_TEST(decoded_body(d, d.root.children[1]) == "--- a\n+++ b\n");
  BOOST_TEST(all_problems(d.root).empty());
  BOOST_TEST(make_boundary() != make_boundary());
}
