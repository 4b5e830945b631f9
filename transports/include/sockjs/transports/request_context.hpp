// What a transport handler gets: the connection, the service, the matched
// route, and helpers that build responses with the route's header filters.
#pragma once

#include "sockjs/connection.hpp"
#include "sockjs/protocol/headers.hpp"
#include "sockjs/protocol/router.hpp"
#include "sockjs/transports/http_connection.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace sockjs::transport {

struct request_context {
  std::shared_ptr<http_connection> conn;
  const service_mount* service;
  protocol::route_match match;

  http_request& request() const { return conn->request(); }
  const service_options& options() const { return service->options; }
  caf::actor_system& system() const { return *conn->server().system; }

  /// The request's target as a string_view.
  std::string_view target() const;

  /// The facts header policies need (Origin, preflight headers, cookie).
  protocol::request_facts facts() const;

  /// A response with `status`, the route's filtered headers, the content
  /// type (none when empty) and `body`.
  http_reply response(unsigned status, std::string_view content_type,
                      std::string body) const;

  /// Headers for a held response: status 200, filters, content type.
  http_reply held_head(std::string_view content_type) const;

  void respond(unsigned status, std::string_view content_type,
               std::string body) const;

  /// The spec's 500 errors (§3.6): the text, no content type.
  void respond_error(std::string_view text) const;

  /// Facts of the request for the session (headers without Cookie).
  connection_info info() const;
};

} // namespace sockjs::transport
