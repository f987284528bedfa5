// Base URL and HTTP client options.
#include <algorithm>
#include <boost/algorithm/string/case_conv.hpp>
#include <charconv>

#include "spec_parts.h"
#include "spec_support.h"

namespace throng::api::spec {
namespace {

constexpr std::uint64_t kMaxBodyBytesLimit = 1ULL << 30;
// python-requests' own default (Locust's HttpUser): a longer chain is a loop, not a site.
constexpr std::uint32_t kMaxRedirectsLimit = 30;

std::string Lower(std::string_view text) {
  return boost::algorithm::to_lower_copy(std::string(text), std::locale::classic());
}

std::uint16_t ParsePort(std::string_view text, const FieldPath& path) {
  unsigned port = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || port == 0 ||
      port > 65535) {
    Fail(path, "invalid port \"" + std::string(text) + "\" (expected 1..65535)");
  }
  return static_cast<std::uint16_t>(port);
}

// Splits "host[:port]" where host may be a bracketed IPv6 literal.
void ParseAuthority(std::string_view authority, const FieldPath& path, engine::HttpPlan& http) {
  if (authority.find('@') != std::string_view::npos) {
    Fail(path, "base_url must not contain user info (put credentials in headers)");
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) Fail(path, "unclosed '[' in IPv6 host");
    host = authority.substr(1, close - 1);
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) Fail(path, "unexpected text after IPv6 host");
    port = rest;
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon);
  }
  if (host.empty()) Fail(path, "base_url needs a host");
  http.host = Lower(host);
  // `port` still holds its ':' so that "host:" is told apart from "host".
  if (!port.empty()) http.port = ParsePort(port.substr(1), path);
}

}  // namespace

void ConvertBaseUrl(std::string_view url, const FieldPath& path, engine::HttpPlan& http) {
  if (url.empty()) Fail(path, "required, e.g. \"http://127.0.0.1:8000\"");
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    Fail(path, "expected scheme://host[:port][/path], e.g. \"http://127.0.0.1:8000\"");
  }
  http.scheme = Lower(url.substr(0, scheme_end));
  if (http.scheme != "http" && http.scheme != "https") {
    Fail(path, "base_url scheme must be http or https, not \"" + http.scheme + "\"");
  }
  http.port = http.scheme == "https" ? 443 : 80;
  const std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) {
    Fail(path, "base_url must not have a query or fragment");
  }
  if (rest.find_first_of(" \t\r\n") != std::string_view::npos) {
    Fail(path, "base_url must not contain whitespace");
  }
  const auto slash = rest.find('/');
  ParseAuthority(rest.substr(0, slash), path, http);
  http.base_path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
  while (!http.base_path.empty() && http.base_path.back() == '/') http.base_path.pop_back();
}

void ConvertHttpOptions(const v1::HttpOptions& options, const FieldPath& path,
                        engine::HttpPlan& http) {
  http.connect_timeout =
      PositiveDurationOr(options.has_connect_timeout(), options.connect_timeout(),
                         path.Field("connect_timeout"), http.connect_timeout);
  http.request_timeout =
      PositiveDurationOr(options.has_request_timeout(), options.request_timeout(),
                         path.Field("request_timeout"), http.request_timeout);
  http.insecure_skip_verify = options.insecure_skip_verify();
  if (options.max_body_bytes() > kMaxBodyBytesLimit) {
    Fail(path.Field("max_body_bytes"), "must be <= " + std::to_string(kMaxBodyBytesLimit));
  }
  if (options.max_body_bytes() != 0) http.max_body_bytes = options.max_body_bytes();
  http.keep_alive = !options.disable_keep_alive();
  if (options.max_redirects() > kMaxRedirectsLimit) {
    Fail(path.Field("max_redirects"), "must be <= " + std::to_string(kMaxRedirectsLimit));
  }
  if (options.has_follow_redirects() && !options.follow_redirects()) {
    if (options.max_redirects() != 0) {
      Fail(path.Field("max_redirects"), "needs follow_redirects (it is false)");
    }
    http.max_redirects = 0;
  } else if (options.max_redirects() != 0) {
    http.max_redirects = options.max_redirects();
  }
}

}  // namespace throng::api::spec
