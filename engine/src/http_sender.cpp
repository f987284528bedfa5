#include "http_sender.h"

#include <openssl/ssl.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl.hpp>
#include <iterator>

#include "connect_guard.h"
#include "plain_exchange.h"
#include "throng/engine/loop_yield.h"

namespace throng::engine {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

bool IsIpLiteral(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

BeastSender::BeastSender(BeastSenderFactory& factory)
    : factory_(factory),
      options_(factory.options()),
      tls_(factory.tls_context() != nullptr),
      deadline_(factory.io()) {}

std::string BeastSender::CookieValue(std::string_view name) const { return jar_.Value(name); }

void BeastSender::Close() { CloseSocket(); }

beast::tcp_stream& BeastSender::Lowest() {
  return tls_ ? beast::get_lowest_layer(*tls_stream_) : *tcp_;
}

void BeastSender::CloseSocket() {
  connected_ = false;
  buffer_.clear();
  if (tls_ ? tls_stream_.has_value() : tcp_.has_value()) Lowest().close();
}

asio::awaitable<BeastSender::Outcome> BeastSender::Connect() {
  boost::system::error_code ec =
      co_await factory_.resolver().Resolve(options_.host, options_.port, endpoints_);
  if (ec) co_return Outcome{ec, HttpPhase::kResolve};
  // Judged on what the name resolves to now, before any socket exists (DNS rebinding).
  if (auto denial = ConnectDenial(options_.target_guard, options_.host, endpoints_)) {
    factory_.resolver().Invalidate(options_.host, options_.port);
    denial_ = std::move(*denial);
    co_return Outcome{asio::error::access_denied, HttpPhase::kConnect};
  }
  // Fresh stream objects per connection: an SSL stream cannot be reused after a shutdown.
  if (tls_) {
    tls_stream_.emplace(factory_.io(), *factory_.tls_context());
  } else {
    tcp_.emplace(factory_.io());
  }
  beast::tcp_stream& tcp = Lowest();
  tcp.expires_after(options_.connect_timeout);
  co_await tcp.async_connect(endpoints_, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    factory_.resolver().Invalidate(options_.host, options_.port);
    CloseSocket();
    co_return Outcome{ec, HttpPhase::kConnect};
  }
  boost::system::error_code ignored;
  tcp.socket().set_option(asio::ip::tcp::no_delay(true), ignored);
  // SendNow returns would_block instead of blocking the worker.
  if (!tls_) tcp.socket().non_blocking(true, ignored);
  if (tls_) {
    // SNI must not carry an IP literal (RFC 6066 section 3).
    if (!IsIpLiteral(options_.host)) {
      SSL_set_tlsext_host_name(tls_stream_->native_handle(), options_.host.c_str());
    }
    co_await tls_stream_->async_handshake(asio::ssl::stream_base::client,
                                          asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      CloseSocket();
      co_return Outcome{ec, HttpPhase::kHandshake};
    }
  }
  tcp.expires_never();
  connected_ = true;
  co_return Outcome{};
}

void BeastSender::AppendHeader(std::string_view name, std::string_view value) {
  wire_.append(name).append(": ").append(value).append("\r\n");
}

void BeastSender::PrepareRequest(const HttpRequest& request, HttpResponse& out) {
  // A fixed request sent again without cookies has the same bytes (and target_, is_head_, the
  // keep flags) as the last time.
  const bool reusable = request.fixed && jar_.Empty();
  if (reusable && wire_of_ == &request) return;
  wire_of_ = reusable ? &request : nullptr;
  // The request is serialised once into one contiguous buffer: a single iovec per write, no
  // per-request field container (profiling showed Beast's buffer-sequence walk among the top
  // user-space costs).
  wire_.clear();
  wire_.append(request.method).append(" ").append(request.target).append(" HTTP/1.1\r\n");
  target_ = request.target;
  is_head_ = beast::iequals(request.method, "HEAD");
  keep_headers_ = request.keep_response_headers;
  keep_body_ = request.keep_response_body;
  keep_alive_ = options_.keep_alive;
  bool has_host = false;
  bool has_user_agent = false;
  bool has_cookie = false;
  for (const auto& [name, value] : request.headers) {
    // The framing headers are the sender's: the body's real length is always sent.
    if (beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding"))
      continue;
    has_host = has_host || beast::iequals(name, "host");
    has_user_agent = has_user_agent || beast::iequals(name, "user-agent");
    has_cookie = has_cookie || beast::iequals(name, "cookie");
    if (beast::iequals(name, "connection") && beast::iequals(value, "close")) keep_alive_ = false;
    AppendHeader(name, value);
  }
  if (!has_host) AppendHeader("Host", factory_.host_header());
  if (!has_user_agent) AppendHeader("User-Agent", options_.user_agent);
  if (!options_.keep_alive) AppendHeader("Connection", "close");
  if (!jar_.Empty()) {
    out.withheld_secure_cookie =
        jar_.BuildHeader(factory_.cookie_host(), target_, tls_, cookie_header_);
    // An explicit Cookie header from the scenario wins over the jar.
    if (!cookie_header_.empty() && !has_cookie) AppendHeader("Cookie", cookie_header_);
  }
  // Like Beast's prepare_payload: a length whenever there is a body or the method expects one.
  if (!request.body.empty() || beast::iequals(request.method, "POST") ||
      beast::iequals(request.method, "PUT") || beast::iequals(request.method, "PATCH")) {
    AppendHeader("Content-Length", std::to_string(request.body.size()));
  }
  wire_.append("\r\n").append(request.body);
}

ResponseParser& BeastSender::StartResponse() {
  parsed_.Clear(keep_body_, keep_headers_, options_.max_body_bytes, is_head_);
  parser_.emplace(parsed_);
  parser_->body_limit(options_.max_body_bytes);
  if (is_head_) parser_->skip(true);
  return *parser_;
}

asio::awaitable<BeastSender::Outcome> BeastSender::ExchangeTls(std::chrono::nanoseconds timeout,
                                                               HttpResponse& out) {
  boost::system::error_code ec;
  Lowest().expires_after(timeout);
  out.bytes_sent += co_await asio::async_write(*tls_stream_, asio::buffer(wire_),
                                               asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return Outcome{ec, HttpPhase::kWrite};
  out.bytes_received += co_await http::async_read(*tls_stream_, buffer_, StartResponse(),
                                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return Outcome{ec, HttpPhase::kRead};
  // An idle keep-alive connection must not time out between requests.
  Lowest().expires_never();
  co_return Outcome{};
}

void BeastSender::TakeResponse(HttpResponse& out) {
  out.status = parsed_.status;
  // A redirect's Location is read by whoever follows it: keep the headers of every 3xx.
  const bool keep_headers = keep_headers_ || (out.status >= 300 && out.status < 400);
  if (keep_headers) out.headers.reserve(parsed_.fields.size());
  for (const ParsedResponse::Field& field : parsed_.fields) {
    if (field.set_cookie) {
      jar_.SetFromHeader(parsed_.Value(field), factory_.cookie_host(), target_);
    }
    if (keep_headers) out.headers.emplace_back(parsed_.Name(field), parsed_.Value(field));
  }
  // A swap, not a move: both buffers keep their capacity for the next responses.
  if (keep_body_) out.body.swap(parsed_.body);
  if (!parsed_.keep_alive || !keep_alive_) CloseSocket();
}

asio::awaitable<void> BeastSender::Exchange(const HttpRequest& request, HttpResponse& out) {
  const auto start = std::chrono::steady_clock::now();
  out.Reset();
  const std::chrono::nanoseconds timeout =
      request.timeout.count() > 0 ? request.timeout : options_.request_timeout;
  PrepareRequest(request, out);
  for (int attempt = 0;; ++attempt) {
    const bool reused = connected_;
    // The deadline counts from the send: after the connect when there was one.
    auto exchange_start = start;
    if (!connected_) {
      const Outcome connected = co_await Connect();
      if (connected.ec && !denial_.empty()) {
        out.failure = FailureKind::kTargetNotAllowed;
        out.error = std::exchange(denial_, {});
        break;
      }
      if (connected.ec) {
        out.failure = ClassifyHttpError(connected.phase, connected.ec);
        out.error = DescribeHttpError(connected.phase, connected.ec);
        break;
      }
      exchange_start = std::chrono::steady_clock::now();
    }
    Outcome result{{}, HttpPhase::kWrite};
    if (tls_) {
      result = co_await ExchangeTls(timeout, out);
    } else {
      // Plain TCP, the way wrk does it, written here rather than in a coroutine of its own (a
      // frame and a resume less per request): one non-blocking send (the rest, if the socket
      // does not take it whole, asynchronously), then reads straight on the socket.
      asio::ip::tcp::socket& socket = tcp_->socket();
      ResponseParser& parser = StartResponse();
      deadline_.Start(socket, exchange_start + timeout);
      std::size_t written = SendNow(socket, asio::buffer(wire_), result.ec);
      if (!result.ec && written < wire_.size()) {
        written += co_await asio::async_write(socket, asio::buffer(wire_) + written,
                                              asio::redirect_error(asio::use_awaitable, result.ec));
      }
      out.bytes_sent += written;
      if (!result.ec) {
        result.phase = HttpPhase::kRead;
        parser.eager(true);
        // The response cannot be there a moment after the send, so the read waits for the
        // loop's other ready handlers first (a post): that gives the server time to answer. Then
        // the read is tried in place, without a reactor operation and the scheduler round trip
        // that completing one costs; only when the socket has nothing yet (or a response needs
        // more) does the exchange wait for readability.
        if (buffer_.size() == 0) co_await PostToLoop(socket.get_executor());
        while (ReadAvailable(socket, buffer_, parser, deadline_, out, result.ec) ==
               PlainRead::kWouldBlock) {
          co_await socket.async_wait(asio::socket_base::wait_read,
                                     asio::redirect_error(asio::use_awaitable, result.ec));
          if (result.ec) break;
        }
      }
      if (result.ec && deadline_.Expired()) result.ec = beast::error::timeout;
      deadline_.Stop();
    }
    if (!result.ec) {
      TakeResponse(out);
      break;
    }
    const bool nothing_received =
        result.phase == HttpPhase::kWrite || (!parser_->got_some() && buffer_.size() == 0);
    CloseSocket();
    // The server closed an idle keep-alive connection before seeing the request: safe to resend.
    if (reused && attempt == 0 && nothing_received && IsPeerClosed(result.ec)) continue;
    out.failure = ClassifyHttpError(result.phase, result.ec);
    out.error = DescribeHttpError(result.phase, result.ec);
    break;
  }
  out.latency = std::chrono::steady_clock::now() - start;
}

}  // namespace throng::engine
