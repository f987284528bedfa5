// --fleet: a list of daemon addresses, or every address of a DNS name (a headless Service).
#include <netdb.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <memory>
#include <random>
#include <set>
#include <string_view>

#include "throng/cli/error.h"
#include "throng/cli/fleet.h"

namespace throng::cli {
namespace {

constexpr std::string_view kDnsScheme = "dns:///";
constexpr std::size_t kMaxAddressLength = 255;

// "HOST:PORT" with a numeric port 1..65535; HOST may be "[v6]".
void CheckAddress(const std::string& address) {
  const std::size_t colon = address.rfind(':');
  if (address.empty() || address.size() > kMaxAddressLength || colon == std::string::npos ||
      colon == 0 || colon + 1 == address.size()) {
    throw InputError("--fleet: \"" + address.substr(0, kMaxAddressLength) + "\" is not HOST:PORT");
  }
  const std::string port = address.substr(colon + 1);
  if (port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) || std::stoi(port) < 1 ||
      std::stoi(port) > 65535) {
    throw InputError("--fleet: \"" + address + "\": the port must be 1..65535");
  }
}

std::vector<std::string> Resolve(const std::string& target) {
  CheckAddress(target);
  const std::size_t colon = target.rfind(':');
  const std::string name = target.substr(0, colon);
  const std::string port = target.substr(colon + 1);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(name.c_str(), port.c_str(), &hints, &found); rc != 0) {
    throw InputError("--fleet: " + std::string(kDnsScheme) + target +
                     ": cannot resolve: " + ::gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(found, &::freeaddrinfo);
  std::set<std::string> addresses;
  for (const addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
    char host[NI_MAXHOST];
    if (::getnameinfo(entry->ai_addr, entry->ai_addrlen, host, sizeof host, nullptr, 0,
                      NI_NUMERICHOST) != 0) {
      continue;
    }
    const std::string text = host;
    addresses.insert((entry->ai_family == AF_INET6 ? "[" + text + "]" : text) + ":" + port);
  }
  if (addresses.empty()) {
    throw InputError("--fleet: " + std::string(kDnsScheme) + target + " has no addresses");
  }
  return {addresses.begin(), addresses.end()};
}

}  // namespace

std::vector<std::string> ResolveFleet(const std::string& text) {
  if (text.empty()) throw InputError("--fleet: give HOST:PORT,... or dns:///NAME:PORT");
  std::vector<std::string> addresses;
  if (text.starts_with(kDnsScheme)) {
    addresses = Resolve(text.substr(kDnsScheme.size()));
  } else {
    std::size_t start = 0;
    while (start <= text.size() && addresses.size() <= kMaxFleetDaemons) {
      const std::size_t comma = std::min(text.find(',', start), text.size());
      addresses.push_back(text.substr(start, comma - start));
      CheckAddress(addresses.back());
      start = comma + 1;
    }
  }
  if (addresses.size() > kMaxFleetDaemons) {
    throw InputError("--fleet: at most " + std::to_string(kMaxFleetDaemons) + " daemons");
  }
  std::set<std::string> seen;
  for (const std::string& address : addresses) {
    if (!seen.insert(address).second) {
      throw InputError("--fleet: " + address + " appears twice (one segment per daemon)");
    }
  }
  return addresses;
}

std::string NewRunId() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &utc);
  std::random_device random;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%04x", random() & 0xffffu);
  return std::string("fleet-") + stamp + "-" + suffix;
}

}  // namespace throng::cli
