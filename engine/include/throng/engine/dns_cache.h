// Per-worker cache of host:port resolutions, so virtual users do not resolve on every connect.
#pragma once

// clang-format off
// Boost 1.74 awaitable.hpp uses std::exchange without including <utility>: it must come first.
#include <utility>
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "throng/engine/host_resolver.h"

namespace throng::engine {

/// Resolves once per host:port and remembers the endpoints until Invalidate. Not thread-safe: one
/// cache per worker io_context. Concurrent misses for one key may each resolve (rare, harmless).
class DnsCache final : public HostResolver {
 public:
  explicit DnsCache(boost::asio::io_context& io) : io_(io) {}

  /// Fills `out` (reusing its capacity) with the endpoints of host:port. Returns the resolver's
  /// error (e.g. host_not_found) instead of throwing; failures are not cached.
  boost::asio::awaitable<boost::system::error_code> Resolve(std::string_view host,
                                                            std::uint16_t port,
                                                            Endpoints& out) override;

  /// Forgets host:port so the next Resolve asks the resolver again (after a connect failure).
  void Invalidate(std::string_view host, std::uint16_t port) override;

  /// How many times the system resolver was asked (for tests and diagnostics).
  std::size_t resolutions() const { return resolutions_; }

 private:
  static std::string Key(std::string_view host, std::uint16_t port);

  boost::asio::io_context& io_;
  std::unordered_map<std::string, Endpoints> entries_;
  std::size_t resolutions_ = 0;
};

}  // namespace throng::engine
