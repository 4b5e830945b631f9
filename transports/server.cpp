#include "sockjs/server.hpp"

#include "sockjs/actors/cluster.hpp"
#include "sockjs/actors/interfaces.hpp"
#include "sockjs/actors/log.hpp"
#include "sockjs/actors/registry.hpp"
#include "sockjs/io_scheduler.hpp"
#include "sockjs/protocol/pages.hpp"
#include "sockjs/protocol/router.hpp"
#include "sockjs/transports/connection_registry.hpp"
#include "sockjs/transports/http_connection.hpp"
#include "sockjs/transports/io_requester.hpp"
#include "sockjs/transports/tls.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <caf/all.hpp>
#include <caf/io/middleman.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace sockjs {

namespace asio = boost::asio;
using transport::tcp;

namespace transport {

const service_mount* server_context::find_service(std::string_view path) const {
  for (const auto& service : services) // longest prefix first
    if (protocol::under_prefix(service.prefix, path)) return &service;
  return nullptr;
}

const file_mount* server_context::find_file(std::string_view path) const {
  for (const auto& file : files)
    if (file.path == path) return &file;
  return nullptr;
}

} // namespace transport

namespace {

std::string disabled_list(const service_options& options) {
  auto names = options.disabled_transports;
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ",") + name;
  return out;
}

std::string describe(const service_options& options) {
  std::ostringstream out;
  out << "response_limit=" << options.response_limit
      << " disabled_transports=" << disabled_list(options)
      << " jsessionid=" << options.jsessionid
      << " heartbeat_delay=" << options.heartbeat_delay.count()
      << " disconnect_delay=" << options.disconnect_delay.count()
      << " max_queued_bytes=" << options.max_queued_bytes;
  return out.str();
}

std::string milliseconds_of(const caf::actor_system_config& cfg,
                            caf::string_view key) {
  auto value = caf::get_or(cfg, key, caf::timespan{0});
  return std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(value).count());
}

} // namespace

struct server::impl : std::enable_shared_from_this<server::impl> {
  explicit impl(caf::actor_system& sys, server_config cfg)
      : system(sys), scheduler(io_scheduler_of(sys)),
        io(scheduler.next_context()) {
    context = std::make_shared<transport::server_context>();
    context->system = &sys;
    context->config = std::move(cfg);
    context->requester = std::make_shared<transport::io_requester>(sys);
    context->connections = std::make_shared<transport::connection_registry>(
        context->config.max_connections);
    if (context->config.cluster.port != 0) join_cluster();
  }

  void join_cluster() {
    const auto& cfg = context->config.cluster;
    caf::io::middleman* middleman = nullptr;
    try {
      middleman = &system.middleman();
    } catch (const std::exception&) {
      throw std::logic_error("a cluster needs CAF's middleman: call "
                             "cfg.load<caf::io::middleman>() before "
                             "constructing the actor system");
    }
    for (const auto& peer : cfg.peers) {
      std::string host;
      std::uint16_t port = 0;
      if (!cluster::split_endpoint(peer, host, port))
        throw std::invalid_argument("cluster peer '" + peer +
                                    "' is not HOST:PORT");
    }
    cluster::node_settings settings;
    settings.name = cfg.host + ":" + std::to_string(cfg.port);
    settings.peers = cfg.peers;
    settings.request_timeout = cfg.timeout;
    settings.locate_timeout = cfg.timeout / 4;
    settings.settled = cluster_settled;
    services = std::make_shared<cluster::service_table>();
    node = cluster::spawn_node(
        system, std::move(settings),
        caf::actor_cast<cluster::dialer_actor>(middleman->actor_handle()),
        services);
  }

  // What every node of one cluster must share: the cluster messages and
  // their types, each service's options, and the timing of BASP.
  cluster::fingerprint fingerprint() const {
    cluster::fingerprint print;
    print["cluster-protocol"] = "1";
    std::string types;
    for (const auto& [name, factory] : system.config().value_factories_by_name)
      types += (types.empty() ? "" : ",") + name;
    print["message-types"] = types;
    print["heartbeat-interval-ms"] =
        milliseconds_of(system.config(), "middleman.heartbeat-interval");
    print["connection-timeout-ms"] =
        milliseconds_of(system.config(), "middleman.connection-timeout");
    print["request-timeout-ms"] =
        std::to_string(context->config.cluster.timeout.count());
    for (const auto& service : context->services)
      print["service " + service.prefix] = describe(service.options);
    return print;
  }

  void publish_cluster_endpoint() {
    const auto& cfg = context->config.cluster;
    auto port = system.middleman().publish(node, cfg.port, cfg.host.c_str(),
                                           /*reuse_addr=*/true);
    if (!port)
      throw std::runtime_error("cannot listen for cluster peers on " +
                               cfg.host + ":" + std::to_string(cfg.port) +
                               ": " + system.render(port.error()));
    caf::anon_send(node, cluster::join_atom::value, fingerprint());
  }

  void accept() {
    // Each connection goes to the next I/O thread's io_context.
    acceptor->async_accept(
        scheduler.next_context(),
        [self = shared_from_this()](boost::system::error_code ec,
                                    transport::tcp_socket socket) {
          if (ec == asio::error::operation_aborted ||
              !self->acceptor->is_open())
            return; // stopped
          if (ec) {
            // Out of descriptors, most likely: retrying at once would spin.
            log::warning("accept failed: ", ec.message(),
                         "; accepting again in 100 ms");
            self->accept_retry.expires_after(std::chrono::milliseconds{100});
            self->accept_retry.async_wait(
                [self](boost::system::error_code wait_ec) {
                  if (!wait_ec) self->accept();
                });
            return;
          }
          auto place = self->context->connections->admit(
              transport::io_executor{socket.get_executor()});
          if (!place) {
            asio::post(socket.get_executor(),
                       [s = std::make_shared<transport::tcp_socket>(
                            std::move(socket))]() mutable {
                         transport::http_connection::turn_away(std::move(*s));
                       });
            self->accept();
            return;
          }
          socket.set_option(tcp::no_delay{true}, ec);
          if (auto tls = self->tls_context()) {
            auto executor = socket.get_executor();
            asio::post(executor, [socket = std::move(socket),
                                  tls = std::move(tls), server = self->context,
                                  place = std::move(place)]() mutable {
              transport::accept_tls(std::move(socket), std::move(tls),
                                    std::move(server), std::move(place));
            });
          } else {
            auto conn = std::make_shared<transport::http_connection>(
                transport::byte_stream{
                    transport::tcp_stream{std::move(socket)}},
                self->context, std::move(place));
            asio::post(conn->executor(), [conn] { conn->start(); });
          }
          self->accept();
        });
  }

  std::shared_ptr<transport::tls_context> tls_context() {
    std::lock_guard<std::mutex> guard{tls_mutex};
    return tls;
  }

  caf::actor_system& system;
  io_scheduler& scheduler;
  std::shared_ptr<transport::server_context> context;
  // With a certificate, every connection speaks TLS; a reload swaps it for
  // the connections accepted after.
  std::mutex tls_mutex;
  std::shared_ptr<transport::tls_context> tls;
  asio::io_context& io; // of the acceptor
  asio::steady_timer accept_retry{io};
  std::optional<tcp::acceptor> acceptor;
  bool running = false;
  std::atomic<bool> accepting{false}; // read by ready() from any thread
  // In a cluster: this node's actor and what it knows of the services.
  cluster::member_actor node;
  // Set once the node has tried every peer: ready() waits for it.
  std::shared_ptr<std::atomic<bool>> cluster_settled =
      std::make_shared<std::atomic<bool>>(false);
  std::mutex node_mutex; // stop() resets node while cluster_members() reads
  std::shared_ptr<cluster::service_table> services;
};

server::server(caf::actor_system& system, server_config config)
    : impl_(std::make_shared<impl>(system, std::move(config))) {}

server::~server() {
  stop();
}

void server::add_service(std::string prefix, service_options options,
                         handler_factory behaviour) {
  if (impl_->running) throw std::logic_error("add_service after start");
  if (!prefix.empty() && (prefix.front() != '/' || prefix.back() == '/'))
    throw std::invalid_argument("service prefix '" + prefix +
                                "' must start with / and not end with /");
  if (auto problem = validate(options); !problem.empty())
    throw std::invalid_argument("service " + prefix + ": " + problem);
  transport::service_mount mount;
  mount.prefix = std::move(prefix);
  for (const auto& name : options.disabled_transports)
    mount.transports &= ~protocol::transport_named(name);
  if (!protocol::any_origin(options.allowed_origins))
    mount.transports &= ~protocol::cross_origin_without_cors;
  mount.iframe_page = protocol::iframe_page(options.sockjs_url);
  mount.iframe_etag = protocol::etag_for(mount.iframe_page);
  auto sessions = std::make_shared<session_directory>();
  auto remote_sessions = std::make_shared<session_directory>();
  mount.sessions = sessions;
  mount.remote_sessions = remote_sessions;
  mount.registry = spawn_registry(impl_->system, make_session_config(options),
                                  std::move(behaviour), sessions);
  if (auto& node = impl_->node) {
    impl_->services->add(mount.prefix, {mount.registry, std::move(sessions),
                                        std::move(remote_sessions)});
    mount.locator =
        cluster::spawn_service_locator(impl_->system, node, mount.prefix);
  } else {
    mount.locator = mount.registry;
  }
  mount.options = std::move(options);
  auto& services = impl_->context->services;
  services.push_back(std::move(mount));
  std::stable_sort(services.begin(), services.end(),
                   [](const auto& a, const auto& b) {
                     return a.prefix.size() > b.prefix.size();
                   });
}

void server::add_file(std::string path, std::string content_type,
                      std::string body) {
  if (impl_->running) throw std::logic_error("add_file after start");
  impl_->context->files.push_back(
      {std::move(path), std::move(content_type), std::move(body)});
}

std::uint16_t server::start() {
  auto& self = *impl_;
  const auto& cfg = self.context->config;
  if (cfg.tls_certificate_file.empty() != cfg.tls_private_key_file.empty())
    throw std::invalid_argument(
        "TLS needs both a certificate file and a private key file");
  if (!cfg.tls_certificate_file.empty())
    self.tls = transport::load_tls_context(cfg.tls_certificate_file,
                                           cfg.tls_private_key_file);
  tcp::endpoint endpoint{asio::ip::make_address(cfg.host), cfg.port};
  self.acceptor.emplace(self.io);
  self.acceptor->open(endpoint.protocol());
  self.acceptor->set_option(asio::socket_base::reuse_address(true));
  if (cfg.reuse_port)
    self.acceptor->set_option(
        asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true));
  self.acceptor->bind(endpoint);
  self.acceptor->listen(asio::socket_base::max_listen_connections);
  self.running = true;
  if (self.node) self.publish_cluster_endpoint();
  self.accept();
  self.accepting = true;
  return self.acceptor->local_endpoint().port();
}

std::string server::reload_tls() {
  const auto& cfg = impl_->context->config;
  if (cfg.tls_certificate_file.empty()) return "TLS is off";
  try {
    auto fresh = transport::load_tls_context(cfg.tls_certificate_file,
                                             cfg.tls_private_key_file);
    std::lock_guard<std::mutex> guard{impl_->tls_mutex};
    impl_->tls = std::move(fresh);
    return {};
  } catch (const std::exception& e) {
    return e.what();
  }
}

bool server::secure() const {
  return !impl_->context->config.tls_certificate_file.empty();
}

cluster::node_actor server::cluster_node() const {
  return impl_->node;
}

std::vector<std::string> server::cluster_members() {
  std::vector<std::string> members;
  cluster::member_actor node;
  {
    std::lock_guard<std::mutex> guard{impl_->node_mutex};
    node = impl_->node;
  }
  if (!node) return members;
  caf::scoped_actor self{impl_->system};
  self->request(node, std::chrono::seconds{5}, cluster::members_atom::value)
      .receive(
          [&](std::vector<std::string>& live) { members = std::move(live); },
          [](caf::error&) {});
  return members;
}

std::size_t server::session_count() const {
  std::size_t total = 0;
  for (const auto& service : impl_->context->services)
    total += service.sessions->live();
  return total;
}

server_stats server::stats() const {
  server_stats out;
  const auto connections = impl_->context->connections->snapshot();
  out.connections = connections.open;
  out.connections_refused = connections.refused;
  out.connections_shed = connections.shed;
  for (const auto& service : impl_->context->services) {
    auto& entry = out.services.emplace_back();
    entry.prefix = service.prefix;
    entry.sessions = service.sessions->live();
    entry.sessions_refused = service.sessions->refused();
    out.sessions += entry.sessions;
    out.sessions_refused += entry.sessions_refused;
  }
  return out;
}

bool server::ready() const {
  return impl_->accepting.load() && (impl_->context->config.cluster.port == 0 ||
                                     impl_->cluster_settled->load());
}

void server::stop(std::chrono::milliseconds grace) {
  auto& self = *impl_;
  self.accepting = false;
  // Leave the cluster first: the others stop sending requests here.
  if (self.node) {
    caf::anon_send(self.node, cluster::leave_atom::value);
    std::lock_guard<std::mutex> guard{self.node_mutex};
    self.node = nullptr;
  }
  for (const auto& service : self.context->services)
    if (service.locator != service.registry)
      caf::anon_send_exit(service.locator, caf::exit_reason::user_shutdown);
  if (!self.running) {
    for (const auto& service : self.context->services)
      caf::anon_send_exit(service.registry, caf::exit_reason::user_shutdown);
    self.context->services.clear();
    return;
  }
  self.running = false;
  asio::post(self.io, [impl = impl_] {
    boost::system::error_code ignored;
    impl->acceptor->close(ignored);
    impl->accept_retry.cancel();
  });
  // Every session sends its close frame to its receiver, if it has one.
  const auto deadline = std::chrono::steady_clock::now() + grace;
  {
    caf::scoped_actor waiter{self.system};
    for (const auto& service : self.context->services) {
      waiter->monitor(service.registry);
      waiter->send(service.registry, shutdown_atom::value);
    }
    // One deadline for all of them.
    for (std::size_t i = 0; i < self.context->services.size(); ++i) {
      const auto left = deadline - std::chrono::steady_clock::now();
      if (left <= std::chrono::steady_clock::duration::zero()) break;
      waiter->receive(
          [](caf::down_msg&) {},
          caf::after(
              std::chrono::duration_cast<std::chrono::milliseconds>(left)) >>
              [] {});
    }
  }
  // Let the close frames reach the sockets, then close every connection
  // (the I/O threads go on: they belong to the actor system).
  const auto now = std::chrono::steady_clock::now();
  std::this_thread::sleep_until(
      std::min(deadline, now + std::chrono::milliseconds{100}));
  const auto left = self.context->connections->close_all(
      std::max(deadline, now + std::chrono::milliseconds{200}));
  if (left > 0) log::warning(left, " connections did not close in time");
}

} // namespace sockjs
