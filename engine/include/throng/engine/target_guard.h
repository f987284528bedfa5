// The seam through which the HTTP client asks whether it may connect: the operator's allow-list
// lives outside the engine (api::TargetPolicy implements this interface).
#pragma once

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string>
#include <vector>

namespace throng::engine {

/// Decides, just before a connect and after resolution, whether `host` at `addresses` may be
/// loaded. Implementations must be thread-safe (every worker calls it) and must not block.
class TargetGuard {
 public:
  virtual ~TargetGuard() = default;

  /// Why connecting to `host` (as written in the URL) at `addresses` (what it resolved to now)
  /// is refused, or nullopt when it is allowed.
  virtual std::optional<std::string> ConnectDenial(
      const std::string& host, const std::vector<boost::asio::ip::address>& addresses) const = 0;
};

}  // namespace throng::engine
