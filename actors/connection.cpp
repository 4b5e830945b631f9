#include "actors/connection.hpp"

#include "actors/atoms.hpp"
#include "actors/session.hpp"

#include <caf/send.hpp>

namespace sockjs {

connection::connection(caf::actor session, std::uint64_t id,
                       std::shared_ptr<const connection_info> info)
    : session_(std::move(session)), id_(id), info_(std::move(info)) {}

void connection::send(std::string payload) const {
  if (!session_ || detail::send_inline(session_, payload)) return;
  caf::anon_send(session_, send_atom::value, std::move(payload));
}

void connection::close(int code, std::string reason) const {
  if (session_)
    caf::anon_send(session_, close_atom::value, code, std::move(reason));
}

const connection_info& connection::info() const {
  static const connection_info empty;
  return info_ ? *info_ : empty;
}

} // namespace sockjs
