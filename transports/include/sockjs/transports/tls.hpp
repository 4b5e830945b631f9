// TLS on the server's port: the certificate, and the first steps of every
// connection, before HTTP: detect the handshake, perform it, hand the
// stream to an http_connection.
#pragma once

#include "sockjs/transports/byte_stream.hpp"
#include "sockjs/transports/connection_registry.hpp"

#include <memory>
#include <string>

namespace sockjs::transport {

struct server_context;

/// A server context with the certificate chain and private key of these
/// PEM files, TLS 1.2 and newer. Throws std::runtime_error saying which
/// file is wrong and why (a key of another certificate included).
std::shared_ptr<tls_context> load_tls_context(const std::string& certificate,
                                              const std::string& private_key);

/// Serves a connection accepted on a TLS port, on the socket's executor:
/// the handshake within the server's request timeout, then HTTP. A client
/// speaking plain HTTP gets 400 and is closed; a failed handshake is logged
/// and closed.
void accept_tls(tcp_socket socket, std::shared_ptr<tls_context> context,
                std::shared_ptr<const server_context> server,
                connection_registry::membership membership);

} // namespace sockjs::transport
