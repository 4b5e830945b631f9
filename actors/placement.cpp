#include "sockjs/actors/placement.hpp"

namespace sockjs::cluster {

namespace {

// SplitMix64's finaliser: spreads every input bit over the whole word, so
// that weights of similar names and ids are unrelated.
constexpr std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

} // namespace

std::uint64_t stable_hash(std::string_view text) {
  // FNV-1a, then mixed: FNV alone leaves the high bits weak for short keys.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return mix(h);
}

std::uint64_t placement_weight(std::string_view member,
                               std::string_view session_id) {
  return mix(stable_hash(member) ^ mix(stable_hash(session_id) + 1));
}

std::size_t owner_index(std::string_view session_id,
                        const std::vector<std::string>& members) {
  std::size_t best = 0;
  std::uint64_t best_weight = placement_weight(members[0], session_id);
  for (std::size_t i = 1; i < members.size(); ++i) {
    const auto weight = placement_weight(members[i], session_id);
    if (weight > best_weight ||
        (weight == best_weight && members[i] < members[best])) {
      best = i;
      best_weight = weight;
    }
  }
  return best;
}

} // namespace sockjs::cluster
