// The SockJS HTTP/WebSocket server: any number of services, each under its
// prefix, plus plain files, served by Boost.Beast on the I/O threads of the
// actor system's io_scheduler (load it into the system's config). Beast
// stays out of this header.
#pragma once

#include "sockjs/cluster.hpp"
#include "sockjs/service.hpp"

#include <caf/actor_system.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sockjs {

/// Membership in a cluster of servers that share their sessions, so that a
/// load balancer may send any request to any of them (actors/cluster.hpp).
/// It needs CAF's middleman (`cfg.load<caf::io::middleman>()`) with
/// `middleman.heartbeat-interval` set and `middleman.connection-timeout`
/// equal to `timeout`, the same on every node.
struct cluster_config {
  /// Port of this node's cluster endpoint; 0: no cluster.
  std::uint16_t port = 0;
  /// Address the endpoint listens on and the other nodes dial. "host:port"
  /// is this node's name: use the same spelling in every peer list.
  std::string host = "127.0.0.1";
  /// "host:port" of the other nodes (this node's own entry is skipped).
  std::vector<std::string> peers;
  /// Deadline of every request to another node.
  std::chrono::milliseconds timeout{2000};
};

/// Where the server listens and what it takes from clients.
struct server_config {
  /// The address to listen on.
  std::string host = "127.0.0.1";
  /// The port to listen on; 0 picks a free one.
  std::uint16_t port = 8081;
  /// SO_REUSEPORT: several processes listen on the one port and the kernel
  /// spreads new connections over them (each holds its own sessions: use a
  /// cluster for the polling transports, websockets need none).
  bool reuse_port = false;
  /// Request header bytes; past them, 431.
  std::size_t max_header_bytes = 16 * 1024;
  /// Request body bytes; past them, 413.
  std::size_t max_body_bytes = 1024 * 1024;
  /// Websocket message bytes; past them, close 1009.
  std::size_t max_websocket_message_bytes = 1024 * 1024;
  /// Time a websocket client has to answer the server's close frame; then
  /// the TCP connection is closed. It also ends a closing handshake that
  /// Beast 1.81 leaves waiting on itself: a client frame that fails the
  /// connection while the server's close is out.
  std::chrono::milliseconds websocket_close_timeout{5000};
  /// Time from accept until the first request head is complete. Short, so
  /// that clients trickling headers (slowloris) hold little.
  std::chrono::milliseconds request_timeout{10000};
  /// Time a keep-alive connection may wait for its next request head.
  std::chrono::milliseconds keep_alive_timeout{60000};
  /// Open connections, websockets included (0: no limit). Past it, a new
  /// connection takes the place of the oldest one waiting for a request
  /// head; with none waiting, it gets 503 and is closed.
  std::size_t max_connections = 0;
  /// Log hook for requests outside every service (files, 404s); services
  /// have their own in service_options.
  std::function<void(const request_log_entry&)> logger;
  /// Membership in a cluster (off by default).
  cluster_config cluster;
  /// TLS (off while empty): the PEM file of the certificate chain. With
  /// its key, the port speaks https and wss only; plain HTTP gets 400.
  std::string tls_certificate_file;
  /// The PEM file of tls_certificate_file's private key.
  std::string tls_private_key_file;
};

/// One service's share of server_stats.
struct service_stats {
  /// Where the service is mounted.
  std::string prefix;
  /// Its live sessions.
  std::size_t sessions = 0;
  /// Its new sessions refused at max_sessions, since the start.
  std::uint64_t sessions_refused = 0;
};

/// What a server has refused and holds, for monitoring.
struct server_stats {
  /// Open connections, websockets included.
  std::size_t connections = 0;
  /// Connections answered 503 at max_connections, since the start.
  std::uint64_t connections_refused = 0;
  /// Connections closed while waiting for a request, to make room.
  std::uint64_t connections_shed = 0;
  /// Live sessions across all services.
  std::size_t sessions = 0;
  /// New sessions refused at a service's max_sessions.
  std::uint64_t sessions_refused = 0;
  /// The same, service by service.
  std::vector<service_stats> services;
};

/// The SockJS server: services under their prefixes, plain files, and the
/// Boost.Beast connections that serve them on the io_scheduler's threads.
class server {
public:
  /// Throws std::invalid_argument for a bad cluster peer, std::logic_error
  /// for a cluster without CAF's middleman loaded.
  server(caf::actor_system& system, server_config config);
  ~server(); // stops the server if still running
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Mounts a service. `prefix` is empty or starts with `/` and does not
  /// end with `/`. Throws std::invalid_argument for a bad prefix or options.
  void add_service(std::string prefix, service_options options,
                   handler_factory behaviour);

  /// Serves `body` at exactly `path` (GET), e.g. a page or a script.
  void add_file(std::string path, std::string content_type, std::string body);

  /// Binds, listens and starts the I/O threads. Returns the bound port.
  /// Throws std::system_error when the address cannot be bound,
  /// std::runtime_error for TLS files that cannot be used.
  std::uint16_t start();

  /// Reads the TLS certificate and key files again (after a renewal):
  /// connections accepted from now on use them, open ones keep theirs.
  /// Returns what is wrong, empty when done; on error the old certificate
  /// stays. From any thread.
  std::string reload_tls();

  /// Whether the port speaks TLS.
  bool secure() const;

  /// Stops accepting, closes every session with a close frame, lets the
  /// frames go out, and closes every connection: `grace` bounds it all,
  /// whatever the number of services.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds{500});

  /// Sessions alive across all services (for tests and monitoring). Reads
  /// counters: safe from any thread, an I/O thread too.
  std::size_t session_count() const;

  /// The counters of server_stats; like session_count, from any thread.
  server_stats stats() const;

  /// Whether a load balancer should send requests here: started, not
  /// stopping, and in a cluster, every peer tried once since the start
  /// (until then this node's view of the members may be partial). From any
  /// thread.
  bool ready() const;

  /// This node's cluster actor, for services that talk to their peers on
  /// other nodes (subscribe_atom, publish_atom); invalid without a cluster.
  cluster::node_actor cluster_node() const;

  /// The live cluster members, this node included ("host:port"); empty
  /// without a cluster. Blocks: not for an I/O thread.
  std::vector<std::string> cluster_members();

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

} // namespace sockjs
