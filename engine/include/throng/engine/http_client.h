// The Boost.Beast implementation of RequestSender: HTTP/1.1 over TCP or TLS with keep-alive,
// cookies, timeouts, a body cap and failure classification.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "throng/engine/dns_cache.h"
#include "throng/engine/host_resolver.h"
#include "throng/engine/request_sender.h"
#include "throng/engine/target_guard.h"

namespace throng::engine {

/// Where and how the senders of one job connect.
struct HttpClientOptions {
  std::string scheme = "http";  // "http" or "https"
  std::string host;
  std::uint16_t port = 80;
  /// Covers resolve, TCP connect and the TLS handshake.
  std::chrono::nanoseconds connect_timeout = std::chrono::seconds(5);
  /// Covers writing the request and reading the whole response; HttpRequest::timeout overrides.
  std::chrono::nanoseconds request_timeout = std::chrono::seconds(30);
  bool insecure_skip_verify = false;
  std::uint64_t max_body_bytes = 10 * 1024 * 1024;
  bool keep_alive = true;
  /// Sent unless the request carries its own User-Agent.
  std::string user_agent = "throng/0.1";
  /// Redirect hops a request follows (0: a 3xx is returned as the response).
  std::uint32_t max_redirects = 0;
  /// Judges the resolved addresses before every connect; null: no check. Not owned.
  const TargetGuard* target_guard = nullptr;
};

/// Creates Beast senders for one worker thread. Owns that thread's DNS cache and TLS context, so
/// the senders share them without locks. Must outlive every sender it created; use only on the
/// thread running `io`.
class BeastSenderFactory final : public RequestSenderFactory {
 public:
  /// Throws std::invalid_argument naming the field when `options` is unusable (scheme, host).
  /// `resolver` null: a DnsCache over the system resolver.
  BeastSenderFactory(boost::asio::io_context& io, HttpClientOptions options,
                     std::unique_ptr<HostResolver> resolver = nullptr);
  ~BeastSenderFactory() override;

  std::unique_ptr<RequestSender> Create() override;

  const HttpClientOptions& options() const { return options_; }
  boost::asio::io_context& io() { return io_; }
  HostResolver& resolver() { return *resolver_; }
  /// The TLS client context (https only, else nullptr). Tests may add trust anchors to it before
  /// the first Create().
  boost::asio::ssl::context* tls_context() { return tls_context_ ? &*tls_context_ : nullptr; }
  /// Host header value: host, plus ":port" when the port is not the scheme's default.
  const std::string& host_header() const { return host_header_; }
  /// Lower-case host, as the cookie jar compares it.
  const std::string& cookie_host() const { return cookie_host_; }

 private:
  boost::asio::io_context& io_;
  HttpClientOptions options_;
  std::unique_ptr<HostResolver> resolver_;
  std::optional<boost::asio::ssl::context> tls_context_;
  std::string host_header_;
  std::string cookie_host_;
};

}  // namespace throng::engine
