// The cluster inside a node (sockjs/cluster.hpp says what a cluster is).
//
// Each process runs one node actor, published on its cluster port. Nodes
// dial each other (full mesh), shake hands (same build and settings, or a
// refusal with a log line), and watch each other: a member is up from a
// good handshake until its node actor goes down (CAF's BASP heartbeats make
// a hung peer count as down after the connection timeout).
//
// Placement: a polling or streaming session is owned by the live member
// that rendezvous hashing picks for its id (placement.hpp). A node that gets
// a request for a session it does not hold asks the owner, which creates the
// session unless some other member already holds it (members can disagree
// for a moment on who is live; a session never moves once it exists). The
// answer is the session actor itself: the request's connection attaches to
// it exactly as to a local one, and the node caches the handle until the
// session ends. Websocket sessions stay with their socket.
//
// Every request to another node has a deadline (a message to a dead node is
// dropped silently in CAF 0.17); requests go only to members known alive.
#pragma once

#include "sockjs/actors/interfaces.hpp"
#include "sockjs/actors/registry.hpp"
#include "sockjs/cluster.hpp"

#include <caf/actor_system.hpp>
#include <caf/error.hpp>
#include <caf/node_id.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace sockjs::cluster {

// Between nodes.
using hello_atom = caf::atom_constant<caf::atom("hello")>;
using owner_open_atom = caf::atom_constant<caf::atom("ownopen")>;
using owner_find_atom = caf::atom_constant<caf::atom("ownfind")>;
using find_atom = caf::atom_constant<caf::atom("find")>;
using topic_atom = caf::atom_constant<caf::atom("topic")>;
// Within a node.
using route_open_atom = caf::atom_constant<caf::atom("routeopen")>;
using route_find_atom = caf::atom_constant<caf::atom("routefind")>;
using join_atom = caf::atom_constant<caf::atom("join")>;
using leave_atom = caf::atom_constant<caf::atom("leave")>;
using dial_atom = caf::atom_constant<caf::atom("dial")>;

/// What two nodes must agree on to share sessions (build, message types,
/// service options, BASP timing): setting name -> value.
using fingerprint = std::map<std::string, std::string>;

/// The node actor: the service-facing node_actor, and
/// between nodes:
///   hello(name, fingerprint) -> our name     handshake; refused on mismatch
///   ownopen(prefix, id, info) -> session     as owner: find anywhere or make
///   ownfind(prefix, id) -> session           as owner: find anywhere
///   find(prefix, id) -> session              sessions living on this node
///   topic(topic, message)                    for this node's subscriber
/// within the node:
///   routeopen / routefind (prefix, id ...)   a transport's miss (a
///                                            locator_actor's open / lookup)
///   join(fingerprint)                        start dialing and answering
///   leave                                    quit (peers see it go down)
///   dial(name)                               (the redial timer)
/// Errors: registry_error::unknown_session, cluster_error, or CAF's
/// request_timeout.
using member_actor = node_actor::extend<
    caf::replies_to<hello_atom, std::string, fingerprint>::with<std::string>,
    caf::replies_to<owner_open_atom, std::string, std::string,
                    connection_info>::with<session_actor>,
    caf::replies_to<owner_find_atom, std::string,
                    std::string>::with<session_actor>,
    caf::replies_to<find_atom, std::string, std::string>::with<session_actor>,
    caf::reacts_to<topic_atom, std::string, caf::message>,
    caf::replies_to<route_open_atom, std::string, std::string,
                    connection_info>::with<session_actor>,
    caf::replies_to<route_find_atom, std::string,
                    std::string>::with<session_actor>,
    caf::reacts_to<join_atom, fingerprint>, caf::reacts_to<leave_atom>,
    caf::reacts_to<dial_atom, std::string>>;

enum class cluster_error : std::uint8_t {
  /// The peer's fingerprint differs (the context names the settings).
  incompatible = 1,
  /// No service under that prefix here.
  unknown_service,
  /// The node has not joined (or has left) its cluster.
  not_joined,
};

caf::error make_error(cluster_error x, std::string detail = {});

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
  registry_actor registry;
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
  /// Set (if given) once the node has joined and tried every peer once:
  /// each is a member, refused us, or did not answer. Before that its view
  /// of the members, and so its placement, may be partial: it is not ready.
  std::shared_ptr<std::atomic<bool>> settled;
};

member_actor spawn_node(caf::actor_system& system, node_settings settings,
                        dialer_actor dialer,
                        std::shared_ptr<const service_table> services);

/// A service's locator for the transports: open and lookup become routeopen
/// and routefind at the node, with the prefix.
locator_actor spawn_service_locator(caf::actor_system& system,
                                    member_actor node, std::string prefix);

/// Splits "host:port"; false when it is not of that form.
bool split_endpoint(std::string_view text, std::string& host,
                    std::uint16_t& port);

} // namespace sockjs::cluster
