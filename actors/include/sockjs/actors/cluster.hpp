// The cluster's machinery inside a node (see sockjs/cluster.hpp for what
// a cluster is): the node actor's settings and the services it routes, the
// dialer it reaches other nodes through, and the service locators that
// hand a transport's misses to the node.
#pragma once

#include "sockjs/actors/registry.hpp"
#include "sockjs/cluster.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/node_id.hpp>
#include <caf/typed_actor.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sockjs::cluster {

/// One line naming every setting on which two nodes differ, and each
/// node's value; empty when they agree.
std::string compare(const std::string& our_name, const fingerprint& ours,
                    const std::string& their_name, const fingerprint& theirs);

/// Opens connections to other nodes: CAF's middleman actor (its `connect`
/// answers the node id and the actor published on that port), or a
/// stand-in in tests.
using dialer_actor = caf::typed_actor<
    caf::replies_to<caf::connect_atom, std::string, std::uint16_t>::with<
        caf::node_id, caf::strong_actor_ptr, std::set<std::string>>>;

/// What a node knows of one service: its registry and the two tables.
struct service_entry {
  caf::actor registry;
  /// Sessions living on this node (written by the registry).
  std::shared_ptr<const session_directory> sessions;
  /// Sessions living on other nodes, cached by the node actor until they end.
  std::shared_ptr<session_directory> remote_sessions;
};

/// The services of a node by prefix. Filled before the node joins, read
/// only afterwards (from any thread).
class service_table {
public:
  void add(std::string prefix, service_entry entry);
  const service_entry* find(const std::string& prefix) const;
  const std::map<std::string, service_entry>& all() const { return services_; }

private:
  std::map<std::string, service_entry> services_;
};

struct node_settings {
  /// host:port where the other nodes dial this one; also its name in
  /// placement, so it must be the same string on every node.
  std::string name;
  /// host:port of the other nodes (this node's own name is skipped).
  std::vector<std::string> peers;
  /// Between two dials of a member that is not up.
  caf::timespan redial_interval = std::chrono::seconds{1};
  /// Deadline of every request to another node.
  caf::timespan request_timeout = std::chrono::seconds{2};
  /// How long an owner waits for the other members' answers before it
  /// creates a session.
  caf::timespan locate_timeout = std::chrono::milliseconds{500};
};

node_actor spawn_node(caf::actor_system& system, node_settings settings,
                      dialer_actor dialer,
                      std::shared_ptr<const service_table> services);

/// A service's locator for the transports, as a registry answers:
///   (open_atom, id, connection_info) -> session   (routeopen at the node)
///   (lookup_atom, id) -> session | unknown_session (routefind at the node)
caf::actor spawn_service_locator(caf::actor_system& system, node_actor node,
                                 std::string prefix);

/// Splits "host:port"; false when it is not of that form.
bool split_endpoint(std::string_view text, std::string& host,
                    std::uint16_t& port);

} // namespace sockjs::cluster
