// Which cluster member owns a session: rendezvous (highest random weight)
// hashing of the session id over the names of the live members. Every node
// computes the same answer from the same member list, with no messages, and
// a member joining or leaving moves only the ids it wins or held (about 1/N).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sockjs::cluster {

/// A 64-bit hash that is the same in every build and process (unlike
/// std::hash): placement must agree across nodes.
std::uint64_t stable_hash(std::string_view text);

/// The weight of `member` for `session_id`; the highest weight wins.
std::uint64_t placement_weight(std::string_view member,
                               std::string_view session_id);

/// The index in `members` of the owner of `session_id`; `members` must not
/// be empty. Ties (practically impossible) go to the smaller name, so the
/// order of `members` does not matter.
std::size_t owner_index(std::string_view session_id,
                        const std::vector<std::string>& members);

} // namespace sockjs::cluster
