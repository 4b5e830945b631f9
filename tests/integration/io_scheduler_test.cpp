// io_scheduler: actors run on the I/O threads, an actor woken by another
// runs on the waker's thread, and a server needs the scheduler.
#define CAF_SUITE io_scheduler
#include "sockjs/io_scheduler.hpp"
#include "tests/integration/server_fixture.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <future>
#include <set>
#include <stdexcept>
#include <thread>

using namespace sockjs;
using namespace sockjs::test;

namespace {

using where_atom = caf::atom_constant<caf::atom("where")>;
using thread_id_text = std::string;

thread_id_text this_thread() {
  std::ostringstream out;
  out << std::this_thread::get_id();
  return out.str();
}

caf::behavior reports_its_thread() {
  return {[](where_atom) { return this_thread(); }};
}

// Asks `other` (idle) where it runs, answering with both threads.
caf::behavior asks_another(caf::event_based_actor* self) {
  return {[self](where_atom, caf::actor other) {
    auto rp = self->make_response_promise<thread_id_text, thread_id_text>();
    auto mine = this_thread();
    self->request(other, caf::infinite, where_atom::value)
        .then([rp, mine](const thread_id_text& theirs) mutable {
          rp.deliver(mine, theirs);
        });
    return rp;
  }};
}

struct scheduler_fixture {
  system_config config;
  caf::actor_system system{config};
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(io_scheduler_tests, scheduler_fixture)

CAF_TEST(actors run on the io threads) {
  auto& scheduler = io_scheduler_of(system);
  std::set<thread_id_text> io_threads;
  for (int i = 0; i < 4; ++i) { // every context, in turn
    std::promise<thread_id_text> where;
    boost::asio::post(scheduler.next_context(),
                      [&where] { where.set_value(this_thread()); });
    io_threads.insert(where.get_future().get());
  }
  CAF_CHECK_EQUAL(io_threads.size(), 2u); // scheduler.max-threads
  CAF_CHECK_EQUAL(io_threads.count(this_thread()), 0u);
  caf::scoped_actor self{system};
  auto reporter = system.spawn(reports_its_thread);
  self->request(reporter, std::chrono::seconds{5}, where_atom::value)
      .receive(
          [&](const thread_id_text& where) {
            CAF_CHECK_EQUAL(io_threads.count(where), 1u);
          },
          [](caf::error& err) { CAF_FAIL("no answer: " << to_string(err)); });
}

CAF_TEST(an actor woken by another runs on the same thread) {
  caf::scoped_actor self{system};
  for (int i = 0; i < 20; ++i) {
    auto asker = system.spawn(asks_another);
    auto other = system.spawn(reports_its_thread);
    // Wait until `other` has started and sleeps: only then is it woken.
    self->request(other, std::chrono::seconds{5}, where_atom::value)
        .receive([](const thread_id_text&) {}, [](caf::error&) {});
    std::this_thread::sleep_for(std::chrono::milliseconds{5}); // back asleep
    self->request(asker, std::chrono::seconds{5}, where_atom::value, other)
        .receive(
            [](const thread_id_text& asker_thread,
               const thread_id_text& other_thread) {
              CAF_CHECK_EQUAL(asker_thread, other_thread);
            },
            [](caf::error& err) { CAF_FAIL("no answer: " << to_string(err)); });
  }
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST(a server refuses an actor system without the io scheduler) {
  caf::actor_system_config cfg;
  announce_message_types(cfg);
  caf::actor_system plain{cfg};
  bool refused = false;
  try {
    server srv{plain, test_server_config()};
  } catch (const std::logic_error&) {
    refused = true;
  }
  CAF_CHECK(refused);
}
