#include "connect_guard.h"

#include <vector>

namespace throng::engine {

std::optional<std::string> ConnectDenial(const TargetGuard* guard, const std::string& host,
                                         const HostResolver::Endpoints& endpoints) {
  if (guard == nullptr) return std::nullopt;
  std::vector<boost::asio::ip::address> addresses;
  addresses.reserve(endpoints.size());
  for (const auto& endpoint : endpoints) addresses.push_back(endpoint.address());
  return guard->ConnectDenial(host, addresses);
}

}  // namespace throng::engine
