#include "sockjs/multiplex.hpp"

#include "sockjs/actors/interfaces.hpp"
#include "sockjs/protocol/utf8.hpp"

#include <cstdio>
#include <memory>

namespace sockjs {

std::string js_escape(std::string_view name) {
  constexpr std::string_view kept = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "abcdefghijklmnopqrstuvwxyz"
                                    "0123456789@*_+-./";
  std::string out;
  auto escape = [&out](std::uint32_t code_unit) {
    char buf[16];
    std::snprintf(buf, sizeof buf, code_unit < 0x100 ? "%%%02X" : "%%u%04X",
                  code_unit);
    out += buf;
  };
  for (std::size_t pos = 0; pos < name.size();) {
    const auto byte = static_cast<unsigned char>(name[pos]);
    if (byte < 0x80) {
      if (kept.find(name[pos]) != std::string_view::npos)
        out.push_back(name[pos]);
      else
        escape(byte);
      ++pos;
      continue;
    }
    // JavaScript strings are UTF-16: astral characters are two units.
    const auto cp = protocol::decode_utf8(name, pos).value_or(0xFFFD);
    if (cp < 0x10000) {
      escape(cp);
    } else {
      escape(0xD800 + ((cp - 0x10000) >> 10));
      escape(0xDC00 + ((cp - 0x10000) & 0x3FF));
    }
  }
  return out;
}

namespace {

using channel_map = std::map<std::string, handler_factory>;

// Inside the session's actor: routes each message to its channel's own
// handler, opened on `sub`, closed on `uns` or with the session.
class multiplex_handler : public session_handler {
public:
  explicit multiplex_handler(std::shared_ptr<const channel_map> services)
      : services_(std::move(services)) {}

  void handle(caf::local_actor* session, const connection& conn,
              event ev) override {
    switch (ev.kind) {
    case event::init:
      break;
    case event::recv:
      receive(session, conn, ev.data);
      break;
    case event::info:
      if (ev.message.match_elements<channel_close_atom, std::string>()) {
        const auto& name = ev.message.get_as<std::string>(1);
        if (open_.count(name) > 0) conn.send("uns," + name);
        end(session, conn, name);
      }
      break;
    case event::closed:
      while (!open_.empty()) end(session, conn, open_.begin()->first);
      break;
    }
  }

private:
  // `type,name,payload`, the payload being the rest, commas and all.
  void receive(caf::local_actor* session, const connection& conn,
               const std::string& message) {
    const auto first = message.find(',');
    if (first == std::string::npos) return;
    const auto second = message.find(',', first + 1);
    const auto type = std::string_view{message}.substr(0, first);
    auto name = message.substr(first + 1, second == std::string::npos
                                              ? std::string::npos
                                              : second - first - 1);
    auto service = services_->find(name);
    if (service == services_->end()) return;
    auto channel = open_.find(name);
    if (channel == open_.end()) {
      if (type != "sub") return;
      channel = open_.emplace(name, service->second()).first;
      notify(session, conn, name, {event::init, {}, {}});
    } else if (type == "msg") {
      notify(session, conn, name,
             {event::recv,
              second == std::string::npos ? std::string{}
                                          : message.substr(second + 1),
              {}});
    } else if (type == "uns") {
      end(session, conn, name);
    }
  }

  void end(caf::local_actor* session, const connection& conn,
           const std::string& name) {
    if (open_.count(name) == 0) return;
    notify(session, conn, name, {event::closed, {}, {}});
    open_.erase(name);
  }

  void notify(caf::local_actor* session, const connection& conn,
              const std::string& name, event ev) {
    if (auto i = open_.find(name); i != open_.end())
      i->second->handle(session, conn.channel(name), std::move(ev));
  }

  std::shared_ptr<const channel_map> services_;
  std::map<std::string, std::unique_ptr<session_handler>> open_;
};

} // namespace

handler_factory multiplex_service(channel_map channels) {
  auto services = std::make_shared<channel_map>();
  for (auto& [name, factory] : channels)
    services->emplace(js_escape(name), std::move(factory));
  return [services = std::shared_ptr<const channel_map>{std::move(services)}] {
    return std::make_unique<multiplex_handler>(services);
  };
}

} // namespace sockjs
