#pragma once

#include <boost/system/system_error.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace throng::test_support {

/// A parsed HTTP response. Header names are lower-cased; repeated headers keep every value.
struct HttpTestResponse {
  int status = 0;
  std::multimap<std::string, std::string> headers;
  std::string body;

  /// First value of header `name` (any case), or "" when absent.
  std::string Header(std::string_view name) const;
};

using HttpTestHeaders = std::vector<std::pair<std::string, std::string>>;

/// Thrown when the exchange fails at the transport or parse level (refused, reset, timeout,
/// malformed response). code() is the Asio/Beast error, e.g. asio::error::connection_reset.
class HttpTestError : public boost::system::system_error {
 public:
  using boost::system::system_error::system_error;
};

/// Sends one HTTP/1.1 request on a fresh connection and reads the response, all within
/// `timeout`. When `body` is non-empty and no Content-Type is given, it is sent as
/// application/json. Throws HttpTestError on transport or parse failure; any status is returned.
/// Thread-safe (no shared state).
HttpTestResponse Request(const std::string& host, uint16_t port, std::string_view method,
                         std::string_view target, std::string_view body = "",
                         const HttpTestHeaders& headers = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace throng::test_support
