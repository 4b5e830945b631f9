#include "tests/integration/client.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <random>
#include <sys/socket.h>
#include <unistd.h>

namespace sockjs::test {

namespace {

using clock = std::chrono::steady_clock;

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

} // namespace

std::chrono::milliseconds default_timeout() {
  static const auto value = [] {
    const char* env = std::getenv("SOCKJS_TEST_TIMEOUT_MS");
    return std::chrono::milliseconds{env ? std::atol(env) : 1000};
  }();
  return value;
}

bool header_less::operator()(const std::string& a, const std::string& b) const {
  return lower(a) < lower(b);
}

std::optional<std::string> response::header(const std::string& name) const {
  auto i = headers.find(name);
  if (i == headers.end()) return std::nullopt;
  return i->second;
}

tcp_client::tcp_client(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd_);
    throw std::runtime_error("connect failed: " + std::string{strerror(errno)});
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

tcp_client::~tcp_client() {
  if (fd_ >= 0) ::close(fd_);
}

tcp_client::tcp_client(tcp_client&& other) noexcept
    : fd_(other.fd_), buffer_(std::move(other.buffer_)), eof_(other.eof_) {
  other.fd_ = -1;
}

void tcp_client::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto n =
        ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    sent += static_cast<std::size_t>(n);
  }
}

void tcp_client::send_request(
    const std::string& method, const std::string& path,
    const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& body, const std::string& version) {
  std::string out = method + " " + path + " " + version + "\r\n";
  out += "Host: 127.0.0.1\r\n";
  bool has_length = false;
  for (const auto& [name, value] : headers) {
    out += name + ": " + value + "\r\n";
    has_length = has_length || lower(name) == "content-length";
  }
  if (!has_length && (!body.empty() || method == "POST"))
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "\r\n";
  out += body;
  send(out);
}

std::size_t tcp_client::fill(std::chrono::milliseconds timeout) {
  if (eof_) return 0;
  pollfd p{fd_, POLLIN, 0};
  const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (ready == 0)
    throw timeout_error("no data within " + std::to_string(timeout.count()) +
                        " ms");
  char buf[65536];
  const auto n = ::recv(fd_, buf, sizeof(buf), 0);
  if (n <= 0) {
    eof_ = true;
    return 0;
  }
  buffer_.append(buf, static_cast<std::size_t>(n));
  return static_cast<std::size_t>(n);
}

std::string tcp_client::take_line(std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  while (true) {
    const auto eol = buffer_.find("\r\n");
    if (eol != std::string::npos) {
      auto line = buffer_.substr(0, eol);
      buffer_.erase(0, eol + 2);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - clock::now());
    if (left.count() <= 0 || (fill(left) == 0 && eof_))
      throw timeout_error("connection ended or timed out inside a line");
  }
}

response tcp_client::read_head(std::chrono::milliseconds timeout) {
  response res;
  const auto status_line = take_line(timeout);
  const auto sp1 = status_line.find(' ');
  res.version = status_line.substr(0, sp1);
  res.status = std::stoi(status_line.substr(sp1 + 1, 3));
  while (true) {
    const auto line = take_line(timeout);
    if (line.empty()) break;
    const auto colon = line.find(':');
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    res.headers.emplace(line.substr(0, colon), value);
  }
  return res;
}

std::string tcp_client::read_exactly(std::size_t n,
                                     std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  while (buffer_.size() < n) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - clock::now());
    if (left.count() <= 0 || (fill(left) == 0 && eof_))
      throw timeout_error("wanted " + std::to_string(n) + " bytes, got " +
                          std::to_string(buffer_.size()));
  }
  auto out = buffer_.substr(0, n);
  buffer_.erase(0, n);
  return out;
}

std::string tcp_client::read_chunk(std::chrono::milliseconds timeout) {
  const auto size_line = take_line(timeout);
  const auto size = std::stoul(size_line, nullptr, 16);
  auto data = read_exactly(size + 2, timeout);
  if (data.substr(size) != "\r\n")
    throw std::runtime_error("chunk not followed by CRLF");
  data.resize(size);
  return data;
}

std::string tcp_client::read_some(std::chrono::milliseconds timeout) {
  if (buffer_.empty()) fill(timeout);
  auto out = std::move(buffer_);
  buffer_.clear();
  return out;
}

std::string tcp_client::read_until_close(std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  while (!eof_) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - clock::now());
    if (left.count() <= 0) throw timeout_error("server did not close");
    fill(left);
  }
  auto out = std::move(buffer_);
  buffer_.clear();
  return out;
}

bool tcp_client::closed_within(std::chrono::milliseconds timeout) {
  try {
    return read_until_close(timeout).empty();
  } catch (const timeout_error&) {
    return false;
  }
}

bool tcp_client::silent_for(std::chrono::milliseconds timeout) {
  if (!buffer_.empty()) return false;
  try {
    fill(timeout);
  } catch (const timeout_error&) {
    return true;
  }
  return false;
}

response tcp_client::read_response(std::chrono::milliseconds timeout) {
  auto res = read_head(timeout);
  if (res.status == 204 || res.status == 304 || res.status == 101) return res;
  if (auto te = res.header("Transfer-Encoding");
      te && lower(*te) == "chunked") {
    for (auto chunk = read_chunk(timeout); !chunk.empty();
         chunk = read_chunk(timeout))
      res.body += chunk;
  } else if (auto length = res.header("Content-Length")) {
    res.body = read_exactly(std::stoul(*length), timeout);
  } else {
    res.body = read_until_close(timeout);
  }
  return res;
}

void tcp_client::abort() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

response http(std::uint16_t port, const std::string& method,
              const std::string& path,
              const std::vector<std::pair<std::string, std::string>>& headers,
              const std::string& body) {
  tcp_client client{port};
  client.send_request(method, path, headers, body);
  return client.read_response();
}

int ws_frame::close_code() const {
  if (payload.size() < 2) return 0;
  return (static_cast<unsigned char>(payload[0]) << 8) |
         static_cast<unsigned char>(payload[1]);
}

std::string ws_frame::close_reason() const {
  return payload.size() > 2 ? payload.substr(2) : std::string{};
}

ws_client::ws_client(std::uint16_t port, const std::string& path) : tcp_(port) {
  tcp_.send_request("GET", path,
                    {{"Upgrade", "websocket"},
                     {"Connection", "Upgrade"},
                     {"Sec-WebSocket-Version", "13"},
                     {"Sec-WebSocket-Key", "x3JJHMbDL1EzLkh9GBhXDw=="}});
  handshake_ = tcp_.read_head();
  if (handshake_.status != 101)
    throw std::runtime_error("websocket handshake answered " +
                             std::to_string(handshake_.status));
}

void ws_client::send_frame(int opcode, const std::string& payload) {
  std::string out;
  out.push_back(static_cast<char>(0x80 | opcode));
  const auto n = payload.size();
  if (n < 126) {
    out.push_back(static_cast<char>(0x80 | n));
  } else if (n < 65536) {
    out.push_back(static_cast<char>(0x80 | 126));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n & 0xFF));
  } else {
    out.push_back(static_cast<char>(0x80 | 127));
    for (int shift = 56; shift >= 0; shift -= 8)
      out.push_back(
          static_cast<char>((static_cast<std::uint64_t>(n) >> shift) & 0xFF));
  }
  const char mask[4] = {0x12, 0x34, 0x56, 0x78};
  out.append(mask, 4);
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
  tcp_.send(out);
}

void ws_client::send_text(const std::string& text) {
  send_frame(1, text);
}

ws_frame ws_client::read(std::chrono::milliseconds timeout) {
  const auto head = tcp_.read_exactly(2, timeout);
  ws_frame frame;
  frame.opcode = head[0] & 0x0F;
  std::uint64_t length = static_cast<unsigned char>(head[1]) & 0x7F;
  if (length == 126) {
    const auto ext = tcp_.read_exactly(2, timeout);
    length = (static_cast<unsigned char>(ext[0]) << 8) |
             static_cast<unsigned char>(ext[1]);
  } else if (length == 127) {
    const auto ext = tcp_.read_exactly(8, timeout);
    length = 0;
    for (char c : ext) length = (length << 8) | static_cast<unsigned char>(c);
  }
  frame.payload = tcp_.read_exactly(length, timeout);
  return frame;
}

std::string ws_client::read_text(std::chrono::milliseconds timeout) {
  while (true) {
    auto frame = read(timeout);
    if (frame.opcode == 9) {
      send_frame(10, frame.payload);
      continue;
    }
    if (frame.opcode != 1)
      throw std::runtime_error("expected a text frame, got opcode " +
                               std::to_string(frame.opcode));
    return frame.payload;
  }
}

std::string unique_id() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string id;
  for (int i = 0; i < 16; ++i) id.push_back(digits[random() % 36]);
  return id;
}

} // namespace sockjs::test
