#include "throng/api/service/target_policy.h"

#include <algorithm>
#include <boost/algorithm/string/case_conv.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <cctype>
#include <stdexcept>

namespace throng::api {
namespace {

namespace ip = boost::asio::ip;

std::string ToLower(const std::string& text) {
  return boost::algorithm::to_lower_copy(text, std::locale::classic());
}

std::string StripBrackets(const std::string& host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

std::optional<ip::address> ParseAddress(const std::string& text) {
  boost::system::error_code ec;
  ip::address address = ip::make_address(StripBrackets(text), ec);
  if (ec) return std::nullopt;
  // An IPv4-mapped IPv6 address reaches the IPv4 host, so judge it as that host.
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  return address;
}

bool IsHostName(const std::string& entry) {
  if (entry.empty() || entry.size() > 253) return false;
  return std::all_of(entry.begin(), entry.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_';
  });
}

std::vector<ip::address> ResolveWithSystem(const std::string& host) {
  boost::asio::io_context io;
  ip::tcp::resolver resolver(io);
  boost::system::error_code ec;
  auto results = resolver.resolve(host, "", ec);
  std::vector<ip::address> addresses;
  if (ec) return addresses;
  for (const auto& entry : results) addresses.push_back(entry.endpoint().address());
  return addresses;
}

}  // namespace

std::vector<std::string> TargetPolicy::DefaultEntries() {
  return {"127.0.0.0/8", "::1", "localhost"};
}

TargetPolicy::TargetPolicy(const std::vector<std::string>& entries, Resolver resolver)
    : lists_(Parse(entries)),
      resolver_(resolver ? std::move(resolver) : Resolver(ResolveWithSystem)) {}

void TargetPolicy::Replace(const std::vector<std::string>& entries) {
  lists_.store(Parse(entries));
}

std::shared_ptr<const TargetPolicy::Lists> TargetPolicy::Parse(
    const std::vector<std::string>& entries) {
  auto lists = std::make_shared<Lists>();
  for (const std::string& raw : entries) {
    const std::string entry = ToLower(raw);
    boost::system::error_code ec;
    if (entry.find('/') != std::string::npos) {
      if (entry.find(':') != std::string::npos) {
        lists->networks_v6.push_back(ip::make_network_v6(entry, ec));
      } else {
        lists->networks_v4.push_back(ip::make_network_v4(entry, ec).canonical());
      }
      if (ec) throw std::invalid_argument("allow-target: bad CIDR network '" + raw + "'");
      continue;
    }
    if (auto address = ParseAddress(entry)) {
      if (address->is_v4()) {
        lists->networks_v4.emplace_back(address->to_v4(), 32);
      } else {
        lists->networks_v6.emplace_back(address->to_v6(), 128);
      }
      continue;
    }
    const bool wildcard = entry.rfind("*.", 0) == 0;
    if (!IsHostName(wildcard ? entry.substr(2) : entry)) {
      throw std::invalid_argument("allow-target: '" + raw +
                                  "' is neither a CIDR network, an address nor a host name");
    }
    lists->names.push_back(entry);
  }
  return lists;
}

bool TargetPolicy::NameListed(const Lists& lists, const std::string& lower_host) {
  for (const std::string& name : lists.names) {
    if (name == lower_host) return true;
    if (name.rfind("*.", 0) == 0) {
      const std::string suffix = name.substr(1);  // ".example.com"
      if (lower_host.size() > suffix.size() &&
          lower_host.compare(lower_host.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return true;
      }
    }
  }
  return false;
}

bool TargetPolicy::AddressAllowed(const Lists& lists, const ip::address& address) {
  if (address.is_v4()) {
    const ip::network_v4 host(address.to_v4(), 32);
    return std::any_of(
        lists.networks_v4.begin(), lists.networks_v4.end(),
        [&](const ip::network_v4& net) { return host.is_subnet_of(net) || host == net; });
  }
  const ip::network_v6 host(address.to_v6(), 128);
  return std::any_of(
      lists.networks_v6.begin(), lists.networks_v6.end(),
      [&](const ip::network_v6& net) { return host.is_subnet_of(net) || host == net; });
}

std::optional<std::string> TargetPolicy::Denial(const std::string& host) const {
  if (host.empty()) return "target host is empty";
  const std::shared_ptr<const Lists> lists = lists_.load();
  if (auto address = ParseAddress(host)) {
    if (AddressAllowed(*lists, *address)) return std::nullopt;
    return "target " + address->to_string() + " is not in the daemon's --allow-target list";
  }
  if (NameListed(*lists, ToLower(host))) return std::nullopt;
  return ResolvedDenial(*lists, host, resolver_(host));
}

std::optional<std::string> TargetPolicy::ConnectDenial(
    const std::string& host, const std::vector<ip::address>& addresses) const {
  const std::shared_ptr<const Lists> lists = lists_.load();
  if (!ParseAddress(host) && NameListed(*lists, ToLower(host))) return std::nullopt;
  return ResolvedDenial(*lists, host, addresses);
}

std::optional<std::string> TargetPolicy::ResolvedDenial(const Lists& lists, const std::string& host,
                                                        const std::vector<ip::address>& addresses) {
  if (addresses.empty()) {
    return "target host '" + host + "' is not in the --allow-target list and does not resolve";
  }
  for (const ip::address& resolved : addresses) {
    auto address = ParseAddress(resolved.to_string());
    if (!address || !AddressAllowed(lists, *address)) {
      return "target host '" + host + "' resolves to " + resolved.to_string() +
             ", which is not in the daemon's --allow-target list";
    }
  }
  return std::nullopt;
}

}  // namespace throng::api
