#include "sockjs/protocol/framing.hpp"

#include "sockjs/protocol/json_quote.hpp"
#include "sockjs/protocol/url.hpp"

namespace sockjs::protocol {

namespace {

constexpr std::string_view htmlfile_head_template[] = {
    R"(<!doctype html>
<html><head>
  <meta http-equiv="X-UA-Compatible" content="IE=edge" />
  <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
</head><body><h2>Don't panic!</h2>
  <script>
    document.domain = document.domain;
    var c = parent.)",
    R"(;
    c.start();
    function p(d) {c.message(d);};
    window.onload = function() {c.stop();};
  </script>)"};

// Safari renders nothing of a streamed page before it has 1 KiB: pad the head
// with spaces as sockjs-node does, byte for byte.
constexpr std::size_t htmlfile_padding = 653;

bool callback_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

} // namespace

std::string_view xhr_streaming_prelude() {
  static const std::string prelude = std::string(2048, 'h') + '\n';
  return prelude;
}

std::string xhr_frame(std::string_view frame) {
  std::string out;
  out.reserve(frame.size() + 1);
  out += frame;
  out += '\n';
  return out;
}

std::string eventsource_frame(std::string_view frame) {
  std::string out;
  out.reserve(frame.size() + 10);
  out += "data: ";
  for (char c : frame) {
    switch (c) {
    case '%':
      out += "%25";
      break;
    case '\r':
      out += "%0D";
      break;
    case '\n':
      out += "%0A";
      break;
    case '\0':
      out += "%00";
      break;
    default:
      out.push_back(c);
    }
  }
  out += "\r\n\r\n";
  return out;
}

std::string htmlfile_prelude(std::string_view callback) {
  std::string out;
  out += htmlfile_head_template[0];
  out += callback;
  out += htmlfile_head_template[1];
  out.append(htmlfile_padding, ' ');
  out += "\r\n\r\n";
  return out;
}

std::string htmlfile_frame(std::string_view frame) {
  std::string out = "<script>\np(";
  append_json_string(out, frame);
  out += ");\n</script>\r\n";
  return out;
}

std::string jsonp_frame(std::string_view callback, std::string_view frame) {
  std::string out = "/**/";
  out += callback;
  out += '(';
  append_json_string(out, frame);
  out += ");\r\n";
  return out;
}

std::string_view error_text(callback_error error) {
  switch (error) {
  case callback_error::missing:
    return R"("callback" parameter required)";
  case callback_error::invalid:
    return R"(invalid "callback" parameter)";
  case callback_error::none:
    break;
  }
  return {};
}

callback_param read_callback(std::string_view query, std::size_t max_length) {
  callback_param result;
  auto value = form_value(query, "c");
  if (!value) value = form_value(query, "callback");
  if (!value || value->empty()) {
    result.error = callback_error::missing;
    return result;
  }
  if (max_length != 0 && value->size() > max_length) {
    result.error = callback_error::invalid;
    return result;
  }
  for (char c : *value) {
    if (!callback_char(c)) {
      result.error = callback_error::invalid;
      return result;
    }
  }
  result.name = std::move(*value);
  return result;
}

} // namespace sockjs::protocol
