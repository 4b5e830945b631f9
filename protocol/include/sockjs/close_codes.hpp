// The close frames a SockJS session ends with, `c[code,"reason"]`: the codes
// the server uses, and its wording of each. Applications choose their own
// with connection::close (3000-4999 are theirs).
#pragma once

#include <string_view>

namespace sockjs {

namespace close_code {
/// connection::close's default.
inline constexpr int normal = 1000;
/// The server stops.
inline constexpr int shutting_down = 1001;
/// A receiver was lost mid-response (spec §6.7).
inline constexpr int interrupted = 1002;
/// The session ended without telling this receiver, or its cluster node is
/// gone.
inline constexpr int session_lost = 1011;
/// The service failed (threw, or its actor died).
inline constexpr int service_error = 1011;
/// More was sent than the client took (service_options::max_queued_bytes).
inline constexpr int queue_overflow = 1013;
/// A websocket refused at service_options::max_sessions.
inline constexpr int too_many_sessions = 1013;
/// A second receiver while one is attached (spec §6.3).
inline constexpr int another_connection = 2010;
/// What the `/close` test service says.
inline constexpr int go_away = 3000;
} // namespace close_code

namespace close_reason {
inline constexpr std::string_view normal = "Normal closure";
inline constexpr std::string_view shutting_down = "Server shutting down";
inline constexpr std::string_view interrupted = "Connection interrupted";
/// sockjs-client words its own equivalent the same way.
inline constexpr std::string_view session_lost = "Server lost session";
inline constexpr std::string_view service_error = "Internal server error";
inline constexpr std::string_view queue_overflow = "Outgoing queue overflow";
inline constexpr std::string_view too_many_sessions = "Too many sessions";
inline constexpr std::string_view another_connection =
    "Another connection still open";
} // namespace close_reason

} // namespace sockjs
