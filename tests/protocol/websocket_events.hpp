// Every event a websocket_reader makes of `bytes` read in pieces of `step`
// bytes, up to and with the first failure (for the unit tests and the fuzz
// target alike).
#pragma once

#include "sockjs/protocol/rfc6455.hpp"

#include <string_view>
#include <vector>

namespace sockjs::test {

inline std::vector<protocol::websocket_reader::event>
read_events(std::string_view bytes, std::size_t step, std::size_t limit) {
  using kind = protocol::websocket_reader::event_kind;
  protocol::websocket_reader reader{limit};
  std::vector<protocol::websocket_reader::event> events;
  while (!bytes.empty()) {
    auto piece = bytes.substr(0, step);
    bytes.remove_prefix(piece.size());
    for (;;) {
      auto e = reader.read(piece);
      if (e.kind == kind::need_more) break;
      events.push_back(std::move(e));
      if (events.back().kind == kind::fail) return events;
    }
  }
  return events;
}

} // namespace sockjs::test
