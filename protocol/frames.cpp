#include "sockjs/protocol/frames.hpp"

#include "sockjs/protocol/payload.hpp"

#include <nlohmann/json.hpp>

namespace sockjs::protocol {

std::string close_frame(int code, std::string_view reason) {
  std::string out = "c[";
  out += std::to_string(code);
  out.push_back(',');
  append_json_string(out, reason);
  out.push_back(']');
  return out;
}

void append_encoded(std::string& out, const frame& f) {
  switch (f.kind) {
  case frame_kind::open:
    out += open_frame;
    break;
  case frame_kind::heartbeat:
    out += heartbeat_frame;
    break;
  case frame_kind::messages:
    out += "a[";
    out += f.messages;
    out.push_back(']');
    break;
  case frame_kind::close:
    out += close_frame(f.code, f.reason);
    break;
  case frame_kind::invalid:
    break;
  }
}

std::string encode(const frame& f) {
  std::string out;
  out.reserve(f.messages.size() + 3);
  append_encoded(out, f);
  return out;
}

std::string encode(frame&& f) {
  if (f.kind != frame_kind::messages) return encode(f);
  // A memmove within the buffer (or one reallocation), not a copy.
  f.messages.insert(0, "a[");
  f.messages.push_back(']');
  return std::move(f.messages);
}

bool join_messages(std::string& encoded, const frame& next) {
  if (next.kind != frame_kind::messages || next.messages.empty() ||
      encoded.size() <= 3 || encoded.compare(0, 2, "a[") != 0 ||
      encoded.back() != ']')
    return false;
  encoded.back() = ',';
  encoded += next.messages;
  encoded.push_back(']');
  return true;
}

std::vector<std::string> split_messages(std::string_view quoted) {
  auto messages = detail::read_string_list(quoted);
  return messages ? std::move(*messages) : std::vector<std::string>{};
}

decoded_frame decode_frame(std::string_view text) {
  decoded_frame out;
  if (text == open_frame) {
    out.kind = frame_kind::open;
  } else if (text == heartbeat_frame) {
    out.kind = frame_kind::heartbeat;
  } else if (auto messages = text.empty() || text[0] != 'a'
                                 ? std::nullopt
                                 : detail::read_string_array(text.substr(1))) {
    // Our own a-frames always take this way, without a JSON DOM.
    out.kind = frame_kind::messages;
    out.messages = std::move(*messages);
  } else if (!text.empty() && (text[0] == 'a' || text[0] == 'c')) {
    auto body = nlohmann::json::parse(text.substr(1), nullptr, false);
    if (text[0] == 'a' && body.is_array()) {
      out.kind = frame_kind::messages;
      for (auto& element : body) {
        if (!element.is_string()) return {};
        out.messages.push_back(std::move(element.get_ref<std::string&>()));
      }
    } else if (text[0] == 'c' && body.is_array() && body.size() == 2 &&
               body[0].is_number_integer() && body[1].is_string()) {
      out.kind = frame_kind::close;
      out.code = body[0].get<int>();
      out.reason = body[1].get<std::string>();
    }
  }
  return out;
}

} // namespace sockjs::protocol
