// The I/O types every transport uses. Each connection lives on one
// io_context run by one thread (see io_scheduler), so its handlers never run
// concurrently: its executor is that io_context's, with no strand and no
// type erasure.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace sockjs::transport {

using tcp = boost::asio::ip::tcp;
using io_executor = boost::asio::io_context::executor_type;
using tcp_socket = tcp::socket::rebind_executor<io_executor>::other;
using tcp_stream = boost::beast::basic_stream<tcp, io_executor>;

} // namespace sockjs::transport
