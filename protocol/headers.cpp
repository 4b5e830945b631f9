#include "sockjs/protocol/headers.hpp"

#include "sockjs/protocol/text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace sockjs::protocol {

namespace {

void add_cacheable(header_list& out, std::time_t now) {
  out.emplace_back("Cache-Control",
                   "public, max-age=" + std::to_string(one_year_seconds));
  out.emplace_back("Expires", http_date(now + one_year_seconds));
}

void add_cors(header_list& out, const request_facts& request) {
  if (request.origin) {
    out.emplace_back("Access-Control-Allow-Origin",
                     std::string{*request.origin});
    out.emplace_back("Access-Control-Allow-Credentials", "true");
  } else {
    out.emplace_back("Access-Control-Allow-Origin", "*");
  }
  if (!request.access_control_request_headers.empty())
    out.emplace_back("Access-Control-Allow-Headers",
                     std::string{request.access_control_request_headers});
  out.emplace_back("Vary", "Origin");
}

void add_jsessionid(header_list& out, std::string_view cookie) {
  const auto value = jsessionid_cookie(cookie).value_or("dummy");
  out.emplace_back("Set-Cookie",
                   "JSESSIONID=" + std::string{value} + "; path=/");
}

} // namespace

std::string http_date(std::time_t when) {
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed",
                                         "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr",
                                           "May", "Jun", "Jul", "Aug",
                                           "Sep", "Oct", "Nov", "Dec"};
  std::tm tm{};
  gmtime_r(&when, &tm);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
                tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::optional<std::string_view> jsessionid_cookie(std::string_view cookie) {
  while (!cookie.empty()) {
    const auto semicolon = cookie.find(';');
    const auto part = cookie.substr(0, semicolon);
    cookie = semicolon == std::string_view::npos ? std::string_view{}
                                                 : cookie.substr(semicolon + 1);
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim(part.substr(0, eq)) == "JSESSIONID")
      return trim(part.substr(eq + 1));
  }
  return std::nullopt;
}

void apply_header_filters(header_list& out, header_filters filters,
                          const request_facts& request, bool jsessionid_enabled,
                          std::time_t now) {
  if (filters & no_cache)
    out.emplace_back("Cache-Control", std::string{no_cache_value});
  if (filters & cacheable) add_cacheable(out, now);
  if (filters & cors) add_cors(out, request);
  if ((filters & jsessionid) && jsessionid_enabled)
    add_jsessionid(out, request.cookie);
}

void add_preflight_headers(header_list& out, std::string_view allow_methods) {
  out.emplace_back("Access-Control-Allow-Methods", std::string{allow_methods});
  out.emplace_back("Access-Control-Max-Age", std::to_string(one_year_seconds));
}

bool valid_origin_pattern(std::string_view pattern) {
  if (pattern == "*") return true;
  const auto scheme_end = pattern.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return false;
  for (char c : pattern.substr(0, scheme_end))
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' &&
        c != '.')
      return false;
  const auto authority = pattern.substr(scheme_end + 3);
  if (authority.empty()) return false;
  for (char c : authority)
    if (c <= ' ' || c >= 0x7f || c == '/' || c == '?' || c == '#' || c == '@' ||
        c == ',' || c == '*')
      return false;
  return true;
}

bool any_origin(const std::vector<std::string>& allowed) {
  return allowed.empty() ||
         std::find(allowed.begin(), allowed.end(), "*") != allowed.end();
}

bool origin_allowed(const std::vector<std::string>& allowed,
                    std::optional<std::string_view> origin,
                    std::string_view host) {
  if (!origin || any_origin(allowed)) return true;
  const auto authority_at = origin->find("://");
  if (authority_at != std::string_view::npos && !host.empty() &&
      iequals(origin->substr(authority_at + 3), host))
    return true;
  for (const auto& entry : allowed)
    if (iequals(entry, *origin)) return true;
  return false;
}

bool kept_for_info(std::string_view name) {
  constexpr std::string_view kept[] = {"host",
                                       "user-agent",
                                       "accept-language",
                                       "referer",
                                       "origin",
                                       "dnt",
                                       "via",
                                       "x-forwarded-for",
                                       "x-real-ip",
                                       "x-cluster-client-ip",
                                       "x-client-ip",
                                       "x-forwarded-proto",
                                       "x-ssl"};
  for (auto k : kept)
    if (iequals(name, k)) return true;
  return false;
}

} // namespace sockjs::protocol
