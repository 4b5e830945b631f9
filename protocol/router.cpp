#include "sockjs/protocol/router.hpp"

#include "sockjs/protocol/url.hpp"

#include <optional>
#include <utility>

namespace sockjs::protocol {

namespace {

bool iframe_name(std::string_view segment) {
  constexpr std::string_view head = "iframe", tail = ".html";
  if (segment.size() < head.size() + tail.size() ||
      segment.substr(0, head.size()) != head ||
      segment.substr(segment.size() - tail.size()) != tail)
    return false;
  for (auto c : segment.substr(head.size(),
                               segment.size() - head.size() - tail.size())) {
    const bool allowed = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                         c == '.' || c == '_' || c == '-';
    if (!allowed) return false;
  }
  return true;
}

// A request path below the prefix, in the table's pattern notation: the
// root (""), one segment ("/<name>"), or a session route ("/S/I/<name>").
struct classified_path {
  enum { root, single, session } shape = root;
  std::string_view name;
  std::string_view server_id;
  std::string_view session_id;

  bool matches(std::string_view pattern) const {
    constexpr std::string_view session_head = "/S/I/";
    switch (shape) {
    case root:
      return pattern.empty();
    case single:
      return pattern.size() == name.size() + 1 && pattern[0] == '/' &&
             pattern.substr(1) == name;
    case session:
      return pattern.substr(0, session_head.size()) == session_head &&
             pattern.substr(session_head.size()) == name;
    }
    return false;
  }
};

// Classifies the path below the prefix, or nullopt when no pattern of the
// table can match it.
std::optional<classified_path> classify(std::string_view rest) {
  classified_path out;
  if (rest.empty() || rest == "/") return out;
  // rest starts with '/'. One trailing slash is tolerated on every route.
  auto body = rest.substr(1);
  if (!body.empty() && body.back() == '/') body.remove_suffix(1);
  std::string_view segments[3];
  std::size_t count = 0;
  while (true) {
    if (count == 3) return std::nullopt;
    const auto slash = body.find('/');
    segments[count++] = body.substr(0, slash);
    if (slash == std::string_view::npos) break;
    body = body.substr(slash + 1);
  }
  if (count == 1 && !segments[0].empty()) {
    out.shape = classified_path::single;
    out.name = iframe_name(segments[0]) ? "iframe*.html" : segments[0];
    return out;
  }
  if (count == 3 && valid_id_segment(segments[0]) &&
      valid_id_segment(segments[1])) {
    out.shape = classified_path::session;
    out.server_id = segments[0];
    out.session_id = segments[1];
    out.name = segments[2];
    return out;
  }
  return std::nullopt;
}

} // namespace

transport_set transport_named(std::string_view name) {
  // clang-format off
  constexpr std::pair<std::string_view, transport> names[] = {
    {"websocket", websocket},     {"xhr-streaming", xhr_streaming},
    {"xhr-polling", xhr_polling}, {"eventsource", eventsource},
    {"htmlfile", htmlfile},       {"jsonp-polling", jsonp_polling},
    {"iframe", iframe},
  };
  // clang-format on
  for (const auto& [known, t] : names)
    if (known == name) return t;
  return 0;
}

bool under_prefix(std::string_view prefix, std::string_view path) {
  return path.substr(0, prefix.size()) == prefix &&
         (path.size() == prefix.size() || path[prefix.size()] == '/');
}

bool valid_id_segment(std::string_view segment) {
  return !segment.empty() &&
         segment.find_first_of("/.") == std::string_view::npos;
}

std::string_view transport_name(action a) {
  switch (a) {
  case action::websocket:
    return "websocket";
  case action::raw_websocket:
    return "websocket-raw";
  case action::xhr_streaming:
    return "xhr-streaming";
  case action::xhr:
    return "xhr-polling";
  case action::eventsource:
    return "eventsource";
  case action::htmlfile:
    return "htmlfile";
  case action::jsonp:
    return "jsonp-polling";
  default:
    return {};
  }
}

route_match match_route(std::string_view prefix, transport_set enabled,
                        std::string_view method, std::string_view target) {
  route_match result;
  const auto [path, query] = split_target(target);
  result.query = query;
  if (!under_prefix(prefix, path)) return result;
  const auto classified = classify(path.substr(prefix.size()));
  if (!classified) return result;
  bool path_known = false;
  for (const auto& entry : routes) {
    if (!classified->matches(entry.pattern)) continue;
    if (entry.transports != 0 && (entry.transports & enabled) == 0) {
      result.filters = cacheable;
      return result;
    }
    path_known = true;
    if (entry.method == method && result.entry == nullptr)
      result.entry = &entry;
  }
  if (!path_known) return result;
  if (result.entry == nullptr || method == "OPTIONS") {
    // Only a 405 and a preflight tell the methods: spare the others.
    for (const auto& entry : routes)
      if (classified->matches(entry.pattern)) {
        if (!result.allow.empty()) result.allow += ", ";
        result.allow += entry.method;
      }
  }
  if (result.entry == nullptr) {
    result.status = route_status::method_not_allowed;
    return result;
  }
  result.status = route_status::found;
  result.filters = result.entry->filters;
  result.server_id = classified->server_id;
  result.session_id = classified->session_id;
  return result;
}

} // namespace sockjs::protocol
