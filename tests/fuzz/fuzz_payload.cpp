// The payload reader, against nlohmann/json: what we accept, nlohmann
// parses to the same messages; what nlohmann parses as an array (within our
// nesting limit), we accept; and the fast path for string arrays agrees
// with the full parser wherever it answers.
#include "sockjs/protocol/payload.hpp"
#include "tests/fuzz/check.hpp"

#include <nlohmann/json.hpp>

using namespace sockjs::protocol;
using nlohmann::json;

namespace {

std::size_t depth(const json& value) {
  std::size_t deepest = 0;
  if (value.is_structured())
    for (const auto& child : value) deepest = std::max(deepest, depth(child));
  return value.is_structured() ? deepest + 1 : 0;
}

// The message an element becomes: a string's text, else compact JSON.
void check_messages(const json& array, const std::vector<std::string>& got) {
  FUZZ_CHECK(array.size() == got.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (array[i].is_string()) {
      FUZZ_CHECK(array[i].get<std::string>() == got[i]);
    } else {
      const auto reparsed = json::parse(got[i], nullptr, false);
      FUZZ_CHECK(!reparsed.is_discarded());
      FUZZ_CHECK(reparsed == array[i] ||
                 (array[i].is_number_float() && reparsed.is_number()));
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data,
                                      std::size_t size) {
  const auto text = sockjs::fuzz::as_text(data, size);
  const auto ours = decode_sender_payload(text);
  const auto theirs = json::parse(text, nullptr, false);
  if (ours.ok()) {
    FUZZ_CHECK(!theirs.is_discarded() && theirs.is_array());
    check_messages(theirs, ours.messages);
  } else if (!theirs.is_discarded() && theirs.is_array() &&
             depth(theirs) <= 64) {
    FUZZ_CHECK(ours.error != payload_error::broken_json);
  }
  if (auto fast = detail::read_string_array(text)) {
    FUZZ_CHECK(ours.ok());
    FUZZ_CHECK(*fast == ours.messages);
  }
  // A websocket message: the same reader, any JSON value.
  const auto ws = decode_websocket_payload(text);
  if (ws.ok() && !text.empty() && !theirs.is_discarded() && theirs.is_array())
    check_messages(theirs, ws.messages);
  return 0;
}
