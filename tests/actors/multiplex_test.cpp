// Channels multiplexed on one session (websocket-multiplex's protocol).
#define CAF_SUITE multiplex
#include "sockjs/multiplex.hpp"
#include "tests/actors/fixture.hpp"

using namespace sockjs;
using namespace sockjs::test;
using strings = std::vector<std::string>;

namespace {

// Ann greets and nods; Carl says goodbye and closes his channel. Every
// event is logged as "channel:event".
handler_factory ann(std::shared_ptr<strings> log) {
  return callback_service<int>(
      [log](const connection& conn, const event& ev, int n) {
        switch (ev.kind) {
        case event::init:
          log->push_back(conn.channel() + ":init");
          conn.send("Ann says hi!");
          break;
        case event::recv:
          log->push_back(conn.channel() + ":recv " + ev.data);
          conn.send("Ann nods: " + ev.data + " (" + std::to_string(n) + ")");
          break;
        case event::closed:
          log->push_back(conn.channel() + ":closed");
          break;
        case event::info:
          break;
        }
        return n + 1;
      },
      0);
}

handler_factory carl(std::shared_ptr<strings> log) {
  return callback_service<int>(
      [log](const connection& conn, const event& ev, int n) {
        log->push_back(conn.channel() + ":" +
                       (ev.kind == event::init ? "init" : "other"));
        if (ev.kind == event::init) {
          conn.send("Carl says goodbye!");
          conn.close();
        }
        return n;
      },
      0);
}

struct multiplex_fixture : fixture {
  std::shared_ptr<strings> log = std::make_shared<strings>();
  session_actor session;
  std::shared_ptr<probe_log> stream;

  multiplex_fixture() {
    session = make_session(
        config, multiplex_service({{"ann", ann(log)}, {"carl", carl(log)}}));
    stream = attach(session, true);
    stream->frames.clear(); // "o"
  }
};

} // namespace

CAF_TEST(javascript escape as the client names channels) {
  CAF_CHECK_EQUAL(js_escape("ann"), "ann");
  CAF_CHECK_EQUAL(js_escape("A-z_0.9@*+/"), "A-z_0.9@*+/");
  CAF_CHECK_EQUAL(js_escape("a b,c"), "a%20b%2Cc");
  CAF_CHECK_EQUAL(js_escape("é"), "%E9");
  CAF_CHECK_EQUAL(js_escape("€"), "%u20AC");
  CAF_CHECK_EQUAL(js_escape("😀"), "%uD83D%uDE00");
}

CAF_TEST_FIXTURE_SCOPE(multiplex_tests, multiplex_fixture)

CAF_TEST(a subscribed channel gets its own events and state) {
  deliver(session, {"sub,ann"});
  deliver(session, {"msg,ann,hello, world", "msg,ann,again"});
  CAF_CHECK_EQUAL(
      *log, (strings{"ann:init", "ann:recv hello, world", "ann:recv again"}));
  CAF_CHECK_EQUAL(stream->frames,
                  (strings{R"(a["msg,ann,Ann says hi!"])",
                           R"x(a["msg,ann,Ann nods: hello, world (1)"])x",
                           R"x(a["msg,ann,Ann nods: again (2)"])x"}));
}

CAF_TEST(a channel closed by its service says uns) {
  deliver(session, {"sub,carl"});
  CAF_CHECK_EQUAL(
      stream->frames,
      (strings{R"(a["msg,carl,Carl says goodbye!"])", R"(a["uns,carl"])"}));
  CAF_CHECK_EQUAL(*log, (strings{"carl:init", "carl:other"}));
  // Closed: messages for it are dropped; it may be opened again.
  stream->frames.clear();
  deliver(session, {"msg,carl,anyone?"});
  CAF_CHECK(stream->frames.empty());
}

CAF_TEST(unknown channels and messages before sub are ignored) {
  deliver(session, {"sub,nobody", "msg,nobody,x", "msg,ann,too early", "bogus",
                    "uns,ann"});
  CAF_CHECK(stream->frames.empty());
  CAF_CHECK(log->empty());
}

CAF_TEST(uns closes a channel and the session end closes the rest) {
  deliver(session, {"sub,ann", "uns,ann", "msg,ann,gone"});
  CAF_CHECK_EQUAL(*log, (strings{"ann:init", "ann:closed"}));
  log->clear();
  deliver(session, {"sub,ann"});
  caf::anon_send(session, close_atom::value, 1000, std::string{"bye"});
  consume_messages();
  CAF_CHECK_EQUAL(*log, (strings{"ann:init", "ann:closed"}));
}

CAF_TEST_FIXTURE_SCOPE_END()
