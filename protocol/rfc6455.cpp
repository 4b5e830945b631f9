#include "sockjs/protocol/rfc6455.hpp"

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

} // namespace sockjs::protocol
