// The I/O types every transport uses. Each connection lives on one
// io_context run by one thread (see io_scheduler), so its handlers never run
// concurrently: its executor is that io_context's, with no strand and no
// type erasure.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <memory>

namespace sockjs::transport {

using tcp = boost::asio::ip::tcp;
using io_executor = boost::asio::io_context::executor_type;
using tcp_socket = tcp::socket::rebind_executor<io_executor>::other;
using tcp_stream = boost::beast::basic_stream<tcp, io_executor>;

/// How long a connection that ends may take to get its last bytes to a
/// client that does not read: then it is dropped.
inline constexpr std::chrono::seconds close_linger{5};

/// Runs `drop` on `executor` after `bound` unless `*done` is true by then.
/// For a connection ending behind a write that does not complete: a client
/// that stopped reading would otherwise hold it for ever.
template <class Drop>
void drop_unless_done(
    io_executor executor, std::shared_ptr<const bool> done, Drop drop,
    std::chrono::steady_clock::duration bound = close_linger) {
  auto timer = std::make_shared<boost::asio::steady_timer>(executor, bound);
  timer->async_wait([timer, done = std::move(done),
                     drop = std::move(drop)](boost::system::error_code ec) {
    if (!ec && !*done) drop();
  });
}

} // namespace sockjs::transport
