// The service API: callback style and actor style, and option validation.
#define CAF_SUITE service
#include "tests/actors/fixture.hpp"

using namespace sockjs;
using namespace sockjs::test;
using strings = std::vector<std::string>;

CAF_TEST_FIXTURE_SCOPE(service_tests, fixture)

CAF_TEST(callback state is threaded through the events of one session) {
  auto counts = std::make_shared<std::vector<int>>();
  auto factory = callback_service<int>(
      [counts](const connection&, const event& ev, int n) {
        if (ev.kind == event::recv) counts->push_back(n);
        return n + 1;
      },
      100);
  auto s = spawn_session(sys, config, factory,
                         std::make_shared<const connection_info>());
  keep(s);
  attach(s, false);
  deliver(s, {"a", "b"});
  // init made it 101; each recv sees the state the previous event returned
  CAF_CHECK_EQUAL(*counts, (std::vector<int>{101, 102}));
}

CAF_TEST(actor style service echoes and sees closed) {
  auto seen = std::make_shared<strings>();
  auto factory = actor_service(
      [seen](caf::event_based_actor*, connection conn) -> caf::behavior {
        seen->push_back("open");
        return {
            [=](recv_atom, const std::string& data) {
              seen->push_back("recv:" + data);
              conn.send(data);
              if (data == "bye") conn.close(3000, "Go away!");
            },
            [=](closed_atom) { seen->push_back("closed"); },
        };
      });
  auto s = spawn_session(sys, config, factory,
                         std::make_shared<const connection_info>());
  keep(s);
  auto stream = attach(s, true);
  deliver(s, {"hi"});
  CAF_CHECK_EQUAL(stream->frames, (strings{"o", R"(a["hi"])"}));
  const auto running = sys.registry().running();
  deliver(s, {"bye"});
  CAF_CHECK_EQUAL(stream->frames, (strings{"o", R"(a["hi"])", R"(a["bye"])",
                                           R"(c[3000,"Go away!"])"}));
  CAF_CHECK_EQUAL(*seen, (strings{"open", "recv:hi", "recv:bye", "closed"}));
  // The service's actor quit after `closed`; the probe ended too.
  CAF_CHECK_EQUAL(sys.registry().running(), running - 2);
}

CAF_TEST(a callback that throws closes its session with 1011 only) {
  auto factory = callback_service<int>(
      [](const connection& conn, const event& ev, int n) {
        if (ev.kind == event::recv && ev.data == "boom")
          throw std::runtime_error("boom");
        if (ev.kind == event::recv) conn.send(ev.data);
        return n;
      },
      0);
  auto failing = spawn_session(sys, config, factory,
                               std::make_shared<const connection_info>());
  auto healthy = spawn_session(sys, config, factory,
                               std::make_shared<const connection_info>());
  keep(failing);
  keep(healthy);
  auto stream = attach(failing, true);
  auto other = attach(healthy, true);
  deliver(failing, {"boom", "after"});
  CAF_CHECK_EQUAL(stream->frames,
                  (strings{"o", R"(c[1011,"Internal server error"])"}));
  CAF_CHECK(stream->ended);
  CAF_CHECK(!detail::inside_a_service()); // nothing points at it any more
  // Later receivers get the close frame; the other session carries on.
  auto poll = attach(failing, false);
  CAF_CHECK_EQUAL(poll->frames,
                  (strings{R"(c[1011,"Internal server error"])"}));
  deliver(healthy, {"still"});
  CAF_CHECK_EQUAL(other->frames, (strings{"o", R"(a["still"])"}));
}

CAF_TEST(an actor service that throws closes its session with 1011) {
  auto factory = actor_service(
      [](caf::event_based_actor*, connection conn) -> caf::behavior {
        return {[=](recv_atom, const std::string& data) {
          if (data == "boom") throw std::runtime_error("boom");
          conn.send(data);
        }};
      });
  auto s = spawn_session(sys, config, factory,
                         std::make_shared<const connection_info>());
  keep(s);
  auto stream = attach(s, true);
  deliver(s, {"hi"});
  deliver(s, {"boom"});
  CAF_CHECK_EQUAL(
      stream->frames,
      (strings{"o", R"(a["hi"])", R"(c[1011,"Internal server error"])"}));
  CAF_CHECK(alive(s)); // closing, not dead: it ends after disconnect_delay
}

CAF_TEST(default options are valid) {
  CAF_CHECK_EQUAL(validate(service_options{}), "");
}

CAF_TEST(bad options are named) {
  service_options o;
  o.sockjs_url = "javascript:alert(1)";
  CAF_CHECK_NOT_EQUAL(validate(o).find("sockjs_url"), std::string::npos);
  o = {};
  o.response_limit = 0;
  CAF_CHECK_NOT_EQUAL(validate(o).find("response_limit"), std::string::npos);
  o = {};
  o.heartbeat_delay = std::chrono::milliseconds{0};
  CAF_CHECK_NOT_EQUAL(validate(o).find("heartbeat_delay"), std::string::npos);
  o = {};
  o.disconnect_delay = std::chrono::milliseconds{-1};
  CAF_CHECK_NOT_EQUAL(validate(o).find("disconnect_delay"), std::string::npos);
  o = {};
  o.max_queued_bytes = 0;
  CAF_CHECK_NOT_EQUAL(validate(o).find("max_queued_bytes"), std::string::npos);
  for (const char* origin : {"example.com", "https://example.com/", "https://",
                             "https://*.example.com", "*://x"}) {
    o = {};
    o.allowed_origins = {"https://ok.example", origin};
    CAF_CHECK_NOT_EQUAL(validate(o).find("allowed_origins"), std::string::npos);
  }
  o = {};
  o.allowed_origins = {"*", "https://ok.example:8443", "http://[::1]:80"};
  CAF_CHECK_EQUAL(validate(o), "");
}

CAF_TEST(session config follows the options) {
  service_options o;
  o.heartbeat_delay = std::chrono::milliseconds{100};
  o.disconnect_delay = std::chrono::milliseconds{200};
  o.max_queued_bytes = 300;
  auto c = make_session_config(o);
  CAF_CHECK_EQUAL(c.heartbeat_delay.count(), 100);
  CAF_CHECK_EQUAL(c.disconnect_delay.count(), 200);
  CAF_CHECK_EQUAL(c.max_queued_bytes, 300u);
}

CAF_TEST_FIXTURE_SCOPE_END()
