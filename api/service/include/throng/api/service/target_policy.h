// Which hosts a job may send load to (the daemon's --allow-target list).
#pragma once

#include <atomic>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "throng/engine/target_guard.h"

namespace throng::api {

/// Allow-list of load targets: IPv4/IPv6 networks (CIDR or single address) and host names
/// ("staging.example.com", or "*.example.com" for any subdomain). A host name that is not listed is
/// resolved and allowed only if every address it resolves to lies in an allowed network, so a name
/// cannot smuggle load to a non-listed address. Thread-safe: Replace() swaps the whole list at
/// once, so a check sees the old list or the new one, never a mix. As the engine's TargetGuard it
/// judges every connect (redirect hops included) on the addresses resolved for it.
class TargetPolicy final : public engine::TargetGuard {
 public:
  /// Resolves a host name to its addresses; returns an empty list when it does not resolve.
  using Resolver = std::function<std::vector<boost::asio::ip::address>(const std::string& host)>;

  /// The default list: 127.0.0.0/8, ::1 and "localhost".
  static std::vector<std::string> DefaultEntries();

  /// Parses `entries` (replacing the default list). Throws std::invalid_argument naming the bad
  /// entry. `resolver` defaults to the system resolver (getaddrinfo).
  explicit TargetPolicy(const std::vector<std::string>& entries = DefaultEntries(),
                        Resolver resolver = {});

  /// Why load to `host` (a name, an IPv4 literal, or an IPv6 literal with or without brackets) is
  /// refused, or nullopt when it is allowed. May block on DNS for names not in the list.
  std::optional<std::string> Denial(const std::string& host) const;

  /// The same rule on addresses resolved by the caller (the engine, at connect time): a host
  /// listed by name is allowed wherever it resolves; otherwise every address must be allowed.
  /// Never blocks.
  std::optional<std::string> ConnectDenial(
      const std::string& host,
      const std::vector<boost::asio::ip::address>& addresses) const override;

  /// Replaces the list with `entries` (SIGHUP's reload); checks under way finish with the old
  /// one. Throws std::invalid_argument naming the bad entry, and then keeps the old list.
  void Replace(const std::vector<std::string>& entries);

 private:
  struct Lists {
    std::vector<boost::asio::ip::network_v4> networks_v4;
    std::vector<boost::asio::ip::network_v6> networks_v6;
    std::vector<std::string> names;  // lower case; "*.x" matches subdomains of x
  };
  static std::shared_ptr<const Lists> Parse(const std::vector<std::string>& entries);
  static bool AddressAllowed(const Lists& lists, const boost::asio::ip::address& address);
  static bool NameListed(const Lists& lists, const std::string& lower_host);
  /// Every one of `addresses` (non-empty) must be allowed.
  static std::optional<std::string> ResolvedDenial(
      const Lists& lists, const std::string& host,
      const std::vector<boost::asio::ip::address>& addresses);

  std::atomic<std::shared_ptr<const Lists>> lists_;
  Resolver resolver_;
};

}  // namespace throng::api
