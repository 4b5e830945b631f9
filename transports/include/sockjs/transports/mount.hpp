// What the server knows of each mounted service and file. Internal.
#pragma once

#include "sockjs/actors/registry.hpp"
#include "sockjs/protocol/router.hpp"
#include "sockjs/server.hpp"
#include "sockjs/service.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <memory>
#include <string>
#include <vector>

namespace sockjs::transport {

struct service_mount {
  std::string prefix;
  service_options options;
  /// The transports it offers (all but options.disabled_transports).
  protocol::transport_set transports = protocol::all_transports;
  /// Makes websocket sessions (they stay where their socket is).
  registry_actor registry;
  /// Finds or makes sessions by id: the registry, or in a cluster the
  /// node's locator for this service, which asks the session's owner.
  locator_actor locator;
  std::shared_ptr<const session_directory> sessions; // the registry's table
  /// Sessions of this service living on other cluster nodes, as cached by
  /// the cluster node; always empty without a cluster.
  std::shared_ptr<const session_directory> remote_sessions;
  std::string iframe_page; // precomputed: it depends on options only
  std::string iframe_etag;

  /// The session for `id` when this node knows it already, or an invalid
  /// handle (then ask the locator).
  session_actor find_session(const std::string& id) const {
    if (auto session = sessions->find(id)) return session;
    return remote_sessions->find(id);
  }
};

struct file_mount {
  std::string path;
  std::string content_type;
  std::string body;
};

class io_requester;
class connection_registry;

/// Everything a connection needs from the server; immutable once started.
struct server_context {
  caf::actor_system* system = nullptr;
  server_config config;
  std::vector<service_mount> services; // longest prefix first
  std::vector<file_mount> files;
  std::shared_ptr<io_requester> requester;
  std::shared_ptr<connection_registry> connections;

  /// The service whose prefix holds `path`, or nullptr.
  const service_mount* find_service(std::string_view path) const;
  const file_mount* find_file(std::string_view path) const;
};

} // namespace sockjs::transport
