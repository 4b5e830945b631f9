// The route table and the URL helpers: whatever the target, a match names
// a row of the table, ids are valid segments taken from the target, and a
// jsonp callback that passes holds only its allowed characters.
#include "sockjs/protocol/framing.hpp"
#include "sockjs/protocol/router.hpp"
#include "sockjs/protocol/url.hpp"
#include "tests/fuzz/check.hpp"

#include <iterator>

using namespace sockjs::protocol;

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data,
                                      std::size_t size) {
  if (size < 2) return 0;
  constexpr std::string_view methods[] = {"GET",    "POST", "OPTIONS",
                                          "DELETE", "HEAD", "PUT"};
  const auto method = methods[data[0] % std::size(methods)];
  const transport_set enabled = data[1] & all_transports;
  const auto target = sockjs::fuzz::as_text(data + 2, size - 2);
  for (std::string_view prefix : {"/echo", ""}) {
    const auto match = match_route(prefix, enabled, method, target);
    const auto path = split_target(target).path;
    if (match.status == route_status::found) {
      FUZZ_CHECK(match.entry != nullptr);
      FUZZ_CHECK(match.entry->method == method);
      FUZZ_CHECK(under_prefix(prefix, path));
      FUZZ_CHECK(match.entry->transports == 0 ||
                 (match.entry->transports & enabled) != 0);
      if (!match.session_id.empty()) {
        FUZZ_CHECK(valid_id_segment(match.session_id));
        FUZZ_CHECK(valid_id_segment(match.server_id));
        FUZZ_CHECK(path.find(match.session_id) != std::string_view::npos);
      }
    }
    if (match.status == route_status::method_not_allowed)
      FUZZ_CHECK(!match.allow.empty());
  }
  const auto query = split_target(target).query;
  for (std::size_t limit : {std::size_t{0}, jsonp_callback_max_length}) {
    auto callback = read_callback(query, limit);
    if (callback.error != callback_error::none) continue;
    FUZZ_CHECK(!callback.name.empty());
    FUZZ_CHECK(limit == 0 || callback.name.size() <= limit);
    for (char c : callback.name)
      FUZZ_CHECK(std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
                 c == '.' || c == '-');
  }
  // Decoding never grows the text.
  FUZZ_CHECK(form_decode(query).size() <= query.size());
  return 0;
}
