// Spec §5.3: the exact escape set of the server's JSON string encoder.
#define CAF_SUITE json_quote
#include "sockjs/protocol/json_quote.hpp"
#include "sockjs/protocol/utf8.hpp"

#include <caf/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <string>

using sockjs::protocol::json_string;

namespace {

// The UTF-8 of one code point (protocol/utf8, checked in the utf8 suite).
std::string utf8(std::uint32_t cp) {
  std::string out;
  sockjs::protocol::append_utf8(out, cp);
  return out;
}

std::string u_escape(std::uint32_t unit) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "\\u%04x", unit);
  return buf;
}

std::string in_quotes(const std::string& inner) {
  return '"' + inner + '"';
}

bool in_escape_ranges(std::uint32_t cp) {
  return (cp >= 0x200C && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
         (cp >= 0x2060 && cp <= 0x206F) || (cp >= 0xFFF0 && cp <= 0xFFFF);
}

bool is_surrogate(std::uint32_t cp) {
  return cp >= 0xD800 && cp <= 0xDFFF;
}

} // namespace

CAF_TEST(quote and backslash are escaped) {
  CAF_CHECK_EQUAL(json_string(R"(a"b\c)"), R"("a\"b\\c")");
}

CAF_TEST(control characters use short forms where json has them) {
  CAF_CHECK_EQUAL(json_string("\b\f\n\r\t"), R"("\b\f\n\r\t")");
}

CAF_TEST(other control characters use lowercase u escapes) {
  for (std::uint32_t cp = 0; cp < 0x20; ++cp) {
    if (cp == '\b' || cp == '\f' || cp == '\n' || cp == '\r' || cp == '\t')
      continue;
    CAF_CHECK_EQUAL(json_string(utf8(cp)), in_quotes(u_escape(cp)));
  }
  CAF_CHECK_EQUAL(json_string(std::string(1, '\x1f')), R"("\u001f")");
  CAF_CHECK_EQUAL(json_string(std::string("\0", 1)), R"("\u0000")");
}

CAF_TEST(every code point of the browser mangled ranges is escaped lowercase) {
  // Spec §5.3 rule 3: one \uXXXX per character, lowercase, nothing else.
  std::string all, expected;
  for (std::uint32_t cp = 0xFF; cp <= 0xFFFF; ++cp) {
    if (!in_escape_ranges(cp)) continue;
    all += utf8(cp);
    expected += u_escape(cp);
  }
  CAF_CHECK_EQUAL(json_string(all), in_quotes(expected));
  CAF_CHECK_EQUAL(json_string(utf8(0x200C)), R"("\u200c")");
  CAF_CHECK_EQUAL(json_string(utf8(0x2028)), R"("\u2028")");
  CAF_CHECK_EQUAL(json_string(utf8(0xFFFF)), R"("\uffff")");
}

CAF_TEST(code points outside the ranges pass as raw utf8) {
  CAF_CHECK_EQUAL(json_string("/"), R"("/")");
  CAF_CHECK_EQUAL(json_string("\x7f"), "\"\x7f\"");
  CAF_CHECK_EQUAL(json_string("\xc3\xa9"), "\"\xc3\xa9\""); // é as c3 a9
  for (std::uint32_t cp : {0x80u, 0x9Fu, 0xADu, 0xFEFFu, 0x200Bu, 0x2030u,
                           0x205Fu, 0x2070u, 0xFFEFu})
    CAF_CHECK_EQUAL(json_string(utf8(cp)), in_quotes(utf8(cp)));
}

CAF_TEST(every other bmp code point is copied unchanged) {
  std::size_t mismatches = 0;
  for (std::uint32_t cp = 0x20; cp <= 0xFFFF; ++cp) {
    if (cp == '"' || cp == '\\' || in_escape_ranges(cp) || is_surrogate(cp))
      continue;
    if (json_string(utf8(cp)) != in_quotes(utf8(cp))) ++mismatches;
  }
  CAF_CHECK_EQUAL(mismatches, 0u);
}

CAF_TEST(astral code points become lowercase escaped surrogate pairs) {
  CAF_CHECK_EQUAL(json_string(utf8(0x1F600)), R"("\ud83d\ude00")");
  CAF_CHECK_EQUAL(json_string(utf8(0x10000)), R"("\ud800\udc00")");
  CAF_CHECK_EQUAL(json_string(utf8(0x10FFFF)), R"("\udbff\udfff")");
}

CAF_TEST(round trip over the whole bmp) {
  // Encoding then decoding with a standard JSON parser gives back the text.
  std::size_t failures = 0;
  for (std::uint32_t cp = 0; cp <= 0xFFFF; ++cp) {
    if (is_surrogate(cp)) continue;
    const auto text = "x" + utf8(cp) + "y";
    const auto decoded = nlohmann::json::parse(json_string(text));
    if (decoded.get<std::string>() != text) ++failures;
  }
  CAF_CHECK_EQUAL(failures, 0u);
}

CAF_TEST(round trip over sampled astral code points) {
  std::size_t failures = 0;
  for (std::uint32_t cp = 0x10000; cp <= 0x10FFFF; cp += 0x3F1) {
    const auto text = utf8(cp);
    if (nlohmann::json::parse(json_string(text)).get<std::string>() != text)
      ++failures;
  }
  CAF_CHECK_EQUAL(failures, 0u);
}

CAF_TEST(ill formed utf8 becomes one replacement character per subpart) {
  const std::string r = R"(\ufffd)";
  // truncated 3-byte sequence at the end
  CAF_CHECK_EQUAL(json_string("a\xe2\x82"), in_quotes("a" + r));
  // lone continuation byte
  CAF_CHECK_EQUAL(json_string("\x80"), in_quotes(r));
  // overlong encoding of '/'
  CAF_CHECK_EQUAL(json_string("\xc0\xaf"), in_quotes(r + r));
  // an encoded surrogate (WTF-8 of U+D800)
  CAF_CHECK_EQUAL(json_string("\xed\xa0\x80"), in_quotes(r + r + r));
  // beyond U+10FFFF
  CAF_CHECK_EQUAL(json_string("\xf4\x90\x80\x80"), in_quotes(r + r + r + r));
  CAF_CHECK_EQUAL(json_string("\xf5"), in_quotes(r));
  // a bad byte inside a sequence leaves the following text intact
  CAF_CHECK_EQUAL(json_string("\xe2\x28\xa1z"), in_quotes(r + "(" + r + "z"));
}

CAF_TEST(output of arbitrary bytes is always valid json) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  bytes += bytes;
  const auto parsed = nlohmann::json::parse(json_string(bytes), nullptr, false);
  CAF_CHECK(!parsed.is_discarded());
}

CAF_TEST(empty and large strings) {
  CAF_CHECK_EQUAL(json_string(""), R"("")");
  const std::string big(1 << 20, 'x');
  CAF_CHECK_EQUAL(json_string(big).size(), big.size() + 2);
}
