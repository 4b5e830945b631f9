// The sockjs-server executable itself: flags, config file, clean shutdown.
#define CAF_SUITE server_process
#include "tests/integration/client.hpp"

#include <caf/test/unit_test.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <poll.h>
#include <signal.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace sockjs::test;

namespace {

// A child sockjs-server, stopped by PID when the test ends.
class server_process {
public:
  explicit server_process(std::vector<std::string> args) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv;
      static std::string binary = SOCKJS_SERVER_BINARY;
      argv.push_back(binary.data());
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    stdout_ = out[0];
  }

  ~server_process() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(stdout_);
  }

  /// The port from the "listening on HOST:PORT" line, or 0.
  std::uint16_t port(std::chrono::milliseconds timeout = 5000ms) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (line.find('\n') == std::string::npos) {
      pollfd p{stdout_, POLLIN, 0};
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0)
        return 0;
      char c;
      if (read(stdout_, &c, 1) != 1) return 0;
      line.push_back(c);
    }
    const auto colon = line.rfind(':');
    return static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
  }

  void signal(int sig) { kill(pid_, sig); }

  /// The exit code, or -1 when the process is still running after timeout.
  int wait_exit(std::chrono::milliseconds timeout = 5000ms) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(10ms);
    }
    return -1;
  }

private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  bool exited_ = false;
};

} // namespace

CAF_TEST(the server accepts port as a separate argument) {
  server_process server{{"--port", "0", "--quiet"}};
  const auto port = server.port();
  CAF_REQUIRE_NOT_EQUAL(port, 0u);
  CAF_CHECK_EQUAL(http(port, "GET", "/echo").body, "Welcome to SockJS!\n");
  CAF_CHECK_EQUAL(http(port, "GET", "/").status, 200);
}

CAF_TEST(reuse port lets several processes serve one port) {
  server_process first{{"--port", "0", "--reuse-port", "--quiet"}};
  const auto port = first.port();
  CAF_REQUIRE_NOT_EQUAL(port, 0u);
  server_process second{
      {"--port", std::to_string(port), "--reuse-port", "--quiet"}};
  CAF_REQUIRE_EQUAL(second.port(), port);
  // Without the flag, the port is taken.
  server_process third{{"--port", std::to_string(port), "--quiet"}};
  CAF_CHECK_NOT_EQUAL(third.wait_exit(), -1);
  first.signal(SIGTERM);
  CAF_CHECK_EQUAL(first.wait_exit(), 0);
  for (int i = 0; i < 10; ++i)
    CAF_CHECK_EQUAL(http(port, "GET", "/echo").body, "Welcome to SockJS!\n");
}

CAF_TEST(sigterm closes sessions with a close frame and exits cleanly) {
  server_process server{{"--port=0", "--quiet"}};
  const auto port = server.port();
  CAF_REQUIRE_NOT_EQUAL(port, 0u);
  tcp_client stream{port};
  stream.send_request("POST", "/echo/000/" + unique_id() + "/xhr_streaming");
  stream.read_head();
  stream.read_chunk();
  CAF_REQUIRE_EQUAL(stream.read_chunk(), "o\n");
  ws_client ws{port, "/echo/000/" + unique_id() + "/websocket"};
  CAF_REQUIRE_EQUAL(ws.read_text(), "o");
  server.signal(SIGTERM);
  CAF_CHECK_EQUAL(stream.read_chunk(2000ms),
                  "c[1001,\"Server shutting down\"]\n");
  CAF_CHECK_EQUAL(ws.read_text(2000ms), "c[1001,\"Server shutting down\"]");
  CAF_CHECK_EQUAL(server.wait_exit(), 0);
}

CAF_TEST(options come from the config file and the command line wins) {
  const std::string path =
      "/tmp/sockjs-server-test-" + std::to_string(getpid()) + ".conf";
  {
    std::ofstream conf{path};
    conf << "[global]\nport=1\nquiet=true\n"
         << "sockjs-url=\"http://cdn.example/sockjs.js\"\n";
  }
  server_process server{{"--config-file", path, "--port", "0"}};
  const auto port = server.port();
  std::remove(path.c_str());
  CAF_REQUIRE_NOT_EQUAL(port, 0u);
  auto page = http(port, "GET", "/echo/iframe.html").body;
  CAF_CHECK(page.find(R"(<script src="http://cdn.example/sockjs.js">)") !=
            std::string::npos);
}

CAF_TEST(a bad option value is refused with a message) {
  server_process server{{"--port=0", "--sockjs-url=javascript:x", "--quiet"}};
  CAF_CHECK_EQUAL(server.wait_exit(), 2);
}
