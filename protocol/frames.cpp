#include "protocol/frames.hpp"

namespace sockjs::protocol {

std::string close_frame(int code, std::string_view reason) {
  std::string out = "c[";
  out += std::to_string(code);
  out.push_back(',');
  append_json_string(out, reason);
  out.push_back(']');
  return out;
}

} // namespace sockjs::protocol
