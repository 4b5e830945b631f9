// Spec §2: URL layout, 404 versus 405 with Allow, id validation.
#define CAF_SUITE router
#include "sockjs/protocol/router.hpp"

#include <caf/test/unit_test.hpp>

#include <string>

using namespace sockjs::protocol;

namespace {

route_match get(std::string_view target,
                transport_set enabled = all_transports) {
  return match_route("/echo", enabled, "GET", target);
}

route_match post(std::string_view target) {
  return match_route("/echo", all_transports, "POST", target);
}

bool found(const route_match& m, action a) {
  return m.status == route_status::found && m.entry->action == a;
}

bool not_found(const route_match& m) {
  return m.status == route_status::not_found;
}

} // namespace

CAF_TEST(greeting at the prefix with or without slash) {
  CAF_CHECK(found(get("/echo"), action::greeting));
  CAF_CHECK(found(get("/echo/"), action::greeting));
  CAF_CHECK(found(get("/echo?x=1"), action::greeting));
}

CAF_TEST(base url 404 list) {
  for (auto path : {"/echo/a", "/echo/a.html", "/echo//", "/echo///",
                    "/echo/a/a", "/echo/a/a/", "/echo/a/"})
    CAF_CHECK(not_found(get(path)));
}

CAF_TEST(iframe page variants) {
  for (auto path :
       {"/echo/iframe.html", "/echo/iframe-a.html", "/echo/iframe-.html",
        "/echo/iframe-0.1.2.html", "/echo/iframe-0.1.2abc-dirty.2144.html",
        "/echo/iframe.html?t=1234"})
    CAF_CHECK(found(get(path), action::iframe_page));
}

CAF_TEST(invalid iframe names are 404) {
  for (auto path : {"/echo/iframe.htm", "/echo/iframe", "/echo/IFRAME.HTML",
                    "/echo/IFRAME", "/echo/iframe.HTML", "/echo/iframe.xml",
                    "/echo/iframe-/.html", "/echo/iframeA.html"})
    CAF_CHECK(not_found(get(path)));
}

CAF_TEST(info answers get and options) {
  CAF_CHECK(found(get("/echo/info"), action::info));
  CAF_CHECK(found(match_route("/echo", all_transports, "OPTIONS", "/echo/info"),
                  action::preflight));
}

CAF_TEST(wrong method is 405 with the allowed methods) {
  auto m = match_route("/echo", all_transports, "DELETE", "/echo/info");
  CAF_CHECK(m.status == route_status::method_not_allowed);
  CAF_CHECK_EQUAL(m.allow, "GET, OPTIONS");
  m = get("/echo/0/0/xhr");
  CAF_CHECK(m.status == route_status::method_not_allowed);
  CAF_CHECK_EQUAL(m.allow, "POST, OPTIONS");
  m = post("/echo/0/0/websocket");
  CAF_CHECK(m.status == route_status::method_not_allowed);
  CAF_CHECK_EQUAL(m.allow, "GET");
  m = post("/echo");
  CAF_CHECK(m.status == route_status::method_not_allowed);
  CAF_CHECK_EQUAL(m.allow, "GET");
}

CAF_TEST(a preflight gets the methods of its path) {
  auto m =
      match_route("/echo", all_transports, "OPTIONS", "/echo/0/0/xhr_send");
  CAF_REQUIRE(m.status == route_status::found);
  CAF_CHECK_EQUAL(m.allow, "POST, OPTIONS");
  m = match_route("/echo", all_transports, "OPTIONS", "/echo/info");
  CAF_CHECK_EQUAL(m.allow, "GET, OPTIONS");
}

CAF_TEST(every session transport is routed with its method) {
  CAF_CHECK(found(get("/echo/0/0/websocket"), action::websocket));
  CAF_CHECK(found(post("/echo/0/0/xhr"), action::xhr));
  CAF_CHECK(found(post("/echo/0/0/xhr_send"), action::xhr_send));
  CAF_CHECK(found(post("/echo/0/0/xhr_streaming"), action::xhr_streaming));
  CAF_CHECK(found(get("/echo/0/0/eventsource"), action::eventsource));
  CAF_CHECK(found(get("/echo/0/0/htmlfile?c=x"), action::htmlfile));
  CAF_CHECK(found(get("/echo/0/0/jsonp?c=x"), action::jsonp));
  CAF_CHECK(found(post("/echo/0/0/jsonp_send"), action::jsonp_send));
  CAF_CHECK(found(get("/echo/websocket"), action::raw_websocket));
  for (auto t :
       {"/echo/0/0/xhr", "/echo/0/0/xhr_send", "/echo/0/0/xhr_streaming"})
    CAF_CHECK(found(match_route("/echo", all_transports, "OPTIONS", t),
                    action::preflight));
}

CAF_TEST(unknown transport is 404) {
  CAF_CHECK(not_found(post("/echo/0/0/foo")));
  CAF_CHECK(not_found(post("/echo/0/0/0/xhr")));
}

CAF_TEST(invalid session and server ids are 404 for get and post) {
  for (auto path : {"/echo///xhr", "/echo/a./a/xhr", "/echo/a/a./xhr",
                    "/echo/././xhr", "/echo//xhr", "/echo////xhr"}) {
    CAF_CHECK(not_found(get(path)));
    CAF_CHECK(not_found(post(path)));
  }
}

CAF_TEST(any id of allowed characters is accepted raw) {
  for (auto id : {"a", "_", "1", "abcdefg_i-j%20"}) {
    const auto target = "/echo/000/" + std::string{id} + "/xhr";
    auto m = post(target);
    CAF_REQUIRE(found(m, action::xhr));
    CAF_CHECK_EQUAL(std::string{m.session_id}, id);
  }
}

CAF_TEST(server id is captured apart from the session id) {
  auto m = post("/echo/999/abc/xhr_send?x=y");
  CAF_REQUIRE(found(m, action::xhr_send));
  CAF_CHECK_EQUAL(std::string{m.server_id}, "999");
  CAF_CHECK_EQUAL(std::string{m.session_id}, "abc");
  CAF_CHECK_EQUAL(std::string{m.query}, "x=y");
}

CAF_TEST(one trailing slash is tolerated on every route) {
  CAF_CHECK(found(get("/echo/info/"), action::info));
  CAF_CHECK(found(post("/echo/0/0/xhr/"), action::xhr));
  CAF_CHECK(not_found(post("/echo/0/0/xhr//")));
}

CAF_TEST(disabled websocket routes are 404 with cacheable headers) {
  auto m = get("/echo/0/0/websocket", all_transports & ~websocket);
  CAF_CHECK(not_found(m));
  CAF_CHECK_EQUAL(m.filters, static_cast<header_filters>(cacheable));
  CAF_CHECK(not_found(get("/echo/websocket", all_transports & ~websocket)));
  CAF_CHECK(not_found(match_route("/echo", all_transports & ~websocket, "POST",
                                  "/echo/0/0/websocket")));
  CAF_CHECK(found(post("/echo/0/0/xhr"), action::xhr));
}

CAF_TEST(transports are known by the names sockjs - client uses) {
  CAF_CHECK_EQUAL(transport_named("websocket"), websocket);
  CAF_CHECK_EQUAL(transport_named("xhr-streaming"), xhr_streaming);
  CAF_CHECK_EQUAL(transport_named("xhr-polling"), xhr_polling);
  CAF_CHECK_EQUAL(transport_named("eventsource"), eventsource);
  CAF_CHECK_EQUAL(transport_named("htmlfile"), htmlfile);
  CAF_CHECK_EQUAL(transport_named("jsonp-polling"), jsonp_polling);
  CAF_CHECK_EQUAL(transport_named("xhr"), 0u);
  CAF_CHECK_EQUAL(transport_named("WebSocket"), 0u);
}

CAF_TEST(receiver routes name their transport) {
  CAF_CHECK_EQUAL(transport_name(action::websocket), "websocket");
  CAF_CHECK_EQUAL(transport_name(action::raw_websocket), "websocket-raw");
  CAF_CHECK_EQUAL(transport_name(action::xhr), "xhr-polling");
  CAF_CHECK_EQUAL(transport_name(action::xhr_streaming), "xhr-streaming");
  CAF_CHECK_EQUAL(transport_name(action::eventsource), "eventsource");
  CAF_CHECK_EQUAL(transport_name(action::htmlfile), "htmlfile");
  CAF_CHECK_EQUAL(transport_name(action::jsonp), "jsonp-polling");
  CAF_CHECK_EQUAL(transport_name(action::xhr_send), "");
}

CAF_TEST(a disabled transport takes its routes and no other) {
  auto route = [](transport_set enabled, std::string_view method,
                  std::string_view target) {
    return match_route("/echo", enabled, method, target);
  };
  const auto no_polling = all_transports & ~xhr_polling;
  CAF_CHECK(not_found(route(no_polling, "POST", "/echo/0/0/xhr")));
  CAF_CHECK(not_found(route(no_polling, "OPTIONS", "/echo/0/0/xhr")));
  // xhr-streaming sends through xhr_send too.
  CAF_CHECK(
      found(route(no_polling, "POST", "/echo/0/0/xhr_send"), action::xhr_send));
  CAF_CHECK(found(route(no_polling, "POST", "/echo/0/0/xhr_streaming"),
                  action::xhr_streaming));
  const auto no_xhr = no_polling & ~xhr_streaming;
  CAF_CHECK(not_found(route(no_xhr, "POST", "/echo/0/0/xhr_send")));
  const auto no_jsonp = all_transports & ~jsonp_polling;
  CAF_CHECK(not_found(route(no_jsonp, "GET", "/echo/0/0/jsonp?c=x")));
  CAF_CHECK(not_found(route(no_jsonp, "POST", "/echo/0/0/jsonp_send")));
  CAF_CHECK(not_found(
      route(all_transports & ~eventsource, "GET", "/echo/0/0/eventsource")));
  CAF_CHECK(not_found(
      route(all_transports & ~htmlfile, "GET", "/echo/0/0/htmlfile?c=x")));
  // What every service serves stays; the iframe page has its own bit.
  CAF_CHECK(found(route(0, "GET", "/echo/info"), action::info));
  CAF_CHECK(found(route(0, "GET", "/echo"), action::greeting));
  CAF_CHECK(not_found(route(0, "GET", "/echo/iframe.html")));
  CAF_CHECK(
      found(route(iframe, "GET", "/echo/iframe.html"), action::iframe_page));
  CAF_CHECK_EQUAL(transport_named("iframe"), iframe);
}

CAF_TEST(prefix must end at a segment boundary) {
  CAF_CHECK(under_prefix("/echo", "/echo"));
  CAF_CHECK(under_prefix("/echo", "/echo/info"));
  CAF_CHECK(!under_prefix("/echo", "/echoes"));
  CAF_CHECK(!under_prefix("/echo", "/ech"));
  CAF_CHECK(not_found(get("/echoes/info")));
  CAF_CHECK(under_prefix("", "/anything"));
}

CAF_TEST(multi segment prefixes) {
  auto m =
      match_route("/a/b/echo", all_transports, "POST", "/a/b/echo/1/2/xhr");
  CAF_REQUIRE(found(m, action::xhr));
  CAF_CHECK_EQUAL(std::string{m.session_id}, "2");
}

CAF_TEST(methods are case sensitive) {
  CAF_CHECK(match_route("/echo", all_transports, "get", "/echo").status ==
            route_status::method_not_allowed);
}

CAF_TEST(route table filters follow the spec) {
  // §3.1-§3.4: preflights are cacheable with CORS; transports that carry
  // session data are no-cache and set the cookie; static pages never do.
  for (const auto& r : routes) {
    if (r.action == action::preflight)
      CAF_CHECK_EQUAL(r.filters, cacheable | cors | jsessionid);
    if (r.action == action::greeting || r.action == action::iframe_page ||
        r.action == action::info || r.action == action::websocket ||
        r.action == action::raw_websocket)
      CAF_CHECK_EQUAL(r.filters & jsessionid, 0u);
    if (r.pattern.substr(0, 5) == "/S/I/" && r.action != action::preflight &&
        r.action != action::websocket)
      CAF_CHECK_EQUAL(r.filters & (no_cache | jsessionid),
                      no_cache | jsessionid);
  }
}
