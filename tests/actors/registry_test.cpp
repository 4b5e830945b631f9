// Spec §6.1/§6.2: the session table of a service.
#define CAF_SUITE registry
#include "tests/actors/fixture.hpp"

using namespace sockjs;
using namespace sockjs::test;
using strings = std::vector<std::string>;

namespace {

struct registry_fixture : fixture {
  registry_actor registry;
  std::shared_ptr<session_directory> directory =
      std::make_shared<session_directory>();

  registry_fixture() {
    registry =
        spawn_registry(sys, config, recording_echo(events, conn), directory);
    keep(registry);
  }

  session_actor open(const std::string& id) {
    auto session =
        ask<session_actor>(registry, open_atom::value, id, connection_info{});
    keep(session);
    return session;
  }

  caf::error lookup_error(const std::string& id) {
    auto handle =
        self->request(registry, caf::infinite, lookup_atom::value, id);
    consume_messages();
    caf::error result;
    handle.receive([](session_actor&) {},
                   [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  std::size_t count() { return ask<std::size_t>(registry, count_atom::value); }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(registry_tests, registry_fixture)

CAF_TEST(a receiver request creates the session once) {
  auto a = open("abc");
  auto b = open("abc");
  CAF_CHECK(a == b);
  CAF_CHECK(open("other") != a);
  CAF_CHECK_EQUAL(count(), 2u);
}

CAF_TEST(a sender lookup of an unknown id is an error and creates nothing) {
  auto err = lookup_error("nobody");
  CAF_CHECK(err == make_error(registry_error::unknown_session));
  CAF_CHECK_EQUAL(count(), 0u);
}

CAF_TEST(lookup finds an existing session) {
  auto a = open("abc");
  CAF_CHECK(ask<session_actor>(registry, lookup_atom::value,
                               std::string{"abc"}) == a);
}

CAF_TEST(an expired session is forgotten and its id starts afresh) {
  auto a = open("abc");
  auto first = attach(a, false);
  CAF_CHECK_EQUAL(first->frames, strings{"o"});
  wait(config.disconnect_delay);
  CAF_CHECK_EQUAL(count(), 0u);
  CAF_CHECK(lookup_error("abc") == make_error(registry_error::unknown_session));
  auto b = open("abc");
  CAF_CHECK(a != b);
  auto again = attach(b, false);
  CAF_CHECK_EQUAL(again->frames, strings{"o"});
}

CAF_TEST(the directory knows what the registry knows) {
  CAF_CHECK(!directory->find("a"));
  auto a = open("a");
  CAF_CHECK(directory->find("a") == a);
  wait(config.disconnect_delay); // nobody attached: it expired
  CAF_CHECK(!directory->find("a"));
  auto websocket =
      ask<session_actor>(registry, open_atom::value, connection_info{});
  keep(websocket);
  CAF_CHECK_EQUAL(count(), 1u); // websocket sessions are not in the table
}

CAF_TEST(a registry that ends empties its directory) {
  open("a");
  caf::anon_send(registry, shutdown_atom::value);
  consume_messages();
  CAF_CHECK(!directory->find("a"));
}

CAF_TEST(sessions keep their connection info) {
  connection_info info;
  info.peer_address = "127.0.0.1";
  info.path = "/echo/0/abc/xhr";
  info.headers = {{"Host", "example"}};
  auto s =
      ask<session_actor>(registry, open_atom::value, std::string{"abc"}, info);
  keep(s);
  attach(s, false);
  CAF_CHECK_EQUAL(conn->info().peer_address, "127.0.0.1");
  CAF_CHECK_EQUAL(conn->info().path, "/echo/0/abc/xhr");
  CAF_REQUIRE_EQUAL(conn->info().headers.size(), 1u);
  CAF_CHECK_EQUAL(conn->info().headers[0].second, "example");
}

CAF_TEST(registry messages and connection handles serialize) {
  // What crosses nodes must survive a serializer round trip.
  connection_info info;
  info.peer_address = "10.0.0.1";
  info.peer_port = 4242;
  info.headers = {{"Origin", "x"}};
  auto msg = caf::make_message(open_atom::value, std::string{"id"}, info);
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  CAF_REQUIRE(!sink(msg));
  caf::message copy;
  caf::binary_deserializer source{sys, buf};
  CAF_REQUIRE(!source(copy));
  CAF_REQUIRE(copy.match_elements<open_atom, std::string, connection_info>());
  CAF_CHECK_EQUAL(copy.get_as<connection_info>(2).peer_port, 4242u);
  CAF_CHECK_EQUAL(copy.get_as<connection_info>(2).headers.at(0).second, "x");
}

CAF_TEST_FIXTURE_SCOPE_END()
