// A per-virtual-user cookie store following RFC 6265 (no public-suffix list: load targets are
// operator-chosen hosts, not arbitrary sites).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace throng::engine {

/// One stored cookie. `domain` is lower-case without a leading dot.
struct Cookie {
  std::string name;
  std::string value;
  std::string domain;
  std::string path;
  /// True when Set-Cookie had no Domain attribute: only the exact host gets it back.
  bool host_only = true;
  bool secure = false;
  bool http_only = false;
  /// nullopt: a session cookie (lives as long as the jar).
  std::optional<std::chrono::system_clock::time_point> expires;
};

/// Holds one virtual user's cookies. Not thread-safe (one jar per user, used on one worker).
class CookieJar {
 public:
  using Clock = std::chrono::system_clock;
  /// Source of the current time; injectable so expiry is testable without sleeping.
  using NowFunction = std::function<Clock::time_point()>;

  explicit CookieJar(NowFunction now = &Clock::now);

  /// Applies one Set-Cookie header value received from `host` for a request to `request_path`
  /// (the path part of the target, query excluded or not). Invalid or foreign-domain cookies are
  /// ignored, as a browser would; an already-expired cookie deletes the stored one.
  void SetFromHeader(std::string_view set_cookie, std::string_view host,
                     std::string_view request_path);

  /// Writes the Cookie header value for a request to `host` + `path` into `out` (cleared first;
  /// empty when nothing matches). `secure_channel` is false for plain http: Secure cookies are
  /// then withheld and the return value is true when at least one would otherwise have matched.
  bool BuildHeader(std::string_view host, std::string_view path, bool secure_channel,
                   std::string& out) const;

  /// Value of the first live cookie called `name` (any domain/path), or empty.
  std::string Value(std::string_view name) const;

  /// Live cookies (expired ones are dropped lazily).
  std::size_t Size() const;
  bool Empty() const { return cookies_.empty(); }
  void Clear() { cookies_.clear(); }

 private:
  bool Expired(const Cookie& cookie, Clock::time_point now) const;

  NowFunction now_;
  std::vector<Cookie> cookies_;
};

/// Parses a cookie date (RFC 6265 section 5.1.1, accepts IMF-fixdate, RFC 850 and asctime forms).
std::optional<std::chrono::system_clock::time_point> ParseCookieDate(std::string_view text);

}  // namespace throng::engine
