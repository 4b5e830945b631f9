// RFC 6455 websockets, server side: the handshake's checks, the frames a
// server writes, and a reader for the frames a client sends. Pure: bytes in,
// events out; the transport does the I/O.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sockjs::protocol {

/// §4.2.1: Sec-WebSocket-Key is base64 of 16 bytes (24 characters, the last
/// two `=`).
bool valid_websocket_key(std::string_view key);

/// §7.4: the close codes a peer may send: 1000-1003, 1007-1014 (with the
/// IANA registry's 1012-1014) and 3000-4999. Any other is a protocol error.
bool valid_close_code(int code);

/// §5.2.
enum class opcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xA,
};

/// §5.2: the head of a server's frame, unmasked and final, for a payload of
/// `size` bytes: 2, 4 or 10 bytes.
class frame_head {
public:
  frame_head(opcode op, std::uint64_t size) {
    bytes_[0] = static_cast<char>(0x80 | static_cast<std::uint8_t>(op));
    std::size_t length_bytes = 0;
    if (size < 126) {
      bytes_[1] = static_cast<char>(size);
    } else if (size <= 0xFFFF) {
      bytes_[1] = 126;
      length_bytes = 2;
    } else {
      bytes_[1] = 127;
      length_bytes = 8;
    }
    for (std::size_t i = 0; i < length_bytes; ++i) // big-endian
      bytes_[1 + length_bytes - i] = static_cast<char>(size >> (8 * i));
    size_ = 2 + length_bytes;
  }

  std::string_view bytes() const { return {bytes_.data(), size_}; }

private:
  std::array<char, 10> bytes_{};
  std::size_t size_ = 2;
};

/// §5.5.1: a close frame's payload, the code (big-endian) and the reason,
/// cut to the 125 bytes of a control frame.
std::string close_payload(std::uint16_t code, std::string_view reason);

/// §7.4.1: the code a close frame without one stands for; it never goes
/// on the wire.
inline constexpr std::uint16_t close_no_status = 1005;

/// A client's frames, read as they come, one event at a time: messages
/// joined from their fragments and unmasked, control frames, and the first
/// breach of the protocol with the close code it calls for (§7.4.1: 1002
/// for framing, 1007 for text that is not UTF-8, 1009 for a message over
/// the limit). After a failure it reads nothing more.
class websocket_reader {
public:
  enum class event_kind { need_more, message, ping, pong, close, fail };

  struct event {
    event_kind kind = event_kind::need_more;
    /// A message's text (or bytes), a ping's or pong's payload, a close's
    /// reason.
    std::string payload;
    /// close: the client's code (close_no_status without one); fail: the
    /// code to close with.
    std::uint16_t code = 0;
    bool binary = false; // message: sent as binary
  };

  explicit websocket_reader(std::size_t max_message_bytes)
      : max_message_(max_message_bytes) {}

  /// Reads from the front of `bytes` until an event is complete, or all of
  /// them are used (need_more); what it has read is removed from `bytes`.
  event read(std::string_view& bytes);

private:
  // Returns a fail event, or need_more once the head is complete.
  event start_frame();
  event end_frame();
  static event fail(std::uint16_t code);

  std::size_t max_message_;
  std::array<std::uint8_t, 14> head_{}; // the frame head so far
  std::size_t head_size_ = 0;
  bool in_frame_ = false; // the head is read, the payload is coming
  bool final_ = false;
  opcode op_ = opcode::continuation;
  std::uint64_t left_ = 0; // payload bytes still to come
  std::array<std::uint8_t, 4> mask_{};
  std::size_t mask_at_ = 0;
  bool in_message_ = false; // fragments of a message have come
  bool message_binary_ = false;
  std::string message_; // the message so far
  std::string control_; // the control frame's payload so far
  bool failed_ = false;
};

} // namespace sockjs::protocol
