#include "protocol/payload.hpp"

#include "protocol/text.hpp"
#include "protocol/url.hpp"

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

std::string element_text(json& element) {
  if (element.is_string()) return std::move(element.get_ref<std::string&>());
  return element.dump();
}

decoded_payload parse(std::string_view text, bool array_required) {
  decoded_payload result;
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
