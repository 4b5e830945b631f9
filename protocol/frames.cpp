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

decoded_frame decode_frame(std::string_view frame) {
  decoded_frame out;
  if (frame == open_frame) {
    out.kind = frame_kind::open;
  } else if (frame == heartbeat_frame) {
    out.kind = frame_kind::heartbeat;
  } else if (auto messages = frame.empty() || frame[0] != 'a'
                                 ? std::nullopt
                                 : detail::read_string_array(frame.substr(1))) {
    // Our own a-frames always take this way, without a JSON DOM.
    out.kind = frame_kind::messages;
    out.messages = std::move(*messages);
  } else if (!frame.empty() && (frame[0] == 'a' || frame[0] == 'c')) {
    auto body = nlohmann::json::parse(frame.substr(1), nullptr, false);
    if (frame[0] == 'a' && body.is_array()) {
      out.kind = frame_kind::messages;
      for (auto& element : body) {
        if (!element.is_string()) return {};
        out.messages.push_back(std::move(element.get_ref<std::string&>()));
      }
    } else if (frame[0] == 'c' && body.is_array() && body.size() == 2 &&
               body[0].is_number_integer() && body[1].is_string()) {
      out.kind = frame_kind::close;
      out.code = body[0].get<int>();
      out.reason = body[1].get<std::string>();
    }
  }
  return out;
}

} // namespace sockjs::protocol
