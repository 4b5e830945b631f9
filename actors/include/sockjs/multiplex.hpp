// Named channels over one SockJS connection, as the npm websocket-multiplex
// client (0.1.0) and sockjs-erlang's sockjs_multiplex speak them. The
// client sends `sub,NAME` to open channel NAME, `msg,NAME,payload` on it,
// `uns,NAME` to close it; the server sends `msg,NAME,payload` and, when it
// closes a channel, `uns,NAME`. Names are as the client's JavaScript
// escape() writes them.
//
//   std::map<std::string, sockjs::handler_factory> channels{
//       {"ann", sockjs::callback_service<int>(ann, 0)},
//       {"bob", sockjs::actor_service(bob)}};
//   srv.add_service("/multiplex", {}, sockjs::multiplex_service(channels));
//
// Each channel is a service of its own, callback or actor, with its own
// events and state per session: init on `sub`, recv per `msg`, closed on
// `uns` or when the session ends. Its connection (connection::channel())
// sends and closes on the channel. Messages for channels nobody registered
// are ignored, as the reference server does.
#pragma once

#include "sockjs/service.hpp"

#include <map>
#include <string>
#include <string_view>

namespace sockjs {

/// A service that runs `channels` (name -> service) as channels of each
/// session.
handler_factory
multiplex_service(std::map<std::string, handler_factory> channels);

/// JavaScript's escape(): how the client writes a channel's name.
std::string js_escape(std::string_view name);

} // namespace sockjs
