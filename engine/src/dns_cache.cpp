#include "throng/engine/dns_cache.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace throng::engine {

namespace asio = boost::asio;
using asio::ip::tcp;

std::string DnsCache::Key(std::string_view host, std::uint16_t port) {
  std::string key(host);
  key += ':';
  key += std::to_string(port);
  return key;
}

asio::awaitable<boost::system::error_code> DnsCache::Resolve(std::string_view host,
                                                             std::uint16_t port, Endpoints& out) {
  std::string key = Key(host, port);
  if (auto it = entries_.find(key); it != entries_.end()) {
    out.assign(it->second.begin(), it->second.end());
    co_return boost::system::error_code{};
  }
  ++resolutions_;
  boost::system::error_code ec;
  tcp::resolver resolver(io_);
  const auto results = co_await resolver.async_resolve(
      std::string(host), std::to_string(port), tcp::resolver::numeric_service,
      asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return ec;
  if (results.empty()) co_return asio::error::host_not_found;
  out.clear();
  for (const auto& entry : results) out.push_back(entry.endpoint());
  entries_.insert_or_assign(std::move(key), out);
  co_return boost::system::error_code{};
}

void DnsCache::Invalidate(std::string_view host, std::uint16_t port) {
  entries_.erase(Key(host, port));
}

}  // namespace throng::engine
