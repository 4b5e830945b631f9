// A cluster: several server processes that share their sessions, so that a
// load balancer may send any request of any session to any of them
// (server_config::cluster; README, "Running a cluster").
//
// A service talks to its peers on the other nodes through this node's
// actor, server::cluster_node():
//   subscribe(topic, actor)     `actor` gets what the others publish on
//                               `topic`
//   publish(topic, message)     `message` goes to the subscriber of
//                               `topic` on every other live node, once
//   members -> names            the live members, this node included
// The /broadcast test service fans out its messages this way.
#pragma once

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/message.hpp>
#include <caf/typed_actor.hpp>

#include <string>
#include <vector>

namespace sockjs::cluster {

/// (publish_atom, topic, message): to every other node's subscriber.
using publish_atom = caf::atom_constant<caf::atom("publish")>;
/// (subscribe_atom, topic, actor): `actor` gets `topic` from now on.
using subscribe_atom = caf::atom_constant<caf::atom("subscribe")>;
/// (members_atom) -> names: the live members.
using members_atom = caf::atom_constant<caf::atom("members")>;

/// This node of a cluster, as services see it.
using node_actor = caf::typed_actor<
    caf::reacts_to<publish_atom, std::string, caf::message>,
    caf::reacts_to<subscribe_atom, std::string, caf::actor>,
    caf::replies_to<members_atom>::with<std::vector<std::string>>>;

} // namespace sockjs::cluster
