// Everything a service author needs, in one include:
//
//   #include <sockjs/sockjs.hpp>
//
// connection.hpp (the handle of a session), service.hpp (options, callback
// and actor services), server.hpp (the server and its cluster settings),
// io_scheduler.hpp (the CAF scheduler it runs on), message_types.hpp (the
// types to announce), multiplex.hpp (named channels on one connection),
// run.hpp (a whole server program), cluster.hpp
// (talking to the other nodes of a cluster), close_codes.hpp.
#pragma once

#include "sockjs/close_codes.hpp"
#include "sockjs/cluster.hpp"
#include "sockjs/connection.hpp"
#include "sockjs/io_scheduler.hpp"
#include "sockjs/message_types.hpp"
#include "sockjs/multiplex.hpp"
#include "sockjs/run.hpp"
#include "sockjs/server.hpp"
#include "sockjs/service.hpp"

/// The SockJS server library: services and their connections, the server,
/// the scheduler it runs on.
namespace sockjs {
/// Clusters of servers that share their sessions.
namespace cluster {}
} // namespace sockjs
