// RFC 6455 checks Beast leaves to us.
#define CAF_SUITE rfc6455
#include "sockjs/protocol/rfc6455.hpp"

#include <caf/test/unit_test.hpp>

using namespace sockjs::protocol;

CAF_TEST(a websocket key is base64 of sixteen bytes) {
  CAF_CHECK(valid_websocket_key("dGhlIHNhbXBsZSBub25jZQ==")); // RFC's example
  CAF_CHECK(valid_websocket_key("AAAAAAAAAAAAAAAAAAAAAA=="));
  CAF_CHECK(valid_websocket_key("+/+/+/+/+/+/+/+/+/+/+w=="));
  CAF_CHECK(!valid_websocket_key(""));
  CAF_CHECK(!valid_websocket_key("abc"));
  CAF_CHECK(!valid_websocket_key("dGhlIHNhbXBsZSBub25jZQ"));  // no padding
  CAF_CHECK(!valid_websocket_key("dGhlIHNhbXBsZSBub25jZQ=")); // short
  CAF_CHECK(!valid_websocket_key("dGhlIHNhbXBsZSBub25jZQ=== "));
  CAF_CHECK(!valid_websocket_key("dGhlIHNhbXBsZSBub25j!Q=="));
  CAF_CHECK(!valid_websocket_key("dGhlIHNhbXBsZSBub25jZQZ=")); // 17 bytes
}

CAF_TEST(close codes of the protocol and of applications) {
  for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012,
                   1013, 1014, 3000, 4999})
    CAF_CHECK(valid_close_code(code));
  for (int code :
       {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535})
    CAF_CHECK(!valid_close_code(code));
}
