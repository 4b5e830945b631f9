#include "sockjs/protocol/rfc6455.hpp"

#include "sockjs/protocol/utf8.hpp"

#include <algorithm>

namespace sockjs::protocol {

bool valid_websocket_key(std::string_view key) {
  auto base64 = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '+' || c == '/';
  };
  if (key.size() != 24 || key.substr(22) != "==") return false;
  for (char c : key.substr(0, 22))
    if (!base64(c)) return false;
  return true;
}

bool valid_close_code(int code) {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

std::string close_payload(std::uint16_t code, std::string_view reason) {
  std::string out;
  out.push_back(static_cast<char>(code >> 8));
  out.push_back(static_cast<char>(code & 0xFF));
  out.append(reason.substr(0, 123));
  return out;
}

namespace {

constexpr std::uint64_t reserve_at_most = 16 * 1024;

bool is_control(opcode op) {
  return static_cast<std::uint8_t>(op) >= 0x8;
}

bool known(std::uint8_t op) {
  return op <= 0x2 || (op >= 0x8 && op <= 0xA);
}

// The head's size once its first two bytes are known: 2, then the extended
// length, then the mask.
std::size_t head_size(const std::array<std::uint8_t, 14>& head) {
  const auto length7 = head[1] & 0x7F;
  const std::size_t extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
  return 2 + extended + ((head[1] & 0x80) ? 4 : 0);
}

} // namespace

websocket_reader::event websocket_reader::fail(std::uint16_t code) {
  event e;
  e.kind = event_kind::fail;
  e.code = code;
  return e;
}

websocket_reader::event websocket_reader::read(std::string_view& bytes) {
  if (failed_) return fail(1002);
  while (!bytes.empty()) {
    if (!in_frame_) {
      const auto wanted = head_size_ < 2 ? 2 : head_size(head_);
      const auto n = std::min(wanted - head_size_, bytes.size());
      std::copy_n(bytes.data(), n, head_.data() + head_size_);
      head_size_ += n;
      bytes.remove_prefix(n);
      if (head_size_ < 2 || head_size_ < head_size(head_)) continue;
      if (auto e = start_frame(); e.kind == event_kind::fail) {
        failed_ = true;
        return e;
      }
      if (left_ > 0) continue;
    } else {
      auto& into = is_control(op_) ? control_ : message_;
      const auto n = static_cast<std::size_t>(
          std::min<std::uint64_t>(left_, bytes.size()));
      const auto old_size = into.size();
      into.resize(old_size + n);
      for (std::size_t i = 0; i < n; ++i)
        into[old_size + i] =
            static_cast<char>(bytes[i] ^ mask_[(mask_at_++) & 3]);
      left_ -= n;
      bytes.remove_prefix(n);
      if (left_ > 0) continue;
    }
    auto e = end_frame();
    if (e.kind == event_kind::fail) failed_ = true;
    if (e.kind != event_kind::need_more) return e;
  }
  return {};
}

websocket_reader::event websocket_reader::start_frame() {
  const auto op = static_cast<std::uint8_t>(head_[0] & 0x0F);
  if ((head_[0] & 0x70) != 0 || !known(op)) return fail(1002);
  if ((head_[1] & 0x80) == 0) return fail(1002); // §5.1: clients mask
  final_ = (head_[0] & 0x80) != 0;
  op_ = static_cast<opcode>(op);
  const auto length7 = head_[1] & 0x7F;
  std::size_t at = 2;
  std::uint64_t length = length7;
  if (length7 >= 126) {
    const std::size_t length_bytes = length7 == 126 ? 2 : 8;
    length = 0;
    for (std::size_t i = 0; i < length_bytes; ++i)
      length = (length << 8) | head_[at++];
    // §5.2: the shortest form only, and the top bit clear.
    const std::uint64_t least = length7 == 126 ? 126 : 0x10000;
    if (length < least || (length >> 63) != 0) return fail(1002);
  }
  std::copy_n(head_.data() + at, 4, mask_.data());
  mask_at_ = 0;
  if (is_control(op_)) {
    if (!final_ || length > 125) return fail(1002); // §5.5
    control_.clear();
  } else {
    if ((op_ == opcode::continuation) != in_message_) return fail(1002);
    if (length > max_message_ - message_.size()) return fail(1009);
    if (!in_message_) {
      in_message_ = true;
      message_binary_ = op_ == opcode::binary;
    }
    // A length is only a claim: memory follows the bytes that come.
    message_.reserve(message_.size() +
                     std::min<std::uint64_t>(length, reserve_at_most));
  }
  left_ = length;
  in_frame_ = true;
  return {};
}

websocket_reader::event websocket_reader::end_frame() {
  in_frame_ = false;
  head_size_ = 0;
  event e;
  switch (op_) {
  case opcode::ping:
  case opcode::pong:
    e.kind = op_ == opcode::ping ? event_kind::ping : event_kind::pong;
    e.payload = std::move(control_);
    control_.clear();
    return e;
  case opcode::close: {
    e.kind = event_kind::close;
    if (control_.empty()) {
      e.code = close_no_status;
      return e;
    }
    if (control_.size() < 2) return fail(1002);
    const auto code = static_cast<std::uint16_t>(
        (static_cast<std::uint8_t>(control_[0]) << 8) |
        static_cast<std::uint8_t>(control_[1]));
    if (!valid_close_code(code)) return fail(1002);
    e.payload = control_.substr(2);
    if (!valid_utf8(e.payload)) return fail(1007);
    e.code = code;
    return e;
  }
  default:
    if (!final_) return e; // more fragments to come
    in_message_ = false;
    if (!message_binary_ && !valid_utf8(message_)) return fail(1007);
    e.kind = event_kind::message;
    e.binary = message_binary_;
    e.payload = std::move(message_);
    message_.clear();
    return e;
  }
}

} // namespace sockjs::protocol
