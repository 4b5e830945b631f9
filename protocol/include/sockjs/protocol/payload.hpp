// Client-to-server data (spec §5.2): sender bodies and SockJS websocket
// messages, decoded into application messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sockjs::protocol {

enum class payload_error {
  none,
  payload_expected, // empty, missing, or not a JSON array
  broken_json,      // not valid JSON (includes lone surrogate escapes)
};

/// The 500 body for an error (spec §3.6).
std::string_view error_text(payload_error error);

struct decoded_payload {
  payload_error error = payload_error::none;
  std::vector<std::string> messages;

  bool ok() const { return error == payload_error::none; }
};

/// Decodes an xhr_send / jsonp_send JSON text: it must be a JSON array. Each
/// string element is one message (its decoded UTF-8 text); any other element
/// is delivered as its compact JSON text. `[]` is valid and yields nothing.
///
/// Escapes of lone surrogates (`"\ud800"`) cannot become well-formed UTF-8;
/// such payloads are rejected as broken JSON, as is ill-formed UTF-8 and
/// nesting deeper than 64 arrays or objects.
decoded_payload decode_sender_payload(std::string_view json_text);

/// Decodes one message received on a SockJS websocket: empty means nothing;
/// an array is a list of messages; any other JSON value is one message.
decoded_payload decode_websocket_payload(std::string_view json_text);

/// The JSON text of a jsonp_send body: the `d` form field for form-encoded
/// bodies, the raw body otherwise. An absent `d` gives an empty text, which
/// decodes to payload_expected.
std::string jsonp_send_json_text(std::string_view content_type,
                                 std::string_view body);

namespace detail {

/// The common case read without building a JSON DOM: a JSON array of
/// well-formed strings. Anything else gives nullopt (the full parser decides
/// then); where it gives a value, it is the one the full parser gives.
std::optional<std::vector<std::string>>
read_string_array(std::string_view text);

/// Well-formed strings joined by ',' (no brackets, no spaces), as
/// append_json_string and ',' make them; nullopt for anything else.
std::optional<std::vector<std::string>> read_string_list(std::string_view text);

} // namespace detail

} // namespace sockjs::protocol
