// sockjs-bench: load for every SockJS transport, on 127.0.0.1 only, with
// every echo verified. Given the server's PID it reports the server's CPU
// time per message and its memory. One summary line per run:
//
//   scenario=ws-echo sessions=100 messages=100000 rate=... p50_us=...
//   p99_us=... server_us_per_msg=... client_us_per_msg=... rss_kb=...
//   errors=0
#include "app/bench/scenarios.hpp"

#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

namespace {

const char* usage = R"(usage: sockjs-bench --scenario NAME [options]
scenarios:
  ws-echo             SockJS websocket echo (/echo)
  raw-ws-echo         raw websocket echo (/echo/websocket)
  xhr-streaming-echo  held xhr_streaming + xhr_send
  xhr-polling-echo    xhr polls + xhr_send
  broadcast           fan-out on /broadcast: deliveries per second
  idle                hold websocket sessions: server RSS per session
  handshake           websocket session open + close rate
options:
  --port N            server port on 127.0.0.1 (8081)
  --prefix PATH       service prefix (per scenario: /echo or /broadcast)
  --sessions N        concurrent sessions (100)
  --messages N        messages to send in all (100000)
  --size N            payload bytes (32)
  --depth N           messages in flight per session (1)
  --duration S        upper bound on the measured phase, seconds (30)
  --payload KIND      ascii or unicode (ascii)
  --first-source N    websocket sessions from 127.0.0.N on, 5 000 an
                      address (1)
  --server-pid PID[,PID...]
                      measure these processes' CPU time and RSS (summed)
)";

bool parse(int argc, char** argv, sockjs::bench::options& opt) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return false;
    }
    if (arg == "--scenario")
      opt.scenario = value;
    else if (arg == "--port")
      opt.port = static_cast<std::uint16_t>(std::stoul(value));
    else if (arg == "--prefix")
      opt.prefix = value;
    else if (arg == "--sessions")
      opt.sessions = std::stoul(value);
    else if (arg == "--messages")
      opt.messages = std::stoul(value);
    else if (arg == "--size")
      opt.size = std::stoul(value);
    else if (arg == "--depth")
      opt.depth = std::max<std::size_t>(1, std::stoul(value));
    else if (arg == "--duration")
      opt.duration_s = std::stod(value);
    else if (arg == "--payload")
      opt.unicode = value == "unicode";
    else if (arg == "--first-source")
      opt.first_source = static_cast<unsigned>(std::stoul(value));
    else if (arg == "--server-pid") {
      std::istringstream pids{value};
      for (std::string pid; std::getline(pids, pid, ',');)
        opt.server_pid.push_back(static_cast<pid_t>(std::stol(pid)));
    } else
      return false;
  }
  return opt.sessions > 0 && opt.duration_s > 0 && opt.first_source >= 1 &&
         opt.first_source + opt.sessions / sockjs::bench::sessions_per_source <=
             254;
}

} // namespace

int main(int argc, char** argv) {
  using namespace sockjs::bench;
  options opt;
  try {
    if (!parse(argc, argv, opt)) {
      std::cerr << usage;
      return 2;
    }
  } catch (const std::exception&) {
    std::cerr << usage;
    return 2;
  }
  raise_fd_limit(opt.sessions * 3 + 1024);
  // However the server behaves, the run ends.
  std::thread{[limit = opt.duration_s + 60] {
    std::this_thread::sleep_for(std::chrono::duration<double>(limit));
    std::cerr << "sockjs-bench: watchdog: run exceeded its time bound\n";
    std::_Exit(3);
  }}.detach();
  outcome out;
  if (opt.scenario == "ws-echo")
    out = run_ws_echo(opt, false);
  else if (opt.scenario == "raw-ws-echo")
    out = run_ws_echo(opt, true);
  else if (opt.scenario == "xhr-streaming-echo")
    out = run_xhr_echo(opt, true);
  else if (opt.scenario == "xhr-polling-echo")
    out = run_xhr_echo(opt, false);
  else if (opt.scenario == "broadcast")
    out = run_broadcast(opt);
  else if (opt.scenario == "idle")
    out = run_idle(opt);
  else if (opt.scenario == "handshake")
    out = run_handshakes(opt);
  else {
    std::cerr << usage;
    return 2;
  }
  const double rate = out.seconds > 0 ? out.messages / out.seconds : 0;
  auto per_msg = [&](std::uint64_t cpu_us) {
    return out.messages > 0 ? static_cast<double>(cpu_us) / out.messages : 0;
  };
  std::cout.setf(std::ios::fixed);
  std::cout.precision(2);
  std::cout << "scenario=" << opt.scenario << " sessions=" << opt.sessions
            << " messages=" << out.messages << " size=" << opt.size
            << " depth=" << opt.depth
            << " payload=" << (opt.unicode ? "unicode" : "ascii")
            << " seconds=" << out.seconds << " rate=" << rate
            << " p50_us=" << out.latencies.percentile(50)
            << " p99_us=" << out.latencies.percentile(99)
            << " server_us_per_msg=" << per_msg(out.server_cpu_us)
            << " client_us_per_msg=" << per_msg(out.client_cpu_us)
            << " rss_kb=" << out.rss_kb;
  if (opt.scenario == "idle")
    std::cout << " rss_per_session_b=" << out.rss_per_session_b
              << " heartbeats=" << out.heartbeats;
  std::cout << " errors=" << out.errors << std::endl;
  return out.errors == 0 ? 0 : 1;
}
