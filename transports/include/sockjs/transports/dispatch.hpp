// Routes a request read by an http_connection to its handler.
#pragma once

#include <memory>

namespace sockjs::transport {

class http_connection;

void dispatch(const std::shared_ptr<http_connection>& conn);

} // namespace sockjs::transport
