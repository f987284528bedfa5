// The accept loop of the suite's small in-process servers.
#pragma once

// clang-format off
#include <utility>  // first: Asio 1.18 awaitable.hpp uses std::exchange without including it
// clang-format on

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace throng::test_support {

/// Accepts connections on `acceptor` until it is closed (or fails), counting each in `accepted`
/// and handing its socket to `serve(socket)`. Runs on the acceptor's executor; the caller owns
/// the acceptor and the counter, which must outlive the loop.
template <typename Serve>
boost::asio::awaitable<void> AcceptEach(boost::asio::ip::tcp::acceptor& acceptor,
                                        std::atomic<int>& accepted, Serve serve) {
  for (;;) {
    boost::system::error_code ec;
    boost::asio::ip::tcp::socket socket =
        co_await acceptor.async_accept(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (ec) co_return;
    ++accepted;
    serve(std::move(socket));
  }
}

}  // namespace throng::test_support
