// Server-to-client SockJS frames (spec §5.1), transport-independent.
#pragma once

#include "sockjs/close_codes.hpp"
#include "sockjs/protocol/json_quote.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sockjs::protocol {

inline constexpr std::string_view open_frame = "o";
inline constexpr std::string_view heartbeat_frame = "h";

/// Appends `a[...]` holding every message of `messages` (a range of strings)
/// in order, each quoted with the SockJS escape set.
template <class Range>
void append_message_frame(std::string& out, const Range& messages) {
  out += "a[";
  bool first = true;
  for (const auto& message : messages) {
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, message);
  }
  out.push_back(']');
}

template <class Range>
std::string message_frame(const Range& messages) {
  std::string out;
  append_message_frame(out, messages);
  return out;
}

/// `c[code,"reason"]`, with no spaces.
std::string close_frame(int code, std::string_view reason);

/// A frame read back into its parts, for transports that carry no SockJS
/// framing (the raw websocket).
enum class frame_kind { open, heartbeat, messages, close, invalid };

struct decoded_frame {
  frame_kind kind = frame_kind::invalid;
  std::vector<std::string> messages; // messages
  int code = 0;                      // close
  std::string reason;                // close
};

decoded_frame decode_frame(std::string_view frame);

} // namespace sockjs::protocol
