#include "plain_exchange.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/error.hpp>

#include "throng/engine/loop_yield.h"

namespace throng::engine {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

// Beast's read_some bound: at most this much is prepared for one read.
constexpr std::size_t kMaxReadSize = 65536;

// One non-blocking send: how much of `request` the socket took (0 when it would block).
std::size_t WriteNow(asio::ip::tcp::socket& socket, asio::const_buffer request, error_code& ec) {
  const std::size_t written = socket.write_some(request, ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    ec.clear();
    return 0;
  }
  return written;
}

// Parses what `buffer` holds; true when that needs no more input (done or an error in `ec`).
bool ParseBuffered(beast::flat_buffer& buffer, ResponseParser& parser, HttpResponse& out,
                   error_code& ec) {
  while (buffer.size() > 0) {
    const std::size_t used = parser.put(buffer.data(), ec);
    out.bytes_received += used;
    buffer.consume(used);
    if (ec == http::error::need_more) {
      ec.clear();
      return false;
    }
    if (ec || parser.is_done()) return true;
    if (used == 0) return false;
  }
  return false;
}

}  // namespace

// Written as one coroutine (no nested frames): the send usually completes in place, and every
// read goes straight to the socket.
asio::awaitable<HttpOutcome> ExchangePlain(asio::ip::tcp::socket& socket,
                                           asio::const_buffer request, beast::flat_buffer& buffer,
                                           ResponseParser& parser, RequestDeadline& deadline,
                                           std::chrono::steady_clock::time_point expires_at,
                                           HttpResponse& out) {
  deadline.Start(socket, expires_at);
  HttpOutcome outcome{{}, HttpPhase::kWrite};
  error_code& ec = outcome.ec;
  std::size_t written = WriteNow(socket, request, ec);
  if (!ec && written < request.size()) {
    written += co_await asio::async_write(socket, request + written,
                                          asio::redirect_error(asio::use_awaitable, ec));
  }
  out.bytes_sent += written;
  if (!ec) {
    outcome.phase = HttpPhase::kRead;
    parser.eager(true);
    // The response cannot be there a moment after the send, so the read waits for the loop's
    // other ready handlers first (a post): that gives the server time to answer. Then the read is
    // tried in place, without a reactor operation and the scheduler round trip that completing
    // one costs; only when the socket has nothing yet (or a response needs more) does the
    // exchange wait for readability.
    if (buffer.size() == 0) co_await PostToLoop(socket.get_executor());
    while (!ParseBuffered(buffer, parser, out, ec)) {
      const std::size_t size = beast::read_size(buffer, kMaxReadSize);
      if (size == 0) {
        ec = http::error::buffer_overflow;
        break;
      }
      std::size_t read = socket.read_some(buffer.prepare(size), ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again) {
        // A deadline that passed while nothing was pending (during the post) cancelled nothing.
        if (deadline.Expired()) {
          ec = asio::error::timed_out;
          break;
        }
        ec.clear();
        co_await socket.async_wait(asio::socket_base::wait_read,
                                   asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        continue;
      }
      buffer.commit(read);
      if (ec == asio::error::eof) {
        // Like Beast's read: EOF completes a response without a length, else it is a close.
        if (!parser.got_some()) {
          ec = http::error::end_of_stream;
        } else {
          ec.clear();
          parser.put_eof(ec);
        }
        break;
      }
      if (ec) break;
    }
  }
  if (ec && deadline.Expired()) ec = beast::error::timeout;
  deadline.Stop();
  co_return outcome;
}

}  // namespace throng::engine
