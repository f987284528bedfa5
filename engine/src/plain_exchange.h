// One request/response exchange over a connected plain TCP socket, without Beast's stream layer.
#pragma once

// clang-format off
// Boost 1.74 awaitable.hpp uses std::exchange without including <utility>: it must come first.
#include <utility>
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>

#include "http_failure.h"
#include "http_response_parser.h"
#include "request_deadline.h"
#include "throng/engine/http_types.h"

namespace throng::engine {

/// Writes `request` and reads one response into `parser` over `socket` (connected, in
/// non-blocking mode), the way wrk does: the request goes out with one non-blocking send (no
/// scheduler round trip when the socket takes it whole, the common case; the rest is written
/// asynchronously), the response is read with reactor-driven reads straight on the socket (no
/// Beast stream, per-operation timer or composed operation) and fed to the parser as Beast's
/// http::read does (eager, EOF ends a response without a length). `deadline` bounds the whole
/// exchange (it ends at `expires_at`); its expiry is reported as beast::error::timeout. Adds the
/// bytes written and parsed to `out`. `buffer` keeps what follows the response for the next one.
boost::asio::awaitable<HttpOutcome> ExchangePlain(boost::asio::ip::tcp::socket& socket,
                                                  boost::asio::const_buffer request,
                                                  boost::beast::flat_buffer& buffer,
                                                  ResponseParser& parser, RequestDeadline& deadline,
                                                  std::chrono::steady_clock::time_point expires_at,
                                                  HttpResponse& out);

}  // namespace throng::engine
