// Spec §6: one test per session rule, on virtual time.
#define CAF_SUITE session
#include "tests/actors/fixture.hpp"

using namespace sockjs;
using namespace sockjs::test;
using strings = std::vector<std::string>;

CAF_TEST_FIXTURE_SCOPE(session_tests, fixture)

CAF_TEST(the first receiver gets the open frame and the service init) {
  auto s = make_session();
  auto poll = attach(s, false);
  CAF_CHECK_EQUAL(poll->frames, strings{"o"});
  CAF_CHECK(poll->ended);
  CAF_CHECK_EQUAL(*events, strings{"init"});
}

CAF_TEST(the open frame is sent once) {
  auto s = make_session();
  attach(s, false);
  auto second = attach(s, true);
  CAF_CHECK(second->frames.empty()); // waits for data, no second `o`
  app_send(s, "x");
  CAF_CHECK_EQUAL(second->frames, strings{R"(a["x"])"});
  CAF_CHECK_EQUAL(*events, strings{"init"});
}

CAF_TEST(messages queued without a receiver go out as one frame in order) {
  auto s = make_session();
  attach(s, false);
  for (auto m : {"a", "b", "c\"d"}) app_send(s, m);
  auto poll = attach(s, false);
  CAF_CHECK_EQUAL(poll->frames, strings{R"(a["a","b","c\"d"])"});
  CAF_CHECK(poll->ended);
}

CAF_TEST(messages sent while a frame is in flight are batched next) {
  auto s = make_session();
  auto stream = attach(s, true, /*auto_ready=*/false);
  CAF_CHECK_EQUAL(stream->frames, strings{"o"});
  app_send(s, "1");
  app_send(s, "2");
  CAF_CHECK_EQUAL(stream->frames.size(), 1u); // still writing `o`
  // Poke the probe, which forwards ready as the attached receiver.
  caf::anon_send(last_probe, ready_atom::value);
  consume_messages();
  CAF_CHECK_EQUAL(stream->frames, (strings{"o", R"(a["1","2"])"}));
}

CAF_TEST(a streaming receiver gets each message at once) {
  auto s = make_session();
  auto stream = attach(s, true);
  app_send(s, "1");
  app_send(s, "2");
  CAF_CHECK_EQUAL(stream->frames, (strings{"o", R"(a["1"])", R"(a["2"])"}));
  CAF_CHECK(!stream->ended);
}

CAF_TEST(a websocket receiver gets frame_window frames before any is written) {
  auto s = make_session();
  auto ws = attach(s, receiver_kind::websocket, /*auto_ready=*/false);
  strings expected{"o"};
  for (std::uint32_t i = 1; i < frame_window; ++i) {
    app_send(s, std::to_string(i));
    expected.push_back("a[\"" + std::to_string(i) + "\"]");
  }
  CAF_CHECK_EQUAL(ws->frames, expected); // none acknowledged yet
  app_send(s, "x");
  app_send(s, "y");
  CAF_CHECK_EQUAL(ws->frames.size(), frame_window); // the window is full
  // Acknowledging some lets what waited out, as one frame.
  caf::anon_send(last_probe, ready_atom::value, frame_ack_every);
  consume_messages();
  expected.push_back(R"(a["x","y"])");
  CAF_CHECK_EQUAL(ws->frames, expected);
}

CAF_TEST(a websocket receiver is let go once all its frames are written) {
  auto s = make_session();
  auto ws = attach(s, receiver_kind::websocket, /*auto_ready=*/false);
  auto ws_probe = last_probe;
  ws->ack_last = false;
  app_send(s, "x");
  caf::anon_send(s, close_atom::value, 3000, std::string{"Go away!"});
  consume_messages();
  CAF_CHECK_EQUAL(ws->frames,
                  (strings{"o", R"(a["x"])", R"(c[3000,"Go away!"])"}));
  // The close frame went out with two frames unacknowledged: the receiver
  // stays the session's until all three are written, and a newcomer waits.
  auto next = attach(s, false);
  caf::anon_send(ws_probe, ready_atom::value, std::uint32_t{2});
  consume_messages();
  CAF_CHECK(next->frames.empty());
  caf::anon_send(ws_probe, ready_atom::value, std::uint32_t{1});
  consume_messages();
  CAF_CHECK_EQUAL(next->frames, strings{R"(c[3000,"Go away!"])"});
}

CAF_TEST(a second receiver gets 2010 and the first is unaffected) {
  auto s = make_session();
  auto first = attach(s, true);
  auto second = attach(s, false);
  CAF_CHECK_EQUAL(second->frames,
                  strings{R"(c[2010,"Another connection still open"])"});
  CAF_CHECK(second->ended);
  app_send(s, "still here");
  CAF_CHECK_EQUAL(first->frames, (strings{"o", R"(a["still here"])"}));
  CAF_CHECK(!first->ended);
}

CAF_TEST(a second receiver takes over when the first client is gone) {
  auto s = make_session();
  auto first = attach(s, true);
  first->client_alive = false; // its client left; the news is not in yet
  auto second = attach(s, false);
  CAF_CHECK_EQUAL(second->frames,
                  strings{R"(c[1002,"Connection interrupted"])"});
  CAF_CHECK_EQUAL(*events, (strings{"init", "closed"}));
}

CAF_TEST(receivers arriving during a probe all wait for its answer) {
  auto s = make_session();
  auto first = attach(s, true);
  auto log2 = std::make_shared<probe_log>();
  auto log3 = std::make_shared<probe_log>();
  for (auto& log : {log2, log3}) {
    auto probe = sys.spawn(probe_receiver, log, s);
    keep(probe);
    caf::anon_send(s, attach_atom::value,
                   caf::actor_cast<receiver_actor>(probe),
                   receiver_kind::polling);
  }
  consume_messages();
  const auto busy = strings{R"(c[2010,"Another connection still open"])"};
  CAF_CHECK_EQUAL(log2->frames, busy);
  CAF_CHECK_EQUAL(log3->frames, busy);
  CAF_CHECK(!first->ended);
}

CAF_TEST(heartbeat after heartbeat_delay of idleness and not before) {
  auto s = make_session();
  auto stream = attach(s, true);
  wait(config.heartbeat_delay - 1ms);
  CAF_CHECK_EQUAL(stream->frames, strings{"o"});
  wait(1ms);
  CAF_CHECK_EQUAL(stream->frames, (strings{"o", "h"}));
  wait(config.heartbeat_delay);
  CAF_CHECK_EQUAL(stream->frames, (strings{"o", "h", "h"}));
}

CAF_TEST(traffic postpones the heartbeat) {
  auto s = make_session();
  auto stream = attach(s, true);
  wait(20s);
  app_send(s, "x");
  wait(20s); // 40 s after attach, 20 s after the message
  CAF_CHECK_EQUAL(stream->frames, (strings{"o", R"(a["x"])"}));
  wait(5s);
  CAF_CHECK_EQUAL(stream->frames, (strings{"o", R"(a["x"])", "h"}));
}

CAF_TEST(a heartbeat ends a poll) {
  auto s = make_session();
  attach(s, false);
  auto poll = attach(s, false);
  wait(config.heartbeat_delay);
  CAF_CHECK_EQUAL(poll->frames, strings{"h"});
  CAF_CHECK(poll->ended);
}

CAF_TEST(no heartbeat without a receiver) {
  auto s = make_session();
  attach(s, false);
  wait(20s);
  auto poll = attach(s, false);
  // Idle time counts from the attach, not from the last frame.
  wait(12s);
  CAF_CHECK(poll->frames.empty());
}

CAF_TEST(the session expires after disconnect_delay without receiver) {
  auto s = make_session();
  attach(s, false);
  wait(config.disconnect_delay - 1ms);
  CAF_CHECK(alive(s));
  CAF_CHECK_EQUAL(*events, strings{"init"});
  wait(1ms);
  CAF_CHECK(!alive(s));
  CAF_CHECK_EQUAL(*events, (strings{"init", "closed"}));
}

CAF_TEST(a session nobody attaches to expires too) {
  auto s = make_session();
  wait(config.first_attach_timeout - 1ms);
  CAF_CHECK(alive(s));
  wait(1ms);
  CAF_CHECK(!alive(s));
  CAF_CHECK(events->empty()); // it never opened
}

CAF_TEST(an attached receiver keeps the session alive) {
  auto s = make_session();
  auto stream = attach(s, true);
  wait(config.disconnect_delay * 3);
  CAF_CHECK(alive(s));
}

CAF_TEST(the disconnect timer restarts on every detach) {
  auto s = make_session();
  attach(s, false); // detached at t=0
  wait(4s);
  attach(s, false); // waits for data ...
  app_send(s, "x"); // ... and detaches at t=4
  wait(4s);         // t=8: the first timer's tick is stale
  CAF_CHECK(alive(s));
  wait(1s); // t=9 = 4 + 5
  CAF_CHECK(!alive(s));
}

CAF_TEST(application close sends the close frame and ends the receiver) {
  auto s = make_session();
  auto stream = attach(s, true);
  deliver(s, {"close"});
  CAF_CHECK_EQUAL(stream->frames, (strings{"o", R"(c[3000,"Go away!"])"}));
  CAF_CHECK(stream->ended);
  CAF_CHECK_EQUAL(*events, (strings{"init", "recv:close", "closed"}));
}

CAF_TEST(the close frame is replayed to every later receiver) {
  auto s = make_session();
  attach(s, false);
  deliver(s, {"close"});
  for (int i = 0; i < 3; ++i) {
    wait(4s); // each replay restarts the disconnect timer
    auto poll = attach(s, false);
    CAF_CHECK_EQUAL(poll->frames, strings{R"(c[3000,"Go away!"])"});
    CAF_CHECK(poll->ended);
  }
  CAF_CHECK(alive(s));
  wait(config.disconnect_delay);
  CAF_CHECK(!alive(s));
}

CAF_TEST(queued messages go out before the close frame) {
  auto s = make_session();
  attach(s, false);
  app_send(s, "a");
  caf::anon_send(s, close_atom::value, 3000, std::string{"Go away!"});
  consume_messages();
  auto first = attach(s, false);
  auto second = attach(s, false);
  CAF_CHECK_EQUAL(first->frames, strings{R"(a["a"])"});
  CAF_CHECK_EQUAL(second->frames, strings{R"(c[3000,"Go away!"])"});
}

CAF_TEST(sends after close are dropped) {
  auto s = make_session();
  attach(s, false);
  caf::anon_send(s, close_atom::value, 1000, std::string{"Normal closure"});
  consume_messages();
  app_send(s, "late");
  auto poll = attach(s, false);
  CAF_CHECK_EQUAL(poll->frames, strings{R"(c[1000,"Normal closure"])"});
}

CAF_TEST(client messages after close are dropped but acknowledged) {
  auto s = make_session();
  attach(s, false);
  deliver(s, {"close"});
  auto reply = ask<ok_atom>(s, deliver_atom::value, strings{"late"});
  CAF_CHECK(reply == ok_atom::value);
  CAF_CHECK_EQUAL(*events, (strings{"init", "recv:close", "closed"}));
}

CAF_TEST(delivered messages reach the service in order before the reply) {
  auto s = make_session();
  attach(s, false);
  auto reply = ask<ok_atom>(s, deliver_atom::value, strings{"1", "2", "3"});
  CAF_CHECK(reply == ok_atom::value);
  CAF_CHECK_EQUAL(*events, (strings{"init", "recv:1", "recv:2", "recv:3"}));
  auto poll = attach(s, false);
  CAF_CHECK_EQUAL(poll->frames, strings{R"(a["1","2","3"])"});
}

CAF_TEST(delivery before the session opened is dropped) {
  auto s = make_session();
  deliver(s, {"early"});
  CAF_CHECK(events->empty());
}

CAF_TEST(an aborted receiver closes the session with 1002) {
  auto s = make_session();
  auto stream = attach(s, true);
  caf::anon_send_exit(last_probe, caf::exit_reason::user_shutdown);
  consume_messages();
  CAF_CHECK_EQUAL(*events, (strings{"init", "closed"}));
  auto poll = attach(s, false);
  CAF_CHECK_EQUAL(poll->frames, strings{R"(c[1002,"Connection interrupted"])"});
  wait(config.disconnect_delay);
  CAF_CHECK(!alive(s));
}

CAF_TEST(a poll lost before its frame is written closes the session with 1002) {
  auto s = make_session();
  attach(s, false); // o
  app_send(s, "m");
  auto log = std::make_shared<probe_log>();
  log->ack_last = false; // say, on a cluster node that dies now
  auto poll = sys.spawn(probe_receiver, log, s);
  keep(poll);
  caf::anon_send(s, attach_atom::value, caf::actor_cast<receiver_actor>(poll),
                 receiver_kind::polling);
  consume_messages();
  CAF_CHECK_EQUAL(log->frames, strings{R"(a["m"])"});
  app_send(s, "after m"); // would reach the client after a gap
  caf::anon_send_exit(poll, caf::exit_reason::remote_link_unreachable);
  consume_messages();
  CAF_CHECK_EQUAL(*events, (strings{"init", "closed"}));
  auto next = attach(s, false);
  CAF_CHECK_EQUAL(next->frames, strings{R"(c[1002,"Connection interrupted"])"});
}

CAF_TEST(a poll arriving while the last one finishes waits for it) {
  auto s = make_session();
  attach(s, false); // o
  app_send(s, "m");
  auto log = std::make_shared<probe_log>();
  log->ack_last = false;
  auto first = sys.spawn(probe_receiver, log, s);
  keep(first);
  caf::anon_send(s, attach_atom::value, caf::actor_cast<receiver_actor>(first),
                 receiver_kind::polling);
  consume_messages();
  auto second = attach(s, false);
  CAF_CHECK(second->frames.empty());        // neither 2010 nor a probe
  caf::anon_send(first, ready_atom::value); // the first frame is written
  consume_messages();
  app_send(s, "n");
  CAF_CHECK_EQUAL(second->frames, strings{R"(a["n"])"});
  CAF_CHECK_EQUAL(*events, (strings{"init"}));
}

CAF_TEST(a receiver that reached its limit detaches and keeps the session) {
  auto s = make_session();
  auto log = std::make_shared<probe_log>();
  log->limit = 5; // "o" (1) + a["x"] (6) crosses it
  auto probe = sys.spawn(probe_receiver, log, s);
  keep(probe);
  caf::anon_send(s, attach_atom::value, caf::actor_cast<receiver_actor>(probe),
                 receiver_kind::streaming);
  consume_messages();
  app_send(s, "x");
  CAF_CHECK_EQUAL(log->frames, (strings{"o", R"(a["x"])"}));
  CAF_CHECK(log->ended);
  app_send(s, "y"); // queued for the next receiver
  auto next = attach(s, true);
  CAF_CHECK_EQUAL(next->frames, strings{R"(a["y"])"});
  CAF_CHECK_EQUAL(*events, strings{"init"});
}

CAF_TEST(queue overflow closes the session with 1013) {
  auto s = make_session(); // max_queued_bytes 1024
  attach(s, false);
  const std::string chunk(400, 'x'); // 402 bytes quoted, 403 with a comma
  app_send(s, chunk);
  app_send(s, chunk);
  app_send(s, chunk); // would make 1208 bytes
  app_send(s, "later");
  CAF_CHECK_EQUAL(*events, (strings{"init", "closed"}));
  // What was queued is dropped: the client learns why at once.
  auto first = attach(s, false);
  auto second = attach(s, false);
  CAF_CHECK_EQUAL(first->frames,
                  strings{R"(c[1013,"Outgoing queue overflow"])"});
  CAF_CHECK_EQUAL(second->frames,
                  strings{R"(c[1013,"Outgoing queue overflow"])"});
}

CAF_TEST(other messages reach the service as info events) {
  auto s = make_session();
  attach(s, false);
  // Not in session_actor: it goes through an untyped handle, as
  // connection::session() gives it.
  caf::anon_send(caf::actor_cast<caf::actor>(s), std::string{"custom"}, 42);
  consume_messages();
  CAF_CHECK_EQUAL(*events, (strings{"init", "info"}));
}

CAF_TEST(a session with zero disconnect delay waits for its first receiver) {
  auto ws_config = config;
  ws_config.disconnect_delay = 0ms;
  auto s = make_session(ws_config);
  wait(1ms);
  CAF_CHECK(alive(s));
  auto stream = attach(s, true);
  CAF_CHECK_EQUAL(stream->frames, strings{"o"});
  wait(ws_config.first_attach_timeout);
  CAF_CHECK(alive(s)); // attached: no expiry
}

CAF_TEST(a session with zero disconnect delay ends with its receiver) {
  auto ws_config = config;
  ws_config.disconnect_delay = 0ms;
  auto s = make_session(ws_config);
  auto stream = attach(s, true);
  deliver(s, {"close"});
  CAF_CHECK(stream->ended);
  wait(1ms);
  CAF_CHECK(!alive(s));
}

CAF_TEST(shutdown sends 1001 to the attached receiver and ends the session) {
  auto s = make_session();
  auto stream = attach(s, true);
  caf::anon_send(s, shutdown_atom::value);
  consume_messages();
  CAF_CHECK_EQUAL(stream->frames,
                  (strings{"o", R"(c[1001,"Server shutting down"])"}));
  CAF_CHECK(stream->ended);
  CAF_CHECK(!alive(s));
  CAF_CHECK_EQUAL(*events, (strings{"init", "closed"}));
}

CAF_TEST(shutdown waits for a busy receiver and then sends it 1001) {
  auto s = make_session();
  auto log = std::make_shared<probe_log>();
  log->auto_ready = false; // "o" is still being written
  auto probe = sys.spawn(probe_receiver, log, s);
  keep(probe);
  caf::anon_send(s, attach_atom::value, caf::actor_cast<receiver_actor>(probe),
                 receiver_kind::streaming);
  consume_messages();
  caf::anon_send(s, shutdown_atom::value);
  consume_messages();
  CAF_CHECK_EQUAL(log->frames, strings{"o"});
  CAF_CHECK(alive(s));
  caf::anon_send(probe, ready_atom::value); // "o" is out
  consume_messages();
  CAF_CHECK_EQUAL(log->frames,
                  (strings{"o", R"(c[1001,"Server shutting down"])"}));
  CAF_CHECK(log->ended);
  CAF_CHECK(!alive(s));
}

CAF_TEST(shutdown ends a session whose busy receiver goes away) {
  auto s = make_session();
  auto log = std::make_shared<probe_log>();
  log->auto_ready = false;
  auto probe = sys.spawn(probe_receiver, log, s);
  caf::anon_send(s, attach_atom::value, caf::actor_cast<receiver_actor>(probe),
                 receiver_kind::streaming);
  consume_messages();
  caf::anon_send(s, shutdown_atom::value);
  consume_messages();
  caf::anon_send_exit(probe, caf::exit_reason::user_shutdown);
  consume_messages();
  CAF_CHECK(!alive(s));
}

CAF_TEST(a prepared message is sent quoted like a plain one) {
  auto s = make_session();
  auto stream = attach(s, true);
  const prepared_message prepared{"say \"hi\"\n\u2028"};
  conn->send(prepared);
  consume_messages();
  conn->send("say \"hi\"\n\u2028");
  consume_messages();
  const auto framed = R"(a["say \"hi\"\n\u2028"])";
  CAF_CHECK_EQUAL(stream->frames, (strings{"o", framed, framed}));
}

CAF_TEST(pushed messages reach the service and are acknowledged in batches) {
  auto s = make_session();
  attach(s, true);
  auto acks = std::make_shared<std::vector<std::uint32_t>>();
  auto link = sys.spawn([acks](caf::event_based_actor*) -> caf::behavior {
    return {[acks](pushed_atom, std::uint32_t n) { acks->push_back(n); }};
  });
  keep(link);
  for (unsigned i = 0; i < 2 * push_ack_every + 1; ++i)
    caf::send_as(link, s, push_atom::value,
                 std::vector<std::string>{"m" + std::to_string(i)});
  consume_messages();
  CAF_CHECK_EQUAL(events->size(), 1 + 2 * push_ack_every + 1); // init + recvs
  CAF_CHECK_EQUAL(events->at(1), "recv:m0");
  CAF_CHECK_EQUAL(*acks,
                  (std::vector<std::uint32_t>{push_ack_every, push_ack_every}));
  static_assert(push_ack_every <= push_window, "a full window must be acked");
}

CAF_TEST(connection send and close work through the handle) {
  auto s = make_session();
  auto stream = attach(s, true);
  conn->send("via handle");
  consume_messages();
  conn->close();
  consume_messages();
  CAF_CHECK_EQUAL(stream->frames, (strings{"o", R"(a["via handle"])",
                                           R"(c[1000,"Normal closure"])"}));
}

CAF_TEST(a finished session leaves no timer behind) {
  auto s = make_session();
  attach(s, true); // a heartbeat is pending
  deliver(s, {"close"});
  wait(config.disconnect_delay); // ended: its pending timers went too
  CAF_CHECK(!alive(s));
  CAF_CHECK_EQUAL(ask<std::size_t>(config.timers, count_atom::value), 0u);
}

CAF_TEST(a finished session leaves the timers of others alone) {
  auto staying = make_session();
  auto stream = attach(staying, true);
  auto leaving = make_session();
  attach(leaving, true);
  deliver(leaving, {"close"});
  wait(config.disconnect_delay);
  CAF_CHECK(!alive(leaving));
  CAF_CHECK_GREATER(ask<std::size_t>(config.timers, count_atom::value), 0u);
  wait(config.heartbeat_delay);
  CAF_CHECK_EQUAL(stream->frames, (strings{"o", "h"}));
}

CAF_TEST(a finished session leaves no actor behind) {
  const auto baseline = sys.registry().running();
  {
    auto s = make_session();
    attach(s, false);
    deliver(s, {"close"});
    wait(config.disconnect_delay);
    wait(config.heartbeat_delay); // let every stale timer fire
    CAF_CHECK(!alive(s));
  }
  CAF_CHECK_EQUAL(sys.registry().running(), baseline);
}

CAF_TEST_FIXTURE_SCOPE_END()
