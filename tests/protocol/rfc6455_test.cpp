// RFC 6455, the server side: handshake checks, frame heads, the reader.
#define CAF_SUITE rfc6455
#include "sockjs/protocol/rfc6455.hpp"
#include "tests/protocol/websocket_events.hpp"

#include <caf/test/unit_test.hpp>

#include <string>
#include <vector>

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

namespace {

using kind = websocket_reader::event_kind;

// A client's frame: masked with a fixed key.
std::string client_frame(std::uint8_t first_byte, std::string_view payload,
                         bool masked = true) {
  static constexpr std::uint8_t key[4] = {0x37, 0xfa, 0x21, 0x3d};
  std::string out{static_cast<char>(first_byte)};
  const auto mask_bit = masked ? 0x80 : 0;
  if (payload.size() < 126) {
    out.push_back(static_cast<char>(mask_bit | payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    out.push_back(static_cast<char>(mask_bit | 126));
    out.push_back(static_cast<char>(payload.size() >> 8));
    out.push_back(static_cast<char>(payload.size() & 0xFF));
  } else {
    out.push_back(static_cast<char>(mask_bit | 127));
    for (int i = 7; i >= 0; --i)
      out.push_back(static_cast<char>(payload.size() >> (8 * i)));
  }
  if (masked) out.append(reinterpret_cast<const char*>(key), 4);
  for (std::size_t i = 0; i < payload.size(); ++i)
    out.push_back(static_cast<char>(payload[i] ^
                                    (masked ? key[i % 4] : std::uint8_t{0})));
  return out;
}

std::string head_of(opcode op, std::uint64_t size) {
  return std::string{frame_head{op, size}.bytes()};
}

std::vector<websocket_reader::event> read_all(std::string_view bytes,
                                              std::size_t step = 1 << 20,
                                              std::size_t limit = 1 << 20) {
  return sockjs::test::read_events(bytes, step, limit);
}

} // namespace

CAF_TEST(a server frame head is two four or ten bytes) {
  CAF_CHECK_EQUAL(head_of(opcode::text, 5), std::string("\x81\x05", 2));
  CAF_CHECK_EQUAL(head_of(opcode::ping, 0), std::string("\x89\x00", 2));
  CAF_CHECK_EQUAL(head_of(opcode::text, 125), std::string("\x81\x7d", 2));
  CAF_CHECK_EQUAL(head_of(opcode::text, 126),
                  std::string("\x81\x7e\x00\x7e", 4));
  CAF_CHECK_EQUAL(head_of(opcode::close, 0xFFFF),
                  std::string("\x88\x7e\xff\xff", 4));
  CAF_CHECK_EQUAL(head_of(opcode::text, 0x10000),
                  std::string("\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10));
}

CAF_TEST(a close payload is the code then the reason cut to fit) {
  CAF_CHECK_EQUAL(close_payload(1000, "Normal closure"),
                  std::string("\x03\xe8Normal closure"));
  CAF_CHECK_EQUAL(close_payload(3000, std::string(200, 'x')).size(), 125u);
}

CAF_TEST(messages are unmasked and read in any pieces) {
  const auto bytes = client_frame(0x81, "hello") +
                     client_frame(0x82, std::string(300, '\xff')) +
                     client_frame(0x81, "") +
                     client_frame(0x81, std::string(70000, 'z'));
  for (std::size_t step : {1u, 3u, 7u, 1000u, 1u << 20}) {
    CAF_MESSAGE("pieces of " << step);
    auto events = read_all(bytes, step);
    CAF_REQUIRE_EQUAL(events.size(), 4u);
    CAF_CHECK(events[0].kind == kind::message && !events[0].binary);
    CAF_CHECK_EQUAL(events[0].payload, "hello");
    CAF_CHECK(events[1].kind == kind::message && events[1].binary);
    CAF_CHECK_EQUAL(events[1].payload, std::string(300, '\xff'));
    CAF_CHECK_EQUAL(events[2].payload, "");
    CAF_CHECK_EQUAL(events[3].payload, std::string(70000, 'z'));
  }
}

CAF_TEST(fragments join into one message with control frames between) {
  const auto bytes = client_frame(0x01, "hel") + client_frame(0x89, "p") +
                     client_frame(0x00, "lo ") + client_frame(0x8a, "q") +
                     client_frame(0x80, "there");
  auto events = read_all(bytes, 2);
  CAF_REQUIRE_EQUAL(events.size(), 3u);
  CAF_CHECK(events[0].kind == kind::ping);
  CAF_CHECK_EQUAL(events[0].payload, "p");
  CAF_CHECK(events[1].kind == kind::pong);
  CAF_CHECK(events[2].kind == kind::message);
  CAF_CHECK_EQUAL(events[2].payload, "hello there");
}

CAF_TEST(a close frame gives its code and reason) {
  auto events = read_all(client_frame(0x88, "\x0b\xb8"
                                            "bye"));
  CAF_REQUIRE_EQUAL(events.size(), 1u);
  CAF_CHECK(events[0].kind == kind::close);
  CAF_CHECK_EQUAL(events[0].code, 3000);
  CAF_CHECK_EQUAL(events[0].payload, "bye");
  events = read_all(client_frame(0x88, ""));
  CAF_REQUIRE_EQUAL(events.size(), 1u);
  CAF_CHECK_EQUAL(events[0].code, close_no_status);
}

CAF_TEST(breaches of the protocol fail with their close code) {
  struct breach {
    const char* what;
    std::string bytes;
    std::uint16_t code;
  };
  const breach breaches[] = {
      {"unmasked", client_frame(0x81, "x", false), 1002},
      {"reserved bits", client_frame(0xc1, "x"), 1002},
      {"unknown opcode", client_frame(0x83, "x"), 1002},
      {"unknown control opcode", client_frame(0x8b, ""), 1002},
      {"fragmented ping", client_frame(0x09, ""), 1002},
      {"long ping", client_frame(0x89, std::string(126, 'p')), 1002},
      {"continuation first", client_frame(0x80, "x"), 1002},
      {"text inside a message",
       client_frame(0x01, "a") + client_frame(0x81, "b"), 1002},
      {"close of one byte", client_frame(0x88, "\x03"), 1002},
      {"close code 1005", client_frame(0x88, "\x03\xed"), 1002},
      {"close code 999", client_frame(0x88, "\x03\xe7"), 1002},
      {"close reason not UTF-8", client_frame(0x88, "\x03\xe8\xff"), 1007},
      {"text not UTF-8", client_frame(0x81, "\xc0\xaf"), 1007},
      {"text with a surrogate", client_frame(0x81, "\xed\xa0\x80"), 1007},
      {"text cut in a character", client_frame(0x81, "\xe2\x82"), 1007},
      {"length not in its shortest form",
       std::string("\x81\xfe\x00\x05\x00\x00\x00\x00hello", 13), 1002},
      {"length with its top bit set",
       std::string("\x81\xff\x80\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00",
                   14),
       1002},
      {"over the limit", client_frame(0x81, std::string(101, 'x')), 1009},
      {"over the limit in fragments",
       client_frame(0x01, std::string(60, 'x')) +
           client_frame(0x80, std::string(41, 'x')),
       1009},
  };
  for (const auto& b : breaches) {
    CAF_MESSAGE(b.what);
    auto events = read_all(b.bytes, 1 << 20, 100);
    CAF_REQUIRE(!events.empty());
    CAF_CHECK(events.back().kind == kind::fail);
    CAF_CHECK_EQUAL(events.back().code, b.code);
  }
}

CAF_TEST(binary messages are not held to UTF - 8 and the limit is inclusive) {
  auto events =
      read_all(client_frame(0x82, std::string(100, '\xc0')), 1 << 20, 100);
  CAF_REQUIRE_EQUAL(events.size(), 1u);
  CAF_CHECK(events[0].kind == kind::message);
}

CAF_TEST(a message cut inside its head and its payload is read whole) {
  websocket_reader reader{1000};
  const auto first = client_frame(0x01, "ab");
  std::string_view part{first.data(), 3};
  CAF_CHECK(reader.read(part).kind == kind::need_more);
  CAF_CHECK(part.empty()); // inside the head
  std::string_view rest{first.data() + 3, first.size() - 3};
  CAF_CHECK(reader.read(rest).kind == kind::need_more);
  CAF_CHECK(rest.empty()); // inside the message
  const auto last = client_frame(0x80, "c");
  std::string_view all{last};
  auto e = reader.read(all);
  CAF_CHECK(e.kind == kind::message);
  CAF_CHECK_EQUAL(e.payload, "abc");
}

CAF_TEST(after a failure a reader reads nothing more) {
  websocket_reader reader{1000};
  const auto bad = client_frame(0x81, "x", false) + client_frame(0x81, "ok");
  std::string_view bytes{bad};
  CAF_CHECK(reader.read(bytes).kind == kind::fail);
  auto good = client_frame(0x81, "ok");
  std::string_view more{good};
  CAF_CHECK(reader.read(more).kind == kind::fail);
}
