// Spec §5.1: the server-to-client frames.
#define CAF_SUITE frames
#include "sockjs/protocol/frames.hpp"

#include <caf/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace sockjs;
using namespace sockjs::protocol;

CAF_TEST(open and heartbeat frames are single letters) {
  CAF_CHECK_EQUAL(std::string{open_frame}, "o");
  CAF_CHECK_EQUAL(std::string{heartbeat_frame}, "h");
}

CAF_TEST(message frame joins every queued message in order) {
  std::vector<std::string> messages{"hello", "world"};
  CAF_CHECK_EQUAL(message_frame(messages), R"(a["hello","world"])");
  CAF_CHECK_EQUAL(message_frame(std::vector<std::string>{"x"}), R"(a["x"])");
}

CAF_TEST(message frame quotes with the sockjs escape set) {
  std::vector<std::string> messages{"\"\n", "\xe2\x80\xa8", "\xc3\xa9"};
  CAF_CHECK_EQUAL(message_frame(messages),
                  "a[\"\\\"\\n\",\"\\u2028\",\"\xc3\xa9\"]");
}

CAF_TEST(message frame of nothing is an empty array) {
  CAF_CHECK_EQUAL(message_frame(std::vector<std::string>{}), "a[]");
}

CAF_TEST(message frame appends to existing output) {
  std::string out = "data: ";
  append_message_frame(out, std::vector<std::string>{"a"});
  CAF_CHECK_EQUAL(out, R"(data: a["a"])");
}

CAF_TEST(close frames have no spaces) {
  CAF_CHECK_EQUAL(close_frame(3000, "Go away!"), R"(c[3000,"Go away!"])");
  CAF_CHECK_EQUAL(close_frame(close_code::another_connection,
                              close_reason::another_connection),
                  R"(c[2010,"Another connection still open"])");
  CAF_CHECK_EQUAL(
      close_frame(close_code::interrupted, close_reason::interrupted),
      R"(c[1002,"Connection interrupted"])");
  CAF_CHECK_EQUAL(close_frame(close_code::normal, close_reason::normal),
                  R"(c[1000,"Normal closure"])");
}

CAF_TEST(close reason is quoted) {
  CAF_CHECK_EQUAL(close_frame(4000, "a\"b\n"), R"(c[4000,"a\"b\n"])");
}

CAF_TEST(frames decode back into their parts) {
  CAF_CHECK(decode_frame("o").kind == frame_kind::open);
  CAF_CHECK(decode_frame("h").kind == frame_kind::heartbeat);
  std::vector<std::string> messages{"x", "\xef\xbf\xbf", "\"q\"",
                                    "\xf0\x9f\x98\x80"}; // astral: a pair
  auto a = decode_frame(message_frame(messages));
  CAF_REQUIRE(a.kind == frame_kind::messages);
  CAF_CHECK_EQUAL(a.messages, messages);
  auto c = decode_frame(close_frame(3000, "Go away!"));
  CAF_REQUIRE(c.kind == frame_kind::close);
  CAF_CHECK_EQUAL(c.code, 3000);
  CAF_CHECK_EQUAL(c.reason, "Go away!");
}

CAF_TEST(malformed frames decode as invalid) {
  for (auto text : {"", "x", "a[", "a[1]", "c[1]", "c[\"a\",\"b\"]", "oo"})
    CAF_CHECK(decode_frame(text).kind == frame_kind::invalid);
}

CAF_TEST(structured frames encode as their text) {
  CAF_CHECK_EQUAL(encode(frame::open()), "o");
  CAF_CHECK_EQUAL(encode(frame::heartbeat()), "h");
  CAF_CHECK_EQUAL(encode(frame::messages_of(R"("a","b")")), R"(a["a","b"])");
  CAF_CHECK_EQUAL(encode(frame::close(3000, "Go \"away\"")),
                  R"(c[3000,"Go \"away\""])");
  std::string out = "data: ";
  append_encoded(out, frame::messages_of(R"("x")"));
  CAF_CHECK_EQUAL(out, R"(data: a["x"])");
}

CAF_TEST(quoted messages split back into the messages) {
  std::vector<std::string> messages{
      "x", "", "a,b", "\"q\"\\", "\xef\xbf\xbf", "\xf0\x9f\x98\x80"};
  std::string quoted;
  for (const auto& message : messages) {
    if (!quoted.empty()) quoted.push_back(',');
    append_json_string(quoted, message);
  }
  CAF_CHECK_EQUAL(split_messages(quoted), messages);
  CAF_CHECK(split_messages("").empty());
}

CAF_TEST(what no session quotes splits into nothing) {
  for (auto text : {"x", "\"a", "\"a\",", "\"a\" ,\"b\"", "[\"a\"]", "1"})
    CAF_CHECK(split_messages(text).empty());
}

CAF_TEST(message frames join into one) {
  std::string text = R"(a["x"])";
  CAF_CHECK(join_messages(text, frame::messages_of(R"("y","z")")));
  CAF_CHECK_EQUAL(text, R"(a["x","y","z"])");
  // Nothing joins an empty frame, or anything but messages.
  for (auto other : {"a[]", "o", "h", R"(c[3000,"Go away!"])"}) {
    std::string unchanged = other;
    CAF_CHECK(!join_messages(unchanged, frame::messages_of(R"("y")")));
    CAF_CHECK_EQUAL(unchanged, other);
  }
  CAF_CHECK(!join_messages(text, frame::messages_of("")));
  CAF_CHECK(!join_messages(text, frame::heartbeat()));
  CAF_CHECK_EQUAL(text, R"(a["x","y","z"])");
}
