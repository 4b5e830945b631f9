#include "sockjs/protocol/pages.hpp"

#include "sockjs/protocol/md5.hpp"
#include "sockjs/protocol/text.hpp"

namespace sockjs::protocol {

namespace {

constexpr std::string_view iframe_head = R"(<!DOCTYPE html>
<html>
<head>
  <meta http-equiv="X-UA-Compatible" content="IE=edge" />
  <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
  <script src=")";

constexpr std::string_view iframe_tail = R"("></script>
  <script>
    document.domain = document.domain;
    SockJS.bootstrap_iframe();
  </script>
</head>
<body>
  <h2>Don't panic!</h2>
  <p>This is a SockJS hidden iframe. It's used for cross domain magic.</p>
</body>
</html>
)";

} // namespace

bool valid_sockjs_url(std::string_view url) {
  if (url.empty() || (url[0] != '/' && url.substr(0, 4) != "http"))
    return false;
  for (auto c : url)
    if (c == '"' || c == '<' || c == '>' ||
        static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      return false;
  return true;
}

std::string iframe_page(std::string_view sockjs_url) {
  std::string page;
  page.reserve(iframe_head.size() + sockjs_url.size() + iframe_tail.size());
  page += iframe_head;
  page += sockjs_url;
  page += iframe_tail;
  return page;
}

std::string etag_for(std::string_view body) {
  return '"' + to_hex(md5(body)) + '"';
}

bool if_none_match_hits(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    auto candidate = trim(if_none_match.substr(0, comma));
    if_none_match = comma == std::string_view::npos
                        ? std::string_view{}
                        : if_none_match.substr(comma + 1);
    if (candidate.substr(0, 2) == "W/") // weak comparison, RFC 7232 §3.2
      candidate.remove_prefix(2);
    if (candidate == "*" || candidate == etag) return true;
  }
  return false;
}

std::string info_body(bool websocket, bool cookie_needed,
                      std::uint32_t entropy) {
  std::string body = R"({"websocket":)";
  body += websocket ? "true" : "false";
  body += R"(,"origins":["*:*"],"cookie_needed":)";
  body += cookie_needed ? "true" : "false";
  body += R"(,"entropy":)";
  body += std::to_string(entropy);
  body += '}';
  return body;
}

} // namespace sockjs::protocol
