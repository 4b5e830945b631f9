#include "sockjs/actors/cluster.hpp"

#include "sockjs/actors/interfaces.hpp"
#include "sockjs/actors/log.hpp"
#include "sockjs/actors/placement.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>

namespace sockjs::cluster {

std::string compare(const std::string& our_name, const fingerprint& ours,
                    const std::string& their_name, const fingerprint& theirs) {
  std::string out;
  auto value = [](const fingerprint& print, const std::string& key) {
    auto i = print.find(key);
    return i == print.end() ? std::string{"nothing"} : '"' + i->second + '"';
  };
  auto keys = ours;
  keys.insert(theirs.begin(), theirs.end());
  for (const auto& [key, ignored] : keys) {
    const auto a = value(ours, key);
    const auto b = value(theirs, key);
    if (a == b) continue;
    if (!out.empty()) out += "; ";
    out +=
        key + ": " + our_name + " has " + a + ", " + their_name + " has " + b;
  }
  return out;
}

caf::error make_error(cluster_error x, std::string detail) {
  return {static_cast<std::uint8_t>(x), caf::atom("cluster"),
          caf::make_message(std::move(detail))};
}

void service_table::add(std::string prefix, service_entry entry) {
  services_[std::move(prefix)] = std::move(entry);
}

const service_entry* service_table::find(const std::string& prefix) const {
  auto i = services_.find(prefix);
  return i == services_.end() ? nullptr : &i->second;
}

bool split_endpoint(std::string_view text, std::string& host,
                    std::uint16_t& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const auto digits = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] =
      std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size() || value == 0 ||
      value > 65535)
    return false;
  host = std::string{text.substr(0, colon)};
  port = static_cast<std::uint16_t>(value);
  return true;
}

namespace {

using session_key = std::pair<std::string, std::string>; // prefix, id
using session_promise = caf::typed_response_promise<session_actor>;

bool is(const caf::error& err, cluster_error code) {
  return err.category() == caf::atom("cluster") &&
         err.code() == static_cast<std::uint8_t>(code);
}

// An owner looking for a session on the other members before creating it.
struct locate_job {
  std::uint64_t generation = 0;
  std::vector<session_promise> waiting;
  std::size_t answers_due = 0;
  std::optional<connection_info> create_with; // set: create when not found
};

// What this node knows of another that it dials (configured or learned).
struct peer {
  bool dialing = false;
  std::string known_as; // the name it gave in its handshake
  // Why it refused us, and why we refused it: each logged once until it
  // changes.
  std::string refused_us;
  std::string we_refused;
};

struct node_state;
using node_pointer = member_actor::stateful_pointer<node_state>;

struct node_state {
  static inline const char* name = "sockjs.cluster.node";

  explicit node_state(node_pointer self) : self(self) {}

  node_pointer self;
  node_settings settings;
  dialer_actor dialer;
  std::shared_ptr<const service_table> services;
  fingerprint print;
  bool joined = false;
  std::set<std::string> untried; // peers not yet tried since the join
  std::map<std::string, member_actor> members; // live, this node excluded
  std::vector<std::string> live;               // names for placement
  std::map<std::string, peer> peers;
  std::map<std::string, caf::actor> subscribers;
  std::unordered_map<caf::actor_addr, session_key> cached;
  std::map<session_key, locate_job> locating;
  std::uint64_t next_generation = 1;

  // -- membership -------------------------------------------------------------

  void update_live() {
    live.clear();
    live.push_back(settings.name);
    for (const auto& [name, handle] : members) live.push_back(name);
  }

  bool is_member(const std::string& name) const {
    return members.count(name) > 0;
  }

  // A peer has been tried once since the join (whatever the outcome).
  void tried(const std::string& name) {
    if (untried.erase(name) > 0 && untried.empty()) settle();
  }

  void settle() {
    if (settings.settled) settings.settled->store(true);
    log::info("cluster: every peer tried once; ", live.size(), " members");
  }

  void dial(const std::string& name) {
    if (!joined) return;
    auto& p = peers[name];
    if (is_member(name) || is_member(p.known_as)) return tried(name);
    if (p.dialing) return;
    std::string host;
    std::uint16_t port = 0;
    if (!split_endpoint(name, host, port)) {
      log::error("cluster: peer '", name, "' is not host:port; not dialing");
      return;
    }
    p.dialing = true;
    self->request(dialer, settings.request_timeout, caf::connect_atom::value,
                  host, port)
        .then(
            [this, name](caf::node_id&, caf::strong_actor_ptr& ptr,
                         std::set<std::string>&) {
              if (ptr.get() == self->ctrl()) { // our own endpoint, listed
                peers.erase(name);
                return tried(name);
              }
              if (!ptr) return dial_failed(name, "nothing published there");
              shake_hands(name, caf::actor_cast<member_actor>(ptr));
            },
            [this, name](caf::error& err) {
              dial_failed(name, self->system().render(err));
            });
  }

  void shake_hands(const std::string& name, member_actor peer_node) {
    self->request(peer_node, settings.request_timeout, hello_atom::value,
                  settings.name, print)
        .then(
            [this, name, peer_node](std::string& their_name) {
              auto& p = peers[name];
              p.dialing = false;
              p.known_as = their_name;
              p.refused_us.clear();
              member_up(their_name, peer_node);
              tried(name);
            },
            [this, name](caf::error& err) {
              std::string why = self->system().render(err);
              if (err.category() == caf::atom("cluster") &&
                  err.context().match_elements<std::string>())
                why = err.context().get_as<std::string>(0);
              auto& p = peers[name];
              if (is(err, cluster_error::incompatible) && p.refused_us != why) {
                p.refused_us = why;
                log::error("cluster: ", name, " refuses this node: ", why);
              }
              dial_failed(name, why);
            });
  }

  void dial_failed(const std::string& name, const std::string& why) {
    auto i = peers.find(name);
    if (i == peers.end()) return;
    i->second.dialing = false;
    tried(name);
    log::debug("cluster: dialing ", name, " failed: ", why);
    redial_later(name);
  }

  void redial_later(const std::string& name) {
    self->delayed_send(self, settings.redial_interval, dial_atom::value, name);
  }

  void member_up(const std::string& name, const member_actor& handle) {
    if (name == settings.name) {
      log::error("cluster: another node calls itself ", name,
                 " as this one does; names must be unique");
      return;
    }
    if (auto i = members.find(name); i != members.end()) {
      if (i->second == handle) return;
      member_down(name, "restarted");
    }
    members.emplace(name, handle);
    self->monitor(handle);
    update_live();
    peers[name]; // dialed again should it go away
    log::info("cluster: member ", name, " up; ", live.size(), " members");
  }

  // `name` is a copy: callers may pass the key of the entry erased here.
  void member_down(std::string name, const std::string& why) {
    auto i = members.find(name);
    if (i == members.end()) return;
    self->demonitor(i->second.address());
    members.erase(i);
    update_live();
    log::info("cluster: member ", name, " down (", why, "); ", live.size(),
              " members");
    redial_later(name);
  }

  void on_down(const caf::down_msg& down) {
    for (const auto& [name, handle] : members)
      if (handle.address() == down.source) {
        member_down(name,
                    down.reason.code() == static_cast<std::uint8_t>(
                                              caf::exit_reason::user_shutdown)
                        ? "left"
                        : "unreachable");
        return;
      }
    if (auto i = cached.find(down.source); i != cached.end()) {
      if (auto* svc = services->find(i->second.first))
        svc->remote_sessions->erase(i->second.second);
      cached.erase(i);
    }
  }

  caf::result<std::string> hello(const std::string& name,
                                 const fingerprint& theirs) {
    if (!joined) return make_error(cluster_error::not_joined);
    if (auto diff = compare(settings.name, print, name, theirs);
        !diff.empty()) {
      auto& p = peers[name];
      if (p.we_refused != diff) {
        p.we_refused = diff;
        log::error("cluster: refusing ", name, ": ", diff);
      }
      return make_error(cluster_error::incompatible, diff);
    }
    auto peer_node = caf::actor_cast<member_actor>(self->current_sender());
    if (!peer_node) return make_error(cluster_error::not_joined);
    peers[name].known_as = name;
    member_up(name, peer_node);
    return settings.name;
  }

  // -- sessions ---------------------------------------------------------------

  const std::string& owner_of(const std::string& id) const {
    return live[owner_index(id, live)];
  }

  // A transport found no session for `key` on this node: the owner finds
  // or makes it (with `info`), or this node is the owner.
  session_promise route(session_key key, std::optional<connection_info> info) {
    auto rp = self->make_response_promise<session_actor>();
    const auto* svc = services->find(key.first);
    session_actor known;
    if (svc && !(known = svc->sessions->find(key.second)))
      known = svc->remote_sessions->find(key.second);
    if (!svc) {
      rp.deliver(make_error(cluster_error::unknown_service));
    } else if (known) {
      rp.deliver(known);
    } else if (const auto& owner = owner_of(key.second);
               owner == settings.name) {
      locate(key, std::move(info), rp);
    } else {
      auto on_session = [this, key, rp](session_actor& session) mutable {
        cache(key, session);
        rp.deliver(session);
      };
      auto on_error = [rp](caf::error& err) mutable { rp.deliver(err); };
      const auto& owner_node = members.at(owner);
      if (info)
        self->request(owner_node, settings.request_timeout,
                      owner_open_atom::value, key.first, key.second, *info)
            .then(on_session, on_error);
      else
        self->request(owner_node, settings.request_timeout,
                      owner_find_atom::value, key.first, key.second)
            .then(on_session, on_error);
    }
    return rp;
  }

  // Remembers a session living elsewhere until it ends.
  void cache(const session_key& key, const session_actor& session) {
    const auto* svc = services->find(key.first);
    if (!session || !svc || svc->sessions->find(key.second) == session ||
        cached.count(session.address()) > 0)
      return;
    self->monitor(session);
    cached.emplace(session.address(), key);
    svc->remote_sessions->insert(key.second, session);
  }

  // As the owner: the session wherever it lives, or (with `info`) a new one
  // here once no other member has it.
  void locate(const session_key& key, std::optional<connection_info> info,
              session_promise rp) {
    const auto* svc = services->find(key.first);
    if (!svc)
      return void(rp.deliver(make_error(cluster_error::unknown_service)));
    if (auto session = svc->sessions->find(key.second))
      return void(rp.deliver(session));
    auto& job = locating[key];
    job.waiting.push_back(std::move(rp));
    if (info && !job.create_with) job.create_with = std::move(info);
    if (job.waiting.size() > 1) return; // already looking
    job.generation = next_generation++;
    job.answers_due = members.size();
    if (job.answers_due == 0) return not_found_elsewhere(key);
    for (const auto& [name, member] : members)
      self->request(member, settings.locate_timeout, find_atom::value,
                    key.first, key.second)
          .then(
              [this, key, gen = job.generation](session_actor& session) {
                if (auto* j = job_of(key, gen)) resolve(key, *j, session);
              },
              [this, key, gen = job.generation](caf::error&) {
                if (auto* j = job_of(key, gen); j && --j->answers_due == 0)
                  not_found_elsewhere(key);
              });
  }

  locate_job* job_of(const session_key& key, std::uint64_t generation) {
    auto i = locating.find(key);
    return i != locating.end() && i->second.generation == generation
               ? &i->second
               : nullptr;
  }

  void not_found_elsewhere(const session_key& key) {
    auto& job = locating[key];
    const auto* svc = services->find(key.first);
    if (!job.create_with || !svc) {
      resolve(key, job, make_error(registry_error::unknown_session));
      return;
    }
    // The registry finds it should it have been made here meanwhile.
    self->request(svc->registry, caf::infinite, open_atom::value, key.second,
                  *job.create_with)
        .then(
            [this, key, gen = job.generation](session_actor& session) {
              if (auto* j = job_of(key, gen)) resolve(key, *j, session);
            },
            [this, key, gen = job.generation](caf::error& err) {
              if (auto* j = job_of(key, gen)) resolve(key, *j, err);
            });
  }

  template <class Result>
  void resolve(const session_key& key, locate_job& job, const Result& result) {
    auto waiting = std::move(job.waiting);
    locating.erase(key);
    for (auto& rp : waiting) rp.deliver(result);
  }

  caf::result<session_actor> find_here(const std::string& prefix,
                                       const std::string& id) {
    const auto* svc = services->find(prefix);
    if (!svc) return make_error(cluster_error::unknown_service);
    if (auto session = svc->sessions->find(id)) return session;
    return make_error(registry_error::unknown_session);
  }
};

member_actor::behavior_type
node_behavior(node_pointer self, node_settings settings, dialer_actor dialer,
              std::shared_ptr<const service_table> services) {
  auto& st = self->state;
  st.settings = std::move(settings);
  st.dialer = std::move(dialer);
  st.services = std::move(services);
  st.update_live();
  self->set_down_handler(
      [self](caf::down_msg& down) { self->state.on_down(down); });
  return {
      [self](hello_atom, const std::string& name,
             const fingerprint& theirs) -> caf::result<std::string> {
        return self->state.hello(name, theirs);
      },
      [self](owner_open_atom, std::string& prefix, std::string& id,
             connection_info& info) {
        auto rp = self->make_response_promise<session_actor>();
        self->state.locate({std::move(prefix), std::move(id)}, std::move(info),
                           rp);
        return rp;
      },
      [self](owner_find_atom, std::string& prefix, std::string& id) {
        auto rp = self->make_response_promise<session_actor>();
        self->state.locate({std::move(prefix), std::move(id)}, std::nullopt,
                           rp);
        return rp;
      },
      [self](find_atom, const std::string& prefix,
             const std::string& id) -> caf::result<session_actor> {
        return self->state.find_here(prefix, id);
      },
      [self](topic_atom, const std::string& topic, caf::message& content) {
        auto& subs = self->state.subscribers;
        if (auto i = subs.find(topic); i != subs.end())
          caf::anon_send(i->second, std::move(content));
      },
      [self](route_open_atom, std::string& prefix, std::string& id,
             connection_info& info) {
        return self->state.route({std::move(prefix), std::move(id)},
                                 std::move(info));
      },
      [self](route_find_atom, std::string& prefix, std::string& id) {
        return self->state.route({std::move(prefix), std::move(id)},
                                 std::nullopt);
      },
      [self](join_atom, fingerprint& print) {
        auto& st = self->state;
        st.print = std::move(print);
        st.joined = true;
        for (const auto& name : st.settings.peers)
          if (name != st.settings.name) st.untried.insert(name);
        if (st.untried.empty()) st.settle();
        const auto to_dial = st.untried; // dial() may strike names off
        for (const auto& name : to_dial) st.dial(name);
      },
      [self](leave_atom) { self->quit(caf::exit_reason::user_shutdown); },
      [self](publish_atom, const std::string& topic,
             const caf::message& content) {
        for (const auto& [name, member] : self->state.members)
          self->send(member, topic_atom::value, topic, content);
      },
      [self](subscribe_atom, std::string& topic, caf::actor& subscriber) {
        self->state.subscribers[std::move(topic)] = std::move(subscriber);
      },
      [self](members_atom) { return self->state.live; },
      [self](dial_atom, const std::string& name) { self->state.dial(name); },
  };
}

} // namespace

member_actor spawn_node(caf::actor_system& system, node_settings settings,
                        dialer_actor dialer,
                        std::shared_ptr<const service_table> services) {
  return system.spawn(node_behavior, std::move(settings), std::move(dialer),
                      std::move(services));
}

locator_actor spawn_service_locator(caf::actor_system& system,
                                    member_actor node, std::string prefix) {
  return system.spawn(
      [node,
       prefix](locator_actor::pointer self) -> locator_actor::behavior_type {
        return {
            [self, node, prefix](open_atom, std::string& id,
                                 connection_info& info) {
              return self->delegate(node, route_open_atom::value, prefix,
                                    std::move(id), std::move(info));
            },
            [self, node, prefix](lookup_atom, std::string& id) {
              return self->delegate(node, route_find_atom::value, prefix,
                                    std::move(id));
            },
        };
      });
}

} // namespace sockjs::cluster
