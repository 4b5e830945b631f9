// companion: a mailbox-less actor that answers requests through its
// behaviour, tells its monitors when it quits, reports the end of what it
// monitors, and bounces what comes after it has quit.
#define CAF_SUITE companion
#include "sockjs/transports/companion.hpp"
#include "tests/integration/server_fixture.hpp"

#include <atomic>

using namespace sockjs;
using namespace sockjs::test;
using transport::companion;
using transport::companion_of;
using transport::spawn_companion;

namespace {

using ask_atom = caf::atom_constant<caf::atom("ask")>;

struct companion_fixture {
  system_config config;
  caf::actor_system system{config};
  caf::scoped_actor self{system};
  std::atomic<int> downs{0};
  // Activates each message in the sending thread: enough for a test, where
  // nothing else touches the companion.
  caf::strong_actor_ptr subject =
      spawn_companion(system, [this](caf::mailbox_element_ptr element) {
        companion_of(subject)->activate(*element);
      });

  companion_fixture() {
    companion_of(subject)->become({
        [](ask_atom, int x) { return x + 1; },
        [this](caf::down_msg&) { ++downs; },
    });
  }

  ~companion_fixture() { companion_of(subject)->quit(); }

  caf::actor handle() const { return caf::actor_cast<caf::actor>(subject); }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(companion_tests, companion_fixture)

CAF_TEST(a request is answered by the behaviour) {
  self->request(handle(), std::chrono::seconds{5}, ask_atom::value, 41)
      .receive([](int x) { CAF_CHECK_EQUAL(x, 42); },
               [](caf::error& err) { CAF_FAIL(to_string(err)); });
}

CAF_TEST(a request no handler takes gets an error) {
  self->request(handle(), std::chrono::seconds{5}, ask_atom::value, "41")
      .receive([](int) { CAF_FAIL("answered"); },
               [](caf::error& err) {
                 CAF_CHECK_EQUAL(err, caf::sec::unexpected_message);
               });
}

CAF_TEST(after quit monitors see it down and requests bounce) {
  self->monitor(handle());
  companion_of(subject)->quit();
  bool down = false;
  self->receive([&](caf::down_msg& msg) {
    down = msg.source == subject->get()->address();
  });
  CAF_CHECK(down);
  self->request(handle(), std::chrono::seconds{5}, ask_atom::value, 1)
      .receive([](int) { CAF_FAIL("answered after quit"); },
               [](caf::error& err) {
                 CAF_CHECK_EQUAL(err, caf::sec::request_receiver_down);
               });
}

CAF_TEST(the end of a monitored actor comes through the behaviour) {
  auto watched = system.spawn([] { return caf::behavior{[](int) {}}; });
  auto unwatched = system.spawn([] { return caf::behavior{[](int) {}}; });
  // A dying actor tells its monitors latest first, each in its own thread:
  // once ours (the earlier) has come, the companion has had its own.
  self->monitor(watched);
  self->monitor(unwatched);
  companion_of(subject)->monitor(watched.address());
  companion_of(subject)->monitor(unwatched.address());
  companion_of(subject)->demonitor(unwatched.address());
  self->send_exit(watched, caf::exit_reason::kill);
  self->send_exit(unwatched, caf::exit_reason::kill);
  for (int i = 0; i < 2; ++i) self->receive([](caf::down_msg&) {});
  CAF_CHECK_EQUAL(downs.load(), 1);
}

CAF_TEST(it is a fraction of a scheduled actor) {
  // Why it exists: CAF's actor_companion is over 1 KB, for every link.
  CAF_CHECK_LESS(sizeof(companion), 256u);
}

CAF_TEST_FIXTURE_SCOPE_END()
