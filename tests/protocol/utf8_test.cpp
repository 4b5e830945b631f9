// UTF-8 of single code points (RFC 3629), both ways.
#define CAF_SUITE utf8
#include "sockjs/protocol/utf8.hpp"

#include <caf/test/unit_test.hpp>

#include <string>

using namespace sockjs::protocol;

namespace {

std::string encoded(std::uint32_t cp) {
  std::string out;
  append_utf8(out, cp);
  return out;
}

} // namespace

CAF_TEST(code points encode to their rfc 3629 bytes) {
  CAF_CHECK_EQUAL(encoded(0x41), "A");
  CAF_CHECK_EQUAL(encoded(0xE9), "\xc3\xa9");
  CAF_CHECK_EQUAL(encoded(0x7FF), "\xdf\xbf");
  CAF_CHECK_EQUAL(encoded(0x800), "\xe0\xa0\x80");
  CAF_CHECK_EQUAL(encoded(0x2028), "\xe2\x80\xa8");
  CAF_CHECK_EQUAL(encoded(0xFFFF), "\xef\xbf\xbf");
  CAF_CHECK_EQUAL(encoded(0x10000), "\xf0\x90\x80\x80");
  CAF_CHECK_EQUAL(encoded(0x1F600), "\xf0\x9f\x98\x80");
  CAF_CHECK_EQUAL(encoded(0x10FFFF), "\xf4\x8f\xbf\xbf");
}

CAF_TEST(every scalar value decodes back to itself) {
  std::size_t mismatches = 0;
  for (std::uint32_t cp = 0x80; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue; // surrogates are no scalars
    const auto bytes = encoded(cp);
    std::size_t pos = 0;
    if (decode_utf8(bytes, pos) != cp || pos != bytes.size()) ++mismatches;
  }
  CAF_CHECK_EQUAL(mismatches, 0u);
}

CAF_TEST(ill formed sequences are refused past their bad part) {
  struct bad {
    std::string bytes;
    std::size_t skipped; // the maximal ill-formed subpart (Unicode §3.9)
  };
  for (const auto& [bytes, skipped] : {
           bad{"\xc0\xaf", 1},         // overlong lead
           bad{"\xe0\x80\xaf", 1},     // overlong 3-byte form
           bad{"\xed\xa0\x80", 1},     // encoded surrogate
           bad{"\xf4\x90\x80\x80", 1}, // above U+10FFFF
           bad{"\xe2\x82", 2},         // truncated
           bad{"\xe2\x82x", 2},        // broken by ASCII
           bad{"\xff", 1},
       }) {
    std::size_t pos = 0;
    CAF_CHECK(!decode_utf8(bytes, pos));
    CAF_CHECK_EQUAL(pos, skipped);
  }
}
