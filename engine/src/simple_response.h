// A fast path for the common response: read in one pass when it is whole in the buffer and in a
// strict subset of HTTP/1.1 that Beast's parser reads the same way; anything else is left to it.
#pragma once

#include <cstddef>
#include <string_view>

#include "http_response_parser.h"

namespace throng::engine {

/// The longest head (status line and fields, with the blank line) the fast path reads.
inline constexpr std::size_t kSimpleHeadLimit = 4096;

/// When `bytes` begin with one whole response in the simple form, fills `out` as ResponseParser
/// would (status, kept fields, body, body size, keep-alive) and returns the bytes it used (head
/// and body). Otherwise returns 0 and leaves `out` empty, with its options, for ResponseParser.
/// The simple form: `HTTP/1.1`; a status of 200-299 other than 204, or 400-599; a reason and
/// field values without control characters other than HTAB; field names of token characters; no
/// obs-fold; exactly one Content-Length (digits, within out.body_limit); no Transfer-Encoding,
/// Upgrade or Proxy-Connection; Connection, if present, `keep-alive` or `close`; the head within
/// kSimpleHeadLimit and the whole body in `bytes`; not the response to a HEAD request.
std::size_t ParseSimpleResponse(std::string_view bytes, ParsedResponse& out);

}  // namespace throng::engine
