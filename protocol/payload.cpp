#include "sockjs/protocol/payload.hpp"

#include "sockjs/protocol/text.hpp"
#include "sockjs/protocol/url.hpp"
#include "sockjs/protocol/utf8.hpp"

#include <nlohmann/json.hpp>

namespace sockjs::protocol {

namespace {

using nlohmann::json;

// Clients only ever send strings; deeper nesting than this is rejected as
// broken JSON, which keeps every recursive step (building, dumping,
// destroying) far from the stack's end.
constexpr std::size_t max_nesting_depth = 64;

// Builds the DOM like json::parse, but stops at max_nesting_depth.
class depth_limited_builder
    : public nlohmann::detail::json_sax_dom_parser<json> {
public:
  using base = nlohmann::detail::json_sax_dom_parser<json>;

  explicit depth_limited_builder(json& result)
      : base(result, /*allow_exceptions=*/false) {}

  bool start_object(std::size_t elements) {
    return ++depth_ <= max_nesting_depth && base::start_object(elements);
  }
  bool end_object() {
    --depth_;
    return base::end_object();
  }
  bool start_array(std::size_t elements) {
    return ++depth_ <= max_nesting_depth && base::start_array(elements);
  }
  bool end_array() {
    --depth_;
    return base::end_array();
  }

private:
  std::size_t depth_ = 0;
};

bool is_json_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::optional<std::uint32_t> read_hex4(std::string_view text,
                                       std::size_t& pos) {
  if (text.size() - pos < 4) return std::nullopt;
  std::uint32_t unit = 0;
  for (std::size_t end = pos + 4; pos < end; ++pos) {
    const char c = text[pos];
    unit <<= 4;
    if (c >= '0' && c <= '9')
      unit |= static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      unit |= static_cast<std::uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      unit |= static_cast<std::uint32_t>(c - 'A' + 10);
    else
      return std::nullopt;
  }
  return unit;
}

// Reads the rest of a string literal whose opening quote is behind `pos`.
bool read_string_body(std::string_view text, std::size_t& pos,
                      std::string& out) {
  while (pos < text.size()) {
    std::size_t run = pos; // plain ASCII is copied in one append
    while (run < text.size()) {
      const auto b = static_cast<std::uint8_t>(text[run]);
      if (b < 0x20 || b >= 0x80 || b == '"' || b == '\\') break;
      ++run;
    }
    out.append(text.data() + pos, run - pos);
    pos = run;
    if (pos == text.size()) return false;
    const auto b = static_cast<std::uint8_t>(text[pos]);
    if (b == '"') {
      ++pos;
      return true;
    }
    if (b >= 0x80) {
      const auto start = pos;
      if (!decode_utf8(text, pos)) return false;
      out.append(text.data() + start, pos - start);
      continue;
    }
    if (b != '\\' || ++pos == text.size()) return false; // control char
    switch (text[pos++]) {
    case '"':
      out += '"';
      break;
    case '\\':
      out += '\\';
      break;
    case '/':
      out += '/';
      break;
    case 'b':
      out += '\b';
      break;
    case 'f':
      out += '\f';
      break;
    case 'n':
      out += '\n';
      break;
    case 'r':
      out += '\r';
      break;
    case 't':
      out += '\t';
      break;
    case 'u': {
      auto unit = read_hex4(text, pos);
      if (!unit || (*unit >= 0xDC00 && *unit <= 0xDFFF)) return false;
      std::uint32_t cp = *unit;
      if (cp >= 0xD800 && cp <= 0xDBFF) { // must be followed by its pair
        if (text.substr(pos, 2) != "\\u") return false;
        pos += 2;
        auto low = read_hex4(text, pos);
        if (!low || *low < 0xDC00 || *low > 0xDFFF) return false;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (*low - 0xDC00);
      }
      append_utf8(out, cp);
      break;
    }
    default:
      return false;
    }
  }
  return false;
}

} // namespace

namespace detail {

std::optional<std::vector<std::string>>
read_string_array(std::string_view text) {
  std::size_t pos = 0;
  auto next_is = [&](char c) {
    while (pos < text.size() && is_json_space(text[pos])) ++pos;
    if (pos == text.size() || text[pos] != c) return false;
    ++pos;
    return true;
  };
  std::vector<std::string> messages;
  if (!next_is('[')) return std::nullopt;
  if (!next_is(']')) {
    do {
      if (!next_is('"') ||
          !read_string_body(text, pos, messages.emplace_back()))
        return std::nullopt;
    } while (next_is(','));
    if (!next_is(']')) return std::nullopt;
  }
  while (pos < text.size() && is_json_space(text[pos])) ++pos;
  if (pos != text.size()) return std::nullopt;
  return messages;
}

std::optional<std::vector<std::string>>
read_string_list(std::string_view text) {
  std::vector<std::string> messages;
  if (text.empty()) return messages;
  for (std::size_t pos = 0;;) {
    if (text[pos++] != '"' ||
        !read_string_body(text, pos, messages.emplace_back()))
      return std::nullopt;
    if (pos == text.size()) return messages;
    if (text[pos++] != ',' || pos == text.size()) return std::nullopt;
  }
}

} // namespace detail

namespace {

std::string element_text(json& element) {
  if (element.is_string()) return std::move(element.get_ref<std::string&>());
  return element.dump();
}

decoded_payload parse(std::string_view text, bool array_required) {
  decoded_payload result;
  if (auto strings = detail::read_string_array(text)) {
    result.messages = std::move(*strings);
    return result;
  }
  json value;
  depth_limited_builder builder{value};
  if (!json::sax_parse(text, &builder) || builder.is_errored()) {
    result.error = payload_error::broken_json;
    return result;
  }
  if (!value.is_array()) {
    if (array_required)
      result.error = payload_error::payload_expected;
    else
      result.messages.push_back(element_text(value));
    return result;
  }
  result.messages.reserve(value.size());
  for (auto& element : value) result.messages.push_back(element_text(element));
  return result;
}

} // namespace

std::string_view error_text(payload_error error) {
  switch (error) {
  case payload_error::payload_expected:
    return "Payload expected.";
  case payload_error::broken_json:
    return "Broken JSON encoding.";
  case payload_error::none:
    break;
  }
  return {};
}

decoded_payload decode_sender_payload(std::string_view json_text) {
  if (json_text.empty()) return {payload_error::payload_expected, {}};
  return parse(json_text, /*array_required=*/true);
}

decoded_payload decode_websocket_payload(std::string_view json_text) {
  if (json_text.empty()) return {};
  return parse(json_text, /*array_required=*/false);
}

std::string jsonp_send_json_text(std::string_view content_type,
                                 std::string_view body) {
  // Media types are case-insensitive; parameters (charset) are ignored.
  const auto media = trim(content_type.substr(0, content_type.find(';')));
  if (iequals(media, "application/x-www-form-urlencoded"))
    return form_value(body, "d").value_or(std::string{});
  return std::string{body};
}

} // namespace sockjs::protocol
