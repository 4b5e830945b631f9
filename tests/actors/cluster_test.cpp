// Cluster membership and session routing on virtual time: several node
// actors in one actor system, a stand-in dialer for CAF's middleman.
#define CAF_SUITE cluster
#include "sockjs/actors/cluster.hpp"
#include "sockjs/actors/placement.hpp"
#include "tests/actors/fixture.hpp"

#include <algorithm>
#include <map>

using namespace sockjs;
using namespace sockjs::test;
using namespace sockjs::cluster;
using strings = std::vector<std::string>;

namespace {

// Which node answers at which "host:port"; a missing entry refuses; a
// silent one (listed in `silent`) never answers.
using switchboard = std::map<std::string, caf::strong_actor_ptr>;
using silent_set = std::set<std::string>;

dialer_actor::behavior_type fake_dialer(dialer_actor::pointer,
                                        std::shared_ptr<switchboard> board,
                                        std::shared_ptr<silent_set> silent) {
  return {
      [board, silent](caf::connect_atom, const std::string& host,
                      std::uint16_t port)
          -> caf::result<caf::node_id, caf::strong_actor_ptr,
                         std::set<std::string>> {
        const auto name = host + ":" + std::to_string(port);
        if (silent->count(name) > 0)
          return caf::delegated<caf::node_id, caf::strong_actor_ptr,
                                std::set<std::string>>{};
        auto i = board->find(name);
        if (i == board->end() || !i->second)
          return caf::make_error(caf::sec::cannot_connect_to_node);
        return {caf::node_id{}, i->second, std::set<std::string>{}};
      },
  };
}

struct test_node {
  std::string name;
  member_actor node;
  std::shared_ptr<std::atomic<bool>> settled;
  registry_actor registry;
  std::shared_ptr<session_directory> sessions;
  std::shared_ptr<session_directory> remote;
};

struct cluster_fixture : fixture {
  std::shared_ptr<switchboard> board = std::make_shared<switchboard>();
  std::shared_ptr<silent_set> silent = std::make_shared<silent_set>();
  dialer_actor dialer;
  strings names{"n1:1", "n2:2", "n3:3"};
  std::map<std::string, test_node> nodes;
  fingerprint print{{"version", "1"}};

  cluster_fixture() {
    dialer = sys.spawn(fake_dialer, board, silent);
    keep(caf::actor_cast<caf::actor>(dialer));
  }

  ~cluster_fixture() override {
    for (auto& [name, n] : nodes) end_node(n);
    consume_messages();
  }

  // A node's process ends: its node actor, registry and sessions go.
  void end_node(const test_node& n) {
    caf::anon_send_exit(n.node, caf::exit_reason::kill);
    if (n.registry) caf::anon_send(n.registry, shutdown_atom::value);
  }

  /// Starts a node that dials `peers`.
  test_node& start(const std::string& name, fingerprint fp, strings peers) {
    test_node n;
    n.name = name;
    n.sessions = std::make_shared<session_directory>();
    n.remote = std::make_shared<session_directory>();
    n.registry =
        spawn_registry(sys, config, recording_echo(events, conn), n.sessions);
    keep(n.registry);
    auto table = std::make_shared<service_table>();
    table->add("/echo", {n.registry, n.sessions, n.remote});
    node_settings settings;
    settings.name = name;
    settings.peers = std::move(peers);
    n.settled = std::make_shared<std::atomic<bool>>(false);
    settings.settled = n.settled;
    n.node = spawn_node(sys, settings, dialer, table);
    (*board)[name] = caf::actor_cast<caf::strong_actor_ptr>(n.node);
    caf::anon_send(n.node, join_atom::value, std::move(fp));
    consume_messages();
    return nodes[name] = std::move(n);
  }

  test_node& start(const std::string& name, fingerprint fp) {
    return start(name, std::move(fp), names);
  }

  test_node& start(const std::string& name) { return start(name, print); }

  /// Starts a node that lists no peers: only others may dial it.
  test_node& start_alone(const std::string& name) {
    return start(name, print, {});
  }

  void stop(const std::string& name) {
    end_node(nodes.at(name));
    board->erase(name);
    nodes.erase(name);
    consume_messages();
  }

  strings members(const std::string& name) {
    auto live = ask<strings>(nodes.at(name).node, members_atom::value);
    std::sort(live.begin(), live.end());
    return live;
  }

  caf::expected<session_actor> route(const std::string& at,
                                     const std::string& id, bool create) {
    const auto& node = nodes.at(at).node;
    caf::expected<session_actor> result{session_actor{}};
    auto on_session = [&](session_actor& session) { result = session; };
    auto on_error = [&](caf::error& err) { result = err; };
    if (create) {
      auto handle = self->request(node, caf::infinite, route_open_atom::value,
                                  std::string{"/echo"}, id, connection_info{});
      consume_messages();
      handle.receive(on_session, on_error);
    } else {
      auto handle = self->request(node, caf::infinite, route_find_atom::value,
                                  std::string{"/echo"}, id);
      consume_messages();
      handle.receive(on_session, on_error);
    }
    return result;
  }

  /// An id owned by `owner` when `live` are the members.
  std::string id_owned_by(const std::string& owner, const strings& live) {
    for (int i = 0;; ++i) {
      auto id = "id" + std::to_string(i);
      if (live[owner_index(id, live)] == owner) return id;
    }
  }

  /// Where a session lives: the node whose own table has it.
  std::string home_of(const std::string& id) {
    for (auto& [name, n] : nodes)
      if (n.sessions->find(id)) return name;
    return "nowhere";
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(cluster_tests, cluster_fixture)

CAF_TEST(fingerprints are compared setting by setting) {
  CAF_CHECK_EQUAL(compare("a:1", {{"x", "1"}}, "b:2", {{"x", "1"}}), "");
  CAF_CHECK_EQUAL(
      compare("a:1", {{"x", "1"}, {"y", "2"}}, "b:2", {{"x", "3"}, {"z", "4"}}),
      "x: a:1 has \"1\", b:2 has \"3\"; "
      "y: a:1 has \"2\", b:2 has nothing; "
      "z: a:1 has nothing, b:2 has \"4\"");
}

CAF_TEST(endpoints are host colon port) {
  std::string host;
  std::uint16_t port = 0;
  CAF_CHECK(split_endpoint("127.0.0.1:7001", host, port));
  CAF_CHECK_EQUAL(host, "127.0.0.1");
  CAF_CHECK_EQUAL(port, 7001);
  CAF_CHECK(split_endpoint("[::1]:80", host, port) && host == "[::1]");
  for (auto bad : {"7001", ":7001", "h:", "h:0", "h:65536", "h:7x"})
    CAF_CHECK(!split_endpoint(bad, host, port));
}

CAF_TEST(nodes form a full mesh whatever the start order) {
  start("n3:3");
  CAF_CHECK_EQUAL(members("n3:3"), strings{"n3:3"});
  start("n1:1");
  start("n2:2");
  for (auto& name : names) CAF_CHECK_EQUAL(members(name), names);
}

CAF_TEST(a node that is down is dialed again every second) {
  start("n1:1");
  wait(std::chrono::seconds{3}); // n2 and n3 refuse: n1 keeps trying
  CAF_CHECK_EQUAL(members("n1:1"), strings{"n1:1"});
  start_alone("n2:2"); // only n1 dials
  CAF_CHECK_EQUAL(members("n1:1"), strings{"n1:1"});
  wait(std::chrono::seconds{1});
  CAF_CHECK_EQUAL(members("n1:1"), (strings{"n1:1", "n2:2"}));
  // n2 learnt n1 from its handshake.
  CAF_CHECK_EQUAL(members("n2:2"), (strings{"n1:1", "n2:2"}));
}

CAF_TEST(a node has joined once it has tried every peer) {
  silent->insert("n3:3"); // its dial waits for the request timeout
  start_alone("n2:2");
  CAF_CHECK(nodes.at("n2:2").settled->load()); // no peers: at once
  start("n1:1");
  CAF_CHECK_EQUAL(members("n1:1"), (strings{"n1:1", "n2:2"}));
  CAF_CHECK(!nodes.at("n1:1").settled->load()); // n3 not heard of yet
  wait(std::chrono::seconds{2});
  CAF_CHECK(nodes.at("n1:1").settled->load());
  CAF_CHECK_EQUAL(members("n1:1"), (strings{"n1:1", "n2:2"}));
}

CAF_TEST(a member that goes down leaves the others and rejoins on restart) {
  for (auto& name : names) start(name);
  stop("n2:2");
  CAF_CHECK_EQUAL(members("n1:1"), (strings{"n1:1", "n3:3"}));
  CAF_CHECK_EQUAL(members("n3:3"), (strings{"n1:1", "n3:3"}));
  wait(std::chrono::seconds{2}); // redials fail
  CAF_CHECK_EQUAL(members("n1:1"), (strings{"n1:1", "n3:3"}));
  // Restarted under the same name, it dials the others itself.
  start("n2:2");
  for (auto& name : names) CAF_CHECK_EQUAL(members(name), names);
}

CAF_TEST(the others find a restarted member without its help) {
  for (auto& name : names) start(name);
  stop("n2:2");
  start_alone("n2:2"); // the others' redial must find it
  CAF_CHECK_EQUAL(members("n1:1"), (strings{"n1:1", "n3:3"}));
  wait(std::chrono::seconds{1});
  for (auto& name : names) CAF_CHECK_EQUAL(members(name), names);
}

CAF_TEST(a node with other settings is refused) {
  start("n1:1");
  start("n2:2", fingerprint{{"version", "2"}});
  wait(std::chrono::seconds{2});
  CAF_CHECK_EQUAL(members("n1:1"), strings{"n1:1"});
  CAF_CHECK_EQUAL(members("n2:2"), strings{"n2:2"});
}

CAF_TEST(a session is made at its owner and found from every node) {
  for (auto& name : names) start(name);
  for (auto& owner : names) {
    auto id = id_owned_by(owner, names);
    for (auto& at : names) {
      auto session = route(at, id, true);
      CAF_REQUIRE(session);
      CAF_CHECK_EQUAL(home_of(id), owner);
      CAF_CHECK(*session == nodes[owner].sessions->find(id));
      // A node that routed to another caches the handle.
      if (at != owner) CAF_CHECK(nodes[at].remote->find(id) == *session);
    }
  }
}

CAF_TEST(a sender lookup of an unknown id creates nothing) {
  for (auto& name : names) start(name);
  auto id = id_owned_by("n2:2", names);
  auto result = route("n1:1", id, false);
  CAF_CHECK(!result);
  CAF_CHECK(result.error() == make_error(registry_error::unknown_session));
  CAF_CHECK_EQUAL(home_of(id), "nowhere");
}

CAF_TEST(a session keeps its home when its owner changes) {
  start("n1:1");
  start("n3:3");
  // Made by n1 while n2 is away, though n2 owns it among all three.
  const strings two{"n1:1", "n3:3"};
  std::string id;
  for (int i = 0;; ++i) {
    id = "moved" + std::to_string(i);
    if (two[owner_index(id, two)] == "n1:1" &&
        names[owner_index(id, names)] == "n2:2")
      break;
  }
  auto made = route("n3:3", id, true);
  CAF_REQUIRE(made);
  CAF_CHECK_EQUAL(home_of(id), "n1:1");
  start("n2:2");
  // n2, now its owner, misses and asks the others instead of creating.
  auto found = route("n2:2", id, true);
  CAF_REQUIRE(found);
  CAF_CHECK(*found == *made);
  CAF_CHECK_EQUAL(home_of(id), "n1:1");
  auto looked_up = route("n3:3", id, false);
  CAF_REQUIRE(looked_up);
  CAF_CHECK(*looked_up == *made);
}

CAF_TEST(a cached session is forgotten when it ends) {
  for (auto& name : names) start(name);
  auto id = id_owned_by("n2:2", names);
  auto session = route("n1:1", id, true);
  CAF_REQUIRE(session);
  CAF_CHECK(nodes["n1:1"].remote->find(id) == *session);
  caf::anon_send_exit(*session, caf::exit_reason::kill);
  consume_messages();
  CAF_CHECK(!nodes["n1:1"].remote->find(id));
  CAF_CHECK(!nodes["n2:2"].sessions->find(id));
}

CAF_TEST(the sessions of a member that went down are not found) {
  for (auto& name : names) start(name);
  auto id = id_owned_by("n2:2", names);
  CAF_REQUIRE(route("n1:1", id, true));
  stop("n2:2");
  auto found = route("n1:1", id, false);
  CAF_CHECK(!found);
}

CAF_TEST(topics reach the subscriber of every other member once) {
  for (auto& name : names) start(name);
  auto got = std::make_shared<strings>();
  for (auto& name : names) {
    auto sub = sys.spawn([got, name](caf::event_based_actor*) -> caf::behavior {
      return {[got, name](const std::string& text) {
        got->push_back(name + ":" + text);
      }};
    });
    keep(sub);
    caf::anon_send(nodes[name].node, subscribe_atom::value, std::string{"news"},
                   sub);
  }
  caf::anon_send(nodes["n1:1"].node, publish_atom::value, std::string{"news"},
                 caf::make_message(std::string{"hi"}));
  consume_messages();
  std::sort(got->begin(), got->end());
  CAF_CHECK_EQUAL(*got, (strings{"n2:2:hi", "n3:3:hi"}));
}

CAF_TEST_FIXTURE_SCOPE_END()
