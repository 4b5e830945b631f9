// What the server knows of each mounted service and file. Internal.
#pragma once

#include "actors/registry.hpp"
#include "actors/service.hpp"
#include "transports/server.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <memory>
#include <string>
#include <vector>

namespace sockjs::transport {

struct service_mount {
  std::string prefix;
  service_options options;
  caf::actor registry;
  std::shared_ptr<const session_directory> sessions; // the registry's table
  std::string iframe_page; // precomputed: it depends on options only
  std::string iframe_etag;
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
