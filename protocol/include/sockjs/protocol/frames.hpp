// Server-to-client SockJS frames (spec §5.1), transport-independent.
#pragma once

#include "sockjs/close_codes.hpp"
#include "sockjs/protocol/json_quote.hpp"

#include <cstdint>
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

enum class frame_kind : std::uint8_t {
  open,
  heartbeat,
  messages,
  close,
  invalid
};

/// One frame as a session says it (spec §5.1), before any transport encodes
/// it (sockjs-erlang's session replies the same way).
struct frame {
  frame_kind kind = frame_kind::invalid;
  /// messages: each quoted by append_json_string, joined by ','. Quoted
  /// once by the session (or once per broadcast), as every SockJS transport
  /// writes them; the raw websocket reads them back (split_messages).
  std::string messages;
  int code = 0;       // close
  std::string reason; // close

  static frame open() { return {frame_kind::open, {}, 0, {}}; }
  static frame heartbeat() { return {frame_kind::heartbeat, {}, 0, {}}; }
  static frame messages_of(std::string quoted) {
    return {frame_kind::messages, std::move(quoted), 0, {}};
  }
  static frame close(int code, std::string_view reason) {
    return {frame_kind::close, {}, code, std::string{reason}};
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, frame& x) {
  return f(x.kind, x.messages, x.code, x.reason);
}

/// Appends the frame's SockJS text: o, h, a[...] or c[code,"reason"].
void append_encoded(std::string& out, const frame& f);
std::string encode(const frame& f);
/// The same, in the buffer of the frame's messages when it has some: the
/// frame is used up.
std::string encode(frame&& f);

/// Adds the messages of `next` (a messages frame) to `encoded`, the text of
/// an earlier messages frame, so both leave as one frame. False, and
/// nothing changed, if either has no messages or `encoded` is no a[...].
bool join_messages(std::string& encoded, const frame& next);

/// A messages frame's messages, unquoted (empty if they are not what
/// append_json_string and ',' make).
std::vector<std::string> split_messages(std::string_view quoted);

/// A frame's text read back into its parts, as a client reads it.
struct decoded_frame {
  frame_kind kind = frame_kind::invalid;
  std::vector<std::string> messages; // messages
  int code = 0;                      // close
  std::string reason;                // close
};

decoded_frame decode_frame(std::string_view text);

} // namespace sockjs::protocol
