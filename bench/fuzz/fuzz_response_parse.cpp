// Fuzz target: the plain exchange's response fast path (ParseSimpleResponse) against Beast's
// parser. Whatever the fast path accepts, Beast must read the same way (bytes used, status,
// kept fields, body, body size, keep-alive); a disagreement aborts. Seeds: bench/fuzz/responses.
#include <boost/asio/buffer.hpp>
#include <cstdlib>
#include <string_view>

#include "fuzz_entry.h"
#include "http_response_parser.h"
#include "simple_response.h"

namespace {

using throng::engine::ParsedResponse;

constexpr std::uint64_t kBodyLimit = 1 << 20;

bool SameFields(const ParsedResponse& a, const ParsedResponse& b) {
  if (a.fields.size() != b.fields.size()) return false;
  for (std::size_t i = 0; i < a.fields.size(); ++i) {
    if (a.Name(a.fields[i]) != b.Name(b.fields[i]) ||
        a.Value(a.fields[i]) != b.Value(b.fields[i]) ||
        a.fields[i].set_cookie != b.fields[i].set_cookie) {
      return false;
    }
  }
  return true;
}

void Compare(std::string_view wire, bool keep) {
  ParsedResponse fast;
  fast.Clear(keep, keep, kBodyLimit);
  const std::size_t used = throng::engine::ParseSimpleResponse(wire, fast);
  if (used == 0) return;
  ParsedResponse beast;
  beast.Clear(keep, keep, kBodyLimit);
  throng::engine::ResponseParser parser(beast);
  parser.body_limit(kBodyLimit);
  parser.eager(true);
  boost::beast::error_code ec;
  const std::size_t beast_used = parser.put(boost::asio::buffer(wire.data(), wire.size()), ec);
  const bool same = !ec && parser.is_done() && beast_used == used && beast.status == fast.status &&
                    SameFields(beast, fast) && beast.body == fast.body &&
                    beast.body_size == fast.body_size && beast.keep_alive == fast.keep_alive;
  if (!same) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view wire(reinterpret_cast<const char*>(data), size);
  Compare(wire, false);
  Compare(wire, true);
  return 0;
}
