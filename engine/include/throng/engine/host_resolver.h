// The seam through which the HTTP client resolves host names (DnsCache is the real one; tests
// script answers, e.g. a name that resolves to an allowed address and then to another).
#pragma once

// clang-format off
// Boost 1.74 awaitable.hpp uses std::exchange without including <utility>: it must come first.
#include <utility>
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <string_view>
#include <vector>

namespace throng::engine {

/// Resolves host:port to endpoints for one worker's senders. Not thread-safe: one per worker
/// io_context, used from its thread only.
class HostResolver {
 public:
  using Endpoints = std::vector<boost::asio::ip::tcp::endpoint>;

  virtual ~HostResolver() = default;

  /// Fills `out` (reusing its capacity) with the endpoints of host:port; returns the resolver's
  /// error (e.g. host_not_found) instead of throwing.
  virtual boost::asio::awaitable<boost::system::error_code> Resolve(std::string_view host,
                                                                    std::uint16_t port,
                                                                    Endpoints& out) = 0;

  /// Forgets what is known of host:port (after a connect failure), if anything is cached.
  virtual void Invalidate(std::string_view host, std::uint16_t port) = 0;
};

}  // namespace throng::engine
