// The per-virtual-user Beast sender behind BeastSenderFactory (private to the engine).
#pragma once

// clang-format off
// Boost 1.74 awaitable.hpp uses std::exchange without including <utility>: it must come first.
#include <utility>
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "http_failure.h"
#include "http_response_parser.h"
#include "request_deadline.h"
#include "throng/engine/cookie_jar.h"
#include "throng/engine/http_client.h"

namespace throng::engine {

/// One virtual user's connection (plain or TLS), buffers and cookie jar. Not thread-safe; one
/// Exchange at a time. Buffers and the request object are reused across requests.
class BeastSender final : public RequestSender {
 public:
  explicit BeastSender(BeastSenderFactory& factory);

  boost::asio::awaitable<void> Exchange(const HttpRequest& request, HttpResponse& out) override;
  std::string CookieValue(std::string_view name) const override;
  void Close() override;

 private:
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  using Outcome = HttpOutcome;

  boost::asio::awaitable<Outcome> Connect();
  /// Over TLS, through Beast's stream and http::async_read (plain TCP is written in Exchange).
  boost::asio::awaitable<Outcome> ExchangeTls(std::chrono::nanoseconds timeout, HttpResponse& out);
  /// A fresh parser over parsed_ for the response to the request in flight.
  ResponseParser& StartResponse();
  /// Serialises `request` (plus Host, User-Agent, cookies, Content-Length) into wire_, unless
  /// wire_ already holds this fixed request's bytes and no cookie is to be added.
  void PrepareRequest(const HttpRequest& request, HttpResponse& out);
  void AppendHeader(std::string_view name, std::string_view value);
  /// Moves the parsed response into `out`: the headers only when kept (or a redirect), the body
  /// only when kept; Set-Cookie fields go to the jar either way.
  void TakeResponse(HttpResponse& out);
  boost::beast::tcp_stream& Lowest();
  void CloseSocket();

  BeastSenderFactory& factory_;
  const HttpClientOptions& options_;
  const bool tls_;
  bool connected_ = false;
  std::optional<boost::beast::tcp_stream> tcp_;
  std::optional<TlsStream> tls_stream_;
  boost::beast::flat_buffer buffer_;
  std::string wire_;                      // the serialised request, reused across requests
  const HttpRequest* wire_of_ = nullptr;  // the fixed request wire_ holds, sent without cookies
  std::string target_;                    // of the request in flight (cookie paths)
  bool is_head_ = false;
  bool keep_alive_ = true;
  std::optional<ResponseParser> parser_;
  RequestDeadline deadline_;  // plain TCP only (tcp_stream's timer bounds the TLS exchange)
  ParsedResponse parsed_;     // reused across responses
  bool keep_headers_ = true;
  bool keep_body_ = true;
  HostResolver::Endpoints endpoints_;
  std::string denial_;  // why the last connect was refused by the target guard
  CookieJar jar_;
  std::string cookie_header_;
};

}  // namespace throng::engine
