// The operators' endpoint: health and readiness as load balancers probe
// them, and /metrics figures that move with the traffic they count.
#define CAF_SUITE operations
#include "sockjs/admin.hpp"
#include "tests/integration/server_fixture.hpp"

#include <map>
#include <optional>
#include <sstream>

using namespace sockjs;
using namespace sockjs::test;

namespace {

// Samples of the text exposition format, by name and labels as written:
// `name{labels}` -> value. Comments must be HELP or TYPE lines.
std::map<std::string, double> parse_samples(const std::string& text) {
  std::map<std::string, double> samples;
  std::istringstream in{text};
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0)
      continue;
    const auto space = line.rfind(' ');
    CAF_REQUIRE(space != std::string::npos && line[0] != '#');
    samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return samples;
}

struct admin_fixture : server_fixture {
  admin_fixture() : admin(srv, admin_config{}) { admin_port = admin.start(); }

  response admin_get(const std::string& path) {
    return http(admin_port, "GET", path);
  }

  std::map<std::string, double> scrape() {
    auto res = admin_get("/metrics");
    CAF_REQUIRE_EQUAL(res.status, 200);
    CAF_CHECK_EQUAL(res.header("Content-Type").value_or(""),
                    "text/plain; version=0.0.4; charset=utf-8");
    return parse_samples(res.body);
  }

  /// One sample of a fresh scrape (a copy: the scrape is gone after).
  double sample(const std::string& name) {
    const auto samples = scrape();
    const auto i = samples.find(name);
    CAF_REQUIRE(i != samples.end());
    return i->second;
  }

  admin_endpoint admin;
  std::uint16_t admin_port = 0;
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(operations_tests, admin_fixture)

CAF_TEST(
    healthz and readyz answer while serving and readyz fails once stopping) {
  auto health = admin_get("/healthz");
  CAF_CHECK_EQUAL(health.status, 200);
  CAF_CHECK_EQUAL(health.body, "ok\n");
  CAF_CHECK_EQUAL(admin_get("/readyz").status, 200);
  CAF_CHECK_EQUAL(sample("sockjs_ready"), 1.0);
  srv.stop(std::chrono::milliseconds{200});
  CAF_CHECK_EQUAL(admin_get("/readyz").status, 503);
  CAF_CHECK_EQUAL(admin_get("/healthz").status, 200);
  CAF_CHECK_EQUAL(sample("sockjs_ready"), 0.0);
}

CAF_TEST(the endpoint answers only its three paths and only to GET or HEAD) {
  CAF_CHECK_EQUAL(admin_get("/").status, 404);
  CAF_CHECK_EQUAL(admin_get("/echo/info").status, 404);
  auto post = http(admin_port, "POST", "/metrics", {}, "x");
  CAF_CHECK_EQUAL(post.status, 405);
  CAF_CHECK_EQUAL(post.header("Allow").value_or(""), "GET, HEAD");
  tcp_client head{admin_port};
  head.send_request("HEAD", "/healthz");
  auto res = head.read_head();
  CAF_CHECK_EQUAL(res.status, 200);
  CAF_CHECK_EQUAL(res.header("Content-Length").value_or(""), "3");
  CAF_CHECK(head.closed_within()); // no body after the head of a HEAD
}

CAF_TEST(metrics move with sessions messages responses and close codes) {
  auto before = scrape();
  // One xhr-polling session echoing one 5-byte message.
  const auto url = session_url();
  CAF_REQUIRE_EQUAL(post(url + "/xhr").body, "o\n");
  CAF_REQUIRE_EQUAL(post(url + "/xhr_send", "[\"hello\"]").status, 204);
  CAF_REQUIRE_EQUAL(post(url + "/xhr").body, "a[\"hello\"]\n");
  // One session of /close: closed by its service with 3000.
  CAF_REQUIRE_EQUAL(post(session_url("/close") + "/xhr").body, "o\n");
  CAF_CHECK_EQUAL(get("/no-such-page").status, 404);
  std::map<std::string, double> after;
  auto moved = [&](const std::string& sample) {
    return after[sample] - before[sample];
  };
  // /close closes right after its client got "o": that may take a moment.
  CAF_CHECK(eventually([&] {
    after = scrape();
    return moved("sockjs_sessions_closed_total{code=\"application\"}") == 1;
  }));
  CAF_CHECK_EQUAL(moved("sockjs_sessions_opened_total"), 2.0);
  CAF_CHECK_EQUAL(moved("sockjs_messages_received_total"), 1.0);
  CAF_CHECK_EQUAL(moved("sockjs_messages_sent_total"), 1.0);
  CAF_CHECK_EQUAL(moved("sockjs_message_bytes_received_total"), 5.0);
  CAF_CHECK_EQUAL(moved("sockjs_message_bytes_sent_total"), 5.0);
  // The four session requests and the 404 (not the scrapes).
  CAF_CHECK_EQUAL(moved("sockjs_http_responses_total{class=\"2xx\"}"), 4.0);
  CAF_CHECK_EQUAL(moved("sockjs_http_responses_total{class=\"4xx\"}"), 1.0);
  CAF_CHECK_EQUAL(moved("sockjs_http_request_duration_seconds_count"), 5.0);
  CAF_CHECK_EQUAL(
      moved("sockjs_http_request_duration_seconds_bucket{le=\"+Inf\"}"), 5.0);
  CAF_CHECK_GREATER_OR_EQUAL(after["sockjs_sessions_open{service=\"/echo\"}"],
                             1.0);
  CAF_CHECK_EQUAL(after["sockjs_cluster_members"], 0.0);
}

CAF_TEST(a websocket counts as a 1xx response and an open connection) {
  auto before = scrape();
  ws_client ws{port, session_url() + "/websocket"};
  CAF_REQUIRE_EQUAL(ws.read_text(), "o");
  auto after = scrape();
  CAF_CHECK_EQUAL(after["sockjs_http_responses_total{class=\"1xx\"}"] -
                      before["sockjs_http_responses_total{class=\"1xx\"}"],
                  1.0);
  CAF_CHECK_EQUAL(
      after["sockjs_sessions_open_by_transport{transport=\"websocket\"}"] -
          before["sockjs_sessions_open_by_transport{transport=\"websocket\"}"],
      1.0);
  // Connections of the requests before may take a moment to be closed.
  CAF_CHECK(eventually([&] { return sample("sockjs_connections_open") == 1; }));
}

CAF_TEST_FIXTURE_SCOPE_END()
