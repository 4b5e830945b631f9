// The websocket reader: the same events whatever pieces the bytes come in
// (the first input byte picks the piece size), messages within the limit,
// text messages well-formed UTF-8, close codes a client may send, and
// nothing after a failure.
#include "sockjs/protocol/rfc6455.hpp"
#include "sockjs/protocol/utf8.hpp"
#include "tests/fuzz/check.hpp"
#include "tests/protocol/websocket_events.hpp"

#include <string>
#include <vector>

using namespace sockjs::protocol;

namespace {

constexpr std::size_t limit = 1000;
using kind = websocket_reader::event_kind;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data,
                                      std::size_t size) {
  if (size == 0) return 0;
  const std::size_t step = data[0] == 0 ? 1 : data[0];
  const auto bytes = sockjs::fuzz::as_text(data + 1, size - 1);
  const auto whole = sockjs::test::read_events(bytes, bytes.size() + 1, limit);
  const auto pieces = sockjs::test::read_events(bytes, step, limit);
  FUZZ_CHECK(whole.size() == pieces.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    const auto& e = whole[i];
    FUZZ_CHECK(e.kind == pieces[i].kind);
    FUZZ_CHECK(e.payload == pieces[i].payload);
    FUZZ_CHECK(e.code == pieces[i].code);
    FUZZ_CHECK(e.binary == pieces[i].binary);
    switch (e.kind) {
    case kind::message:
      FUZZ_CHECK(e.payload.size() <= limit);
      FUZZ_CHECK(e.binary || valid_utf8(e.payload));
      break;
    case kind::ping:
    case kind::pong:
      FUZZ_CHECK(e.payload.size() <= 125);
      break;
    case kind::close:
      FUZZ_CHECK(valid_close_code(e.code) || e.code == close_no_status);
      FUZZ_CHECK(e.payload.size() <= 123 && valid_utf8(e.payload));
      break;
    case kind::fail:
      FUZZ_CHECK(e.code == 1002 || e.code == 1007 || e.code == 1009);
      FUZZ_CHECK(i + 1 == whole.size());
      break;
    case kind::need_more:
      FUZZ_CHECK(false);
    }
  }
  return 0;
}
