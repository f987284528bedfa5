// The steps of one request/response exchange over a connected plain TCP socket, without Beast's
// stream layer. They do not wait: the caller's coroutine awaits between them (see
// BeastSender::Exchange), so an exchange costs no coroutine frame of its own.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <cstddef>

#include "http_response_parser.h"
#include "request_deadline.h"
#include "throng/engine/http_types.h"

namespace throng::engine {

/// One non-blocking send of `request` on `socket` (in non-blocking mode): how much of it the
/// socket took, 0 when it would block (the caller writes the rest asynchronously). In the common
/// case the socket takes it whole, with no scheduler round trip.
std::size_t SendNow(boost::asio::ip::tcp::socket& socket, boost::asio::const_buffer request,
                    boost::system::error_code& ec);

/// What ReadAvailable left to do.
enum class PlainRead {
  kFinished,    // the response is complete, or `ec` says why it cannot be
  kWouldBlock,  // the socket has nothing more yet: wait until it is readable, then call again
};

/// Reads what `socket` holds straight into `buffer` (no Beast stream, per-operation timer or
/// composed operation) and parses it: a whole response in the common form with
/// ParseSimpleResponse into parser.output(), any other with `parser` the way Beast's http::read
/// does (eager parsing, EOF completes a response without a length, else it is end_of_stream).
/// Adds the bytes parsed to
/// `out.bytes_received`; `buffer` keeps what follows the response for the next one. A `deadline`
/// that passed while nothing was pending (so it cancelled nothing) ends the read with timed_out.
PlainRead ReadAvailable(boost::asio::ip::tcp::socket& socket, boost::beast::flat_buffer& buffer,
                        ResponseParser& parser, const RequestDeadline& deadline, HttpResponse& out,
                        boost::system::error_code& ec);

}  // namespace throng::engine
