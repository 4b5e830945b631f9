#include "transports/server.hpp"

#include "actors/atoms.hpp"
#include "actors/log.hpp"
#include "actors/registry.hpp"
#include "protocol/pages.hpp"
#include "protocol/router.hpp"
#include "transports/connection_registry.hpp"
#include "transports/http_connection.hpp"
#include "transports/io_requester.hpp"
#include "transports/io_scheduler.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <caf/all.hpp>

#include <algorithm>
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

struct server::impl : std::enable_shared_from_this<server::impl> {
  explicit impl(caf::actor_system& sys, server_config cfg)
      : system(sys), scheduler(io_scheduler_of(sys)),
        io(scheduler.next_context()) {
    context = std::make_shared<transport::server_context>();
    context->system = &sys;
    context->config = std::move(cfg);
    context->requester = std::make_shared<transport::io_requester>(sys);
    context->connections = std::make_shared<transport::connection_registry>();
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
          socket.set_option(tcp::no_delay{true}, ec);
          auto conn = std::make_shared<transport::http_connection>(
              std::move(socket), self->context);
          asio::post(conn->executor(), [conn] { conn->start(); });
          self->accept();
        });
  }

  caf::actor_system& system;
  io_scheduler& scheduler;
  std::shared_ptr<transport::server_context> context;
  asio::io_context& io; // of the acceptor
  asio::steady_timer accept_retry{io};
  std::optional<tcp::acceptor> acceptor;
  bool running = false;
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
  mount.iframe_page = protocol::iframe_page(options.sockjs_url);
  mount.iframe_etag = protocol::etag_for(mount.iframe_page);
  auto sessions = std::make_shared<session_directory>();
  mount.sessions = sessions;
  mount.registry = spawn_registry(impl_->system, make_session_config(options),
                                  std::move(behaviour), std::move(sessions));
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
  tcp::endpoint endpoint{asio::ip::make_address(cfg.host), cfg.port};
  self.acceptor.emplace(self.io);
  self.acceptor->open(endpoint.protocol());
  self.acceptor->set_option(asio::socket_base::reuse_address(true));
  self.acceptor->bind(endpoint);
  self.acceptor->listen(asio::socket_base::max_listen_connections);
  self.running = true;
  self.accept();
  return self.acceptor->local_endpoint().port();
}

std::size_t server::session_count() {
  caf::scoped_actor self{impl_->system};
  std::size_t total = 0;
  for (const auto& service : impl_->context->services)
    self->request(service.registry, std::chrono::seconds{5}, count_atom::value)
        .receive([&](std::size_t n) { total += n; }, [](caf::error&) {});
  return total;
}

void server::stop(std::chrono::milliseconds grace) {
  auto& self = *impl_;
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
    for (std::size_t i = 0; i < self.context->services.size(); ++i)
      waiter->receive([](caf::down_msg&) {}, caf::after(grace) >> [] {});
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
