// Spec §7.1: the hixie-76 handshake values of Websocket.test_haproxy.
#define CAF_SUITE hixie76
#include "sockjs/protocol/hixie76.hpp"

#include <caf/test/unit_test.hpp>

using namespace sockjs::protocol;

CAF_TEST(key numbers are digits divided by spaces) {
  CAF_CHECK_EQUAL(hixie76_key_number("4 @1  46546xW%0l 1 5").value_or(0),
                  829309203u);
  CAF_CHECK_EQUAL(hixie76_key_number("12998 5 Y3 1  .P00").value_or(0),
                  259970620u);
}

CAF_TEST(answer is md5 of both numbers and the body key) {
  const md5_digest expected = {0xca, 0x34, 0x00, 0xd8, 0xa5, 0x08, 0x47, 0x97,
                               0x2c, 0xd5, 0x71, 0x5a, 0xba, 0xbf, 0x43, 0x7b};
  CAF_CHECK(hixie76_answer(829309203u, 259970620u, "aaaaaaaa") == expected);
}

CAF_TEST(malformed keys are rejected) {
  CAF_CHECK(!hixie76_key_number("12345"));        // no space
  CAF_CHECK(!hixie76_key_number("  "));           // no digit
  CAF_CHECK(!hixie76_key_number("1 2 3"));        // 123 / 2 is not whole
  CAF_CHECK(!hixie76_key_number("99999999999 ")); // beyond 32 bits
  CAF_CHECK(!hixie76_key_number(std::string(400, '9') + " "));
}
