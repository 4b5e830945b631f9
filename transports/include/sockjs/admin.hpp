// The operators' endpoint of a server, on a port of its own (loopback by
// default): GET /metrics (Prometheus text format), /healthz (the process
// answers) and /readyz (503 once the server stops: load balancers take it
// out before its connections close). It runs on a thread of its own, so
// that a scrape never waits behind client traffic, nor delays it.
#pragma once

#include "sockjs/server.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace sockjs {

/// Where the operators' endpoint listens.
struct admin_config {
  /// Loopback unless the operator says otherwise: metrics are not public.
  std::string host = "127.0.0.1";
  /// 0 picks a free port.
  std::uint16_t port = 0;
};

/// The server's figures in the Prometheus text exposition format (0.0.4).
/// Blocks briefly for cluster membership: not for an I/O thread.
std::string metrics_text(server& srv);

/// The operators' endpoint of one server: /metrics, /healthz, /readyz.
class admin_endpoint {
public:
  /// `srv` must outlive the endpoint.
  admin_endpoint(server& srv, admin_config config);
  ~admin_endpoint(); // stops
  admin_endpoint(const admin_endpoint&) = delete;
  admin_endpoint& operator=(const admin_endpoint&) = delete;

  /// Binds and starts answering; returns the bound port. Throws
  /// std::system_error when the address cannot be bound.
  std::uint16_t start();

  /// Stops answering and joins its thread.
  void stop();

  struct impl;

private:
  std::unique_ptr<impl> impl_;
};

} // namespace sockjs
