// A response as the server writes it: status, headers in order, body. Most
// responses are built once and written at once; this skips what Beast's
// message keeps for later edits (an allocation and an index entry per
// field).
#pragma once

#include "sockjs/protocol/headers.hpp"
#include "sockjs/protocol/text.hpp"

#include <string>
#include <string_view>
#include <utility>

namespace sockjs::transport {

struct http_reply {
  unsigned status = 200;
  /// Names must outlive the reply (the protocol's are string literals).
  protocol::header_list headers;
  std::string body;

  /// Replaces the value of header `name` (compared case-insensitively), or
  /// adds it at the end.
  void set(std::string_view name, std::string value) {
    for (auto& [existing, old] : headers)
      if (protocol::iequals(existing, name)) {
        old = std::move(value);
        return;
      }
    headers.emplace_back(name, std::move(value));
  }
};

} // namespace sockjs::transport
