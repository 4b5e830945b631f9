#include "actors/timers.hpp"

#include "actors/atoms.hpp"

#include <caf/all.hpp>

#include <map>
#include <optional>

namespace sockjs {

namespace {

using wake_atom = caf::atom_constant<caf::atom("wake")>;
using time_point = caf::actor_clock::time_point;

struct timer_state {
  static inline const char* name = "sockjs.timers";
  std::multimap<time_point, std::pair<caf::actor_addr, caf::atom_value>> due;
  std::optional<time_point> next_wake; // of the one pending self-timeout
};

using timer_actor = caf::stateful_actor<timer_state>;

// Makes sure a wake-up comes no later than the earliest entry.
void schedule(timer_actor* self) {
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

caf::behavior timer_service(timer_actor* self) {
  return {
      [self](arm_atom, caf::timespan delay, caf::atom_value tag) {
        auto owner = caf::actor_cast<caf::actor_addr>(self->current_sender());
        self->state.due.emplace(self->clock().now() + delay,
                                std::make_pair(std::move(owner), tag));
        schedule(self);
      },
      [self](disarm_atom, const caf::actor_addr& owner) {
        auto& due = self->state.due;
        for (auto i = due.begin(); i != due.end();)
          i = i->second.first == owner ? due.erase(i) : std::next(i);
      },
      [self](wake_atom) {
        auto& st = self->state;
        const auto now = self->clock().now();
        if (st.next_wake && *st.next_wake <= now) st.next_wake.reset();
        while (!st.due.empty() && st.due.begin()->first <= now) {
          auto [owner, tag] = st.due.begin()->second;
          st.due.erase(st.due.begin());
          if (auto target = caf::actor_cast<caf::actor>(owner))
            self->send(target, caf::make_message(tag));
        }
        schedule(self);
      },
      [self](count_atom) { return self->state.due.size(); },
  };
}

} // namespace

caf::actor spawn_timer_service(caf::actor_system& system) {
  return system.spawn(timer_service);
}

} // namespace sockjs
