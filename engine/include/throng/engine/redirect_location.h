// Where a redirect's Location header points, resolved against the request it answers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace throng::engine {

/// Scheme, host and port of a connection target.
struct Origin {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower case; an IPv6 literal without brackets
  std::uint16_t port = 80;
  friend bool operator==(const Origin&, const Origin&) = default;
};

/// A redirect's next hop: its origin and origin-form target ("/path?query").
struct RedirectHop {
  Origin origin;
  std::string target;
};

/// Resolves `location` (absolute http(s) URL, "//host/path", "/path" or a relative path) against
/// the answered request's `origin` and `target` (RFC 9110 section 10.2.2, RFC 3986 section 5,
/// without dot-segment removal: the server sees the path as written). The fragment is dropped.
/// nullopt for another scheme, user info, a bad port, or a byte that may not appear in a
/// request line (control characters, space). Pure; thread-safe.
std::optional<RedirectHop> ResolveRedirect(const Origin& origin, std::string_view target,
                                           std::string_view location);

/// 301, 302, 303, 307 and 308.
bool IsRedirectStatus(unsigned status);

}  // namespace throng::engine
