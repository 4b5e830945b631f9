#include "sockjs/actors/timers.hpp"

#include "sockjs/actors/interfaces.hpp"

#include <caf/all.hpp>

#include <map>
#include <optional>
#include <unordered_map>

namespace sockjs {

namespace {

using time_point = caf::actor_clock::time_point;

struct timer_state {
  using due_map =
      std::multimap<time_point, std::pair<caf::actor_addr, caf::atom_value>>;
  static inline const char* name = "sockjs.timers";
  due_map due;
  // The entries of each owner, so that an ending session's go at once and
  // not in a scan of every session's.
  std::unordered_multimap<caf::actor_addr, due_map::iterator> by_owner;
  std::optional<time_point> next_wake; // of the one pending self-timeout

  void forget(due_map::iterator entry) {
    auto [first, last] = by_owner.equal_range(entry->second.first);
    for (auto i = first; i != last; ++i)
      if (i->second == entry) {
        by_owner.erase(i);
        break;
      }
    due.erase(entry);
  }
};

using timer_pointer = timer_actor::stateful_pointer<timer_state>;

// Makes sure a wake-up comes no later than the earliest entry.
void schedule(timer_pointer self) {
  auto& st = self->state;
  if (st.due.empty()) return;
  const auto first = st.due.begin()->first;
  if (st.next_wake && *st.next_wake <= first) return;
  st.next_wake = first;
  const auto now = self->clock().now();
  self->delayed_send(
      self, first > now ? caf::timespan{first - now} : caf::timespan{0},
      wake_atom::value);
}

timer_actor::behavior_type timer_service(timer_pointer self) {
  return {
      [self](arm_atom, caf::timespan delay, caf::atom_value tag) {
        auto& st = self->state;
        auto owner = caf::actor_cast<caf::actor_addr>(self->current_sender());
        auto entry = st.due.emplace(self->clock().now() + delay,
                                    std::make_pair(owner, tag));
        st.by_owner.emplace(std::move(owner), entry);
        schedule(self);
      },
      [self](disarm_atom, const caf::actor_addr& owner) {
        auto& st = self->state;
        auto [first, last] = st.by_owner.equal_range(owner);
        for (auto i = first; i != last; ++i) st.due.erase(i->second);
        st.by_owner.erase(first, last);
      },
      [self](wake_atom) {
        auto& st = self->state;
        const auto now = self->clock().now();
        if (st.next_wake && *st.next_wake <= now) st.next_wake.reset();
        while (!st.due.empty() && st.due.begin()->first <= now) {
          auto [owner, tag] = st.due.begin()->second;
          st.forget(st.due.begin());
          if (auto target = caf::actor_cast<caf::actor>(owner))
            caf::anon_send(target, tag);
        }
        schedule(self);
      },
      [self](count_atom) -> std::size_t { return self->state.due.size(); },
  };
}

} // namespace

timer_actor spawn_timer_service(caf::actor_system& system) {
  return system.spawn(timer_service);
}

} // namespace sockjs
