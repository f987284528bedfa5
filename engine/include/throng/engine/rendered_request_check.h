// The last check before a rendered request may go to the wire: templates can render any byte
// (an extracted value, a feeder cell, a variable), and a CR or LF in a header or the request line
// would let them write header lines of their own.
#pragma once

#include <optional>
#include <string>

#include "throng/engine/http_types.h"

namespace throng::engine {

/// Why `request` must not be sent, or nullopt when it may: a CR, LF or NUL byte in the method,
/// the target, a header name or a header value. The message names the header, never a value.
/// Pure; thread-safe.
std::optional<std::string> RenderedRequestProblem(const HttpRequest& request);

}  // namespace throng::engine
