#include "plain_exchange.h"

#include <boost/asio/error.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/error.hpp>

#include "simple_response.h"

namespace throng::engine {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

// Beast's read_some bound: at most this much is prepared for one read.
constexpr std::size_t kMaxReadSize = 65536;

bool WouldBlock(const error_code& ec) {
  return ec == asio::error::would_block || ec == asio::error::try_again;
}

// Parses what `buffer` holds; true when that needs no more input (done or an error in `ec`).
// A whole response in the common form is read by ParseSimpleResponse; Beast's parser reads the
// rest (it consumes nothing of a head until the head is whole, so the fast path is tried again
// as bytes arrive, until Beast has started).
bool ParseBuffered(beast::flat_buffer& buffer, ResponseParser& parser, HttpResponse& out,
                   error_code& ec) {
  if (!parser.got_some() && buffer.size() > 0) {
    const std::size_t used = ParseSimpleResponse(
        std::string_view(static_cast<const char*>(buffer.data().data()), buffer.size()),
        parser.output());
    if (used > 0) {
      out.bytes_received += used;
      buffer.consume(used);
      return true;
    }
  }
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

std::size_t SendNow(asio::ip::tcp::socket& socket, asio::const_buffer request, error_code& ec) {
  const std::size_t written = socket.write_some(request, ec);
  if (WouldBlock(ec)) {
    ec.clear();
    return 0;
  }
  return written;
}

PlainRead ReadAvailable(asio::ip::tcp::socket& socket, beast::flat_buffer& buffer,
                        ResponseParser& parser, const RequestDeadline& deadline, HttpResponse& out,
                        error_code& ec) {
  while (!ParseBuffered(buffer, parser, out, ec)) {
    const std::size_t size = beast::read_size(buffer, kMaxReadSize);
    if (size == 0) {
      ec = http::error::buffer_overflow;
      return PlainRead::kFinished;
    }
    const std::size_t read = socket.read_some(buffer.prepare(size), ec);
    if (WouldBlock(ec)) {
      if (deadline.Expired()) {
        ec = asio::error::timed_out;
        return PlainRead::kFinished;
      }
      ec.clear();
      return PlainRead::kWouldBlock;
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
      return PlainRead::kFinished;
    }
    if (ec) return PlainRead::kFinished;
  }
  return PlainRead::kFinished;
}

}  // namespace throng::engine
