#include "throng/engine/redirect_location.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace throng::engine {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool FitsARequestLine(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c <= 0x20 || c == 0x7f;
  });
}

// "host[:port]" or "[v6][:port]" into `origin` (its scheme already set).
bool ParseAuthority(std::string_view authority, Origin& origin) {
  if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return false;
    host = authority.substr(1, close - 1);
    port = authority.substr(close + 1);
    if (!port.empty() && port.front() != ':') return false;
  } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon);
  }
  if (host.empty()) return false;
  origin.host = Lower(host);
  origin.port = origin.scheme == "https" ? 443 : 80;
  if (port.size() > 1) {
    unsigned value = 0;
    const auto digits = port.substr(1);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size() || value == 0 ||
        value > 65535) {
      return false;
    }
    origin.port = static_cast<std::uint16_t>(value);
  }
  return true;
}

// "//authority/path" (the scheme already consumed) into `hop`.
bool ParseNetworkPath(std::string_view rest, RedirectHop& hop) {
  rest.remove_prefix(2);
  const std::size_t slash = rest.find_first_of("/?");
  if (!ParseAuthority(rest.substr(0, slash), hop.origin)) return false;
  hop.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (hop.target.front() == '?') hop.target.insert(hop.target.begin(), '/');
  return true;
}

}  // namespace

bool IsRedirectStatus(unsigned status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::optional<RedirectHop> ResolveRedirect(const Origin& origin, std::string_view target,
                                           std::string_view location) {
  location = location.substr(0, location.find('#'));
  if (location.empty() || !FitsARequestLine(location)) return std::nullopt;
  RedirectHop hop{origin, {}};
  const std::size_t colon = location.find(':');
  const std::size_t first_delimiter = location.find_first_of("/?");
  if (colon != std::string_view::npos && colon < first_delimiter) {
    hop.origin.scheme = Lower(location.substr(0, colon));
    if (hop.origin.scheme != "http" && hop.origin.scheme != "https") return std::nullopt;
    const std::string_view rest = location.substr(colon + 1);
    if (!rest.starts_with("//") || !ParseNetworkPath(rest, hop)) return std::nullopt;
    return hop;
  }
  if (location.starts_with("//")) {
    if (!ParseNetworkPath(location, hop)) return std::nullopt;
    return hop;
  }
  if (location.front() == '/') {
    hop.target = std::string(location);
  } else if (location.front() == '?') {
    hop.target = std::string(target.substr(0, target.find('?'))) + std::string(location);
  } else {
    const std::string_view path = target.substr(0, target.find('?'));
    hop.target = std::string(path.substr(0, path.rfind('/') + 1)) + std::string(location);
    if (hop.target.empty() || hop.target.front() != '/') hop.target.insert(hop.target.begin(), '/');
  }
  return hop;
}

}  // namespace throng::engine
