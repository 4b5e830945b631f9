// A cluster of server processes sharing their sessions: any node serves a
// request for any session, by attaching to the session where it lives.
//
// Each process runs one node actor, published on its cluster port. Nodes
// dial each other (full mesh), shake hands (same build and settings, or a
// refusal with a log line), and watch each other: a member is up from a
// good handshake until its node actor goes down (CAF's BASP heartbeats make
// a hung peer count as down after the connection timeout).
//
// Placement: a polling or streaming session is owned by the live member
// that rendezvous hashing picks for its id (actors/placement.hpp). A node that
// gets a request for a session it does not hold asks the owner, which creates
// the session unless some other member already holds it (members can disagree
// for a moment on who is live; a session never moves once it exists). The
// answer is the session actor itself: the request's connection attaches to
// it exactly as to a local one, and the node caches the handle until the
// session ends. Websocket sessions stay with their socket.
//
// Every request to another node has a deadline (a message to a dead node is
// dropped silently in CAF 0.17); requests go only to members known alive.
//
// Services talk to their peers on the other nodes through the node actor
// (server::cluster_node()): subscribe(topic, actor) here, and
// publish(topic, message) hands `message` to the subscriber of `topic` on
// every other live node, once (the /broadcast test service does this).
#pragma once

#include "sockjs/connection.hpp"

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sockjs::cluster {

// Between nodes:
using hello_atom = caf::atom_constant<caf::atom("hello")>;
using owner_open_atom = caf::atom_constant<caf::atom("ownopen")>;
using owner_find_atom = caf::atom_constant<caf::atom("ownfind")>;
using find_atom = caf::atom_constant<caf::atom("find")>;
using topic_atom = caf::atom_constant<caf::atom("topic")>;
// Within a node:
using route_open_atom = caf::atom_constant<caf::atom("routeopen")>;
using route_find_atom = caf::atom_constant<caf::atom("routefind")>;
using join_atom = caf::atom_constant<caf::atom("join")>;
using leave_atom = caf::atom_constant<caf::atom("leave")>;
using publish_atom = caf::atom_constant<caf::atom("publish")>;
using subscribe_atom = caf::atom_constant<caf::atom("subscribe")>;
using members_atom = caf::atom_constant<caf::atom("members")>;
using dial_atom = caf::atom_constant<caf::atom("dial")>;

/// What two nodes must agree on to share sessions (build, message types,
/// service options, BASP timing): setting name -> value.
using fingerprint = std::map<std::string, std::string>;

/// The node actor. Between nodes:
///   hello(name, fingerprint) -> our name     handshake; refused on mismatch
///   ownopen(prefix, id, info) -> session     as owner: find anywhere or create
///   ownfind(prefix, id) -> session           as owner: find anywhere
///   find(prefix, id) -> session              sessions living on this node
///   topic(topic, message)                    for this node's subscriber
/// Within the node:
///   routeopen / routefind (prefix, id ...)   a transport's miss, see above
///   join(fingerprint)                        start dialing and answering
///   leave                                    quit (peers see it go down)
///   publish(topic, message)                  to `topic` on every member
///   subscribe(topic, actor)                  receive `topic` here
///   members -> names                         live members, this one too
///   dial(name)                               (the redial timer)
/// Sessions come back as plain actor handles; errors are registry_error
/// unknown_session, cluster_error, or CAF's request_timeout.
using node_actor = caf::typed_actor<
    caf::replies_to<hello_atom, std::string, fingerprint>::with<std::string>,
    caf::replies_to<owner_open_atom, std::string, std::string,
                    connection_info>::with<caf::actor>,
    caf::replies_to<owner_find_atom, std::string,
                    std::string>::with<caf::actor>,
    caf::replies_to<find_atom, std::string, std::string>::with<caf::actor>,
    caf::reacts_to<topic_atom, std::string, caf::message>,
    caf::replies_to<route_open_atom, std::string, std::string,
                    connection_info>::with<caf::actor>,
    caf::replies_to<route_find_atom, std::string,
                    std::string>::with<caf::actor>,
    caf::reacts_to<join_atom, fingerprint>, caf::reacts_to<leave_atom>,
    caf::reacts_to<publish_atom, std::string, caf::message>,
    caf::reacts_to<subscribe_atom, std::string, caf::actor>,
    caf::replies_to<members_atom>::with<std::vector<std::string>>,
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

} // namespace sockjs::cluster
