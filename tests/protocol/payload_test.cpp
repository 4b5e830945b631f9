// Spec §5.2 and §3.6: decoding client payloads, and the error order.
#define CAF_SUITE payload
#include "sockjs/protocol/payload.hpp"

#include <caf/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <random>
#include <string>
#include <vector>

using namespace sockjs::protocol;
using strings = std::vector<std::string>;

CAF_TEST(sender array of strings gives messages in order) {
  auto r = decode_sender_payload(R"(["a","b","c"])");
  CAF_REQUIRE(r.ok());
  CAF_CHECK_EQUAL(r.messages, (strings{"a", "b", "c"}));
}

CAF_TEST(sender empty array is valid and delivers nothing) {
  auto r = decode_sender_payload("[]");
  CAF_CHECK(r.ok());
  CAF_CHECK(r.messages.empty());
}

CAF_TEST(sender empty body is payload expected) {
  CAF_CHECK(decode_sender_payload("").error == payload_error::payload_expected);
}

CAF_TEST(sender non array json is payload expected) {
  for (auto text : {"null", "{}", R"("x")", "1", "true"})
    CAF_CHECK(decode_sender_payload(text).error ==
              payload_error::payload_expected);
}

CAF_TEST(sender invalid json is broken json encoding) {
  for (auto text : {"x", R"(["x)", "[", R"(["a",])", "[\"a\"] x"})
    CAF_CHECK(decode_sender_payload(text).error == payload_error::broken_json);
}

CAF_TEST(error texts are the spec bodies) {
  CAF_CHECK_EQUAL(std::string{error_text(payload_error::payload_expected)},
                  "Payload expected.");
  CAF_CHECK_EQUAL(std::string{error_text(payload_error::broken_json)},
                  "Broken JSON encoding.");
}

CAF_TEST(unicode escapes decode to utf8) {
  auto r = decode_sender_payload(R"(["\u00e9\u2028\u0000\"\\\ufeff\uffff"])");
  CAF_REQUIRE(r.ok());
  CAF_CHECK_EQUAL(
      r.messages.at(0),
      std::string("\xc3\xa9\xe2\x80\xa8\0\"\\\xef\xbb\xbf\xef\xbf\xbf", 14));
}

CAF_TEST(paired surrogate escapes become one astral code point) {
  auto r = decode_sender_payload(R"(["\ud83d\ude00"])");
  CAF_REQUIRE(r.ok());
  CAF_CHECK_EQUAL(r.messages.at(0), "\xf0\x9f\x98\x80");
}

CAF_TEST(lone surrogate escapes are rejected as broken json) {
  CAF_CHECK(decode_sender_payload(R"(["\ud800"])").error ==
            payload_error::broken_json);
  CAF_CHECK(decode_sender_payload(R"(["\udc00x"])").error ==
            payload_error::broken_json);
}

CAF_TEST(ill formed utf8 inside a string is rejected as broken json) {
  CAF_CHECK(decode_sender_payload("[\"\xe2\x82\"]").error ==
            payload_error::broken_json);
  CAF_CHECK(decode_sender_payload("[\"\xff\"]").error ==
            payload_error::broken_json);
}

CAF_TEST(non string elements are delivered as their json text) {
  auto r = decode_sender_payload(R"([1,{"k":[true]},null,"s"])");
  CAF_REQUIRE(r.ok());
  CAF_CHECK_EQUAL(r.messages, (strings{"1", R"({"k":[true]})", "null", "s"}));
}

CAF_TEST(nesting up to 64 levels is decoded) {
  const auto text = std::string(64, '[') + std::string(64, ']');
  auto r = decode_sender_payload(text);
  CAF_REQUIRE(r.ok());
  CAF_CHECK_EQUAL(r.messages,
                  strings{std::string(63, '[') + std::string(63, ']')});
}

CAF_TEST(deeper nesting is rejected without crashing) {
  const std::size_t depth = 1000000;
  const auto text = std::string(depth, '[') + std::string(depth, ']');
  CAF_CHECK(decode_sender_payload(text).error == payload_error::broken_json);
  CAF_CHECK(decode_websocket_payload(text).error == payload_error::broken_json);
  CAF_CHECK(decode_sender_payload(std::string(depth, '[')).error ==
            payload_error::broken_json);
  CAF_CHECK(decode_sender_payload("[" + std::string(100, '{')).error ==
            payload_error::broken_json);
}

CAF_TEST(large payloads are decoded whole) {
  const std::string big(4 << 20, 'x');
  auto r = decode_sender_payload("[\"" + big + "\"]");
  CAF_REQUIRE(r.ok());
  CAF_CHECK_EQUAL(r.messages.at(0).size(), big.size());
}

CAF_TEST(websocket empty message is ignored) {
  auto r = decode_websocket_payload("");
  CAF_CHECK(r.ok());
  CAF_CHECK(r.messages.empty());
}

CAF_TEST(websocket array is a list of messages) {
  auto r = decode_websocket_payload(R"(["a","b"])");
  CAF_REQUIRE(r.ok());
  CAF_CHECK_EQUAL(r.messages, (strings{"a", "b"}));
  CAF_CHECK(decode_websocket_payload("[]").messages.empty());
}

CAF_TEST(websocket other json value is one message) {
  CAF_CHECK_EQUAL(decode_websocket_payload(R"("a")").messages, strings{"a"});
  CAF_CHECK_EQUAL(decode_websocket_payload("5").messages, strings{"5"});
}

CAF_TEST(websocket broken json is an error) {
  CAF_CHECK(decode_websocket_payload(R"(["a)").error ==
            payload_error::broken_json);
}

CAF_TEST(jsonp send form body takes the d field decoded) {
  const auto form = "application/x-www-form-urlencoded";
  CAF_CHECK_EQUAL(jsonp_send_json_text(form, "d=%5B%22x%22%5D"), R"(["x"])");
  CAF_CHECK_EQUAL(jsonp_send_json_text(form, "a=1&d=%5B%22a+b%22%5D"),
                  R"(["a b"])");
  CAF_CHECK_EQUAL(
      jsonp_send_json_text("Application/X-WWW-Form-Urlencoded; charset=UTF-8",
                           "d=%5B%5D"),
      "[]");
}

CAF_TEST(jsonp send form without d gives payload expected) {
  const auto form = "application/x-www-form-urlencoded";
  for (auto body : {"", "d=", "p=p"})
    CAF_CHECK(decode_sender_payload(jsonp_send_json_text(form, body)).error ==
              payload_error::payload_expected);
  CAF_CHECK(
      decode_sender_payload(jsonp_send_json_text(form, "d=%5B%22x")).error ==
      payload_error::broken_json);
}

CAF_TEST(jsonp send plain body is the json text itself not url decoded) {
  CAF_CHECK_EQUAL(jsonp_send_json_text("text/plain", R"(["%61bc"])"),
                  R"(["%61bc"])");
  CAF_CHECK_EQUAL(jsonp_send_json_text("", R"(["x"])"), R"(["x"])");
  auto r = decode_sender_payload(jsonp_send_json_text("", R"(["%61bc"])"));
  CAF_CHECK_EQUAL(r.messages, strings{"%61bc"});
}

// The string-array fast path must agree with a full JSON parser: it accepts
// exactly the arrays of well-formed strings, with the same decoded values.
CAF_TEST(string array fast path agrees with a full json parser) {
  const std::vector<std::string> pieces = {"[",        "]",
                                           "\"",       ",",
                                           " ",        "\n",
                                           "a",        "xyz",
                                           "\\u00e9",  "\\ud83d",
                                           "\\ude00",  "\\uD83D\\uDE00",
                                           "\\u12",    "\\\"",
                                           "\\\\",     "\\/",
                                           "\\n",      "\\t",
                                           "\\x",      "\xc3\xa9",
                                           "\xe2\x82", "\xf0\x9f\x98\x80",
                                           "\xff",     "\xed\xa0\x80",
                                           "\x01",     "1",
                                           "{}",       "\\u0000",
                                           "\\u2028"};
  std::mt19937 random{20261127};
  std::size_t accepted = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string text = "[\"";
    const auto count = random() % 8;
    for (unsigned j = 0; j < count; ++j)
      text += pieces[random() % pieces.size()];
    if (random() % 2) text += "\"]";
    auto fast = detail::read_string_array(text);
    auto full = nlohmann::json::parse(text, nullptr, false);
    bool strings_only = full.is_array();
    if (strings_only)
      for (auto& element : full)
        strings_only = strings_only && element.is_string();
    CAF_CHECK_EQUAL(fast.has_value(), strings_only);
    if (fast && strings_only) {
      strings expected;
      for (auto& element : full) expected.push_back(element.get<std::string>());
      CAF_CHECK_EQUAL(*fast, expected);
      ++accepted;
    }
  }
  CAF_CHECK_GREATER(accepted, 1000u); // the generator does reach valid input
}
