// An in-process HTTP/1.1 (optionally TLS) test server on 127.0.0.1:0, run on its own thread.
// Behaviour is chosen by the request target:
//   /ok (or anything else) 200 "hello"          /close   200 with Connection: close
//   /drop   200 keep-alive, then closes silently (an idle-connection close)
//   /reset  partial response, then a TCP reset   /stall   never answers (until the server stops)
//   /malformed  garbage status line               /huge    1 MiB body
//   /cookies    Set-Cookie (plain, Secure, Max-Age=0 deletion, Max-Age=3600)
//   /echo       body = received header lines "name: value\n", a blank line, then the request body
#pragma once

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "throng/test_support/accept_loop.h"

namespace throng::engine::test_support {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

/// PEM-encoded server certificate and key.
struct TestCert {
  std::string cert_pem;
  std::string key_pem;
};

/// Starts serving in the constructor; the destructor stops the thread (pending sessions dropped).
class HttpTestServer {
 public:
  explicit HttpTestServer(std::optional<TestCert> tls = std::nullopt)
      : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    if (tls) {
      tls_context_.emplace(asio::ssl::context::tls_server);
      tls_context_->use_certificate_chain(asio::buffer(tls->cert_pem));
      tls_context_->use_private_key(asio::buffer(tls->key_pem), asio::ssl::context::pem);
    }
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(io_, Accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }

  ~HttpTestServer() {
    io_.stop();
    thread_.join();
  }

  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  std::uint16_t port() const { return port_; }
  /// TCP connections accepted so far.
  int connections() const { return connections_.load(); }
  /// Connections closed after a /drop response (the server's FIN is sent when this counts it).
  int drops() const { return drops_.load(); }
  /// Requests read for `target` so far.
  int requests(const std::string& target) const {
    std::lock_guard lock(mutex_);
    auto it = requests_.find(target);
    return it == requests_.end() ? 0 : it->second;
  }
  /// SNI host name of the last TLS handshake ("" when none was sent).
  std::string last_sni() const {
    std::lock_guard lock(mutex_);
    return last_sni_;
  }

 private:
  asio::awaitable<void> Accept() {
    return ::throng::test_support::AcceptEach(
        acceptor_, connections_, [this](asio::ip::tcp::socket socket) {
          asio::co_spawn(io_, Session(std::move(socket)), asio::detached);
        });
  }

  asio::awaitable<void> Session(asio::ip::tcp::socket socket) {
    if (!tls_context_) {
      beast::tcp_stream stream(std::move(socket));
      co_await Serve(stream);
      co_return;
    }
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls_context_);
    boost::system::error_code ec;
    co_await stream.async_handshake(asio::ssl::stream_base::server,
                                    asio::redirect_error(asio::use_awaitable, ec));
    const char* sni = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
    {
      std::lock_guard lock(mutex_);
      last_sni_ = sni ? sni : "";
    }
    if (ec) co_return;
    co_await Serve(stream);
  }

  template <class Stream>
  asio::awaitable<void> Serve(Stream& stream) {
    beast::flat_buffer buffer;
    for (;;) {
      boost::system::error_code ec;
      http::request<http::string_body> request;
      co_await http::async_read(stream, buffer, request,
                                asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      const std::string target(request.target());
      {
        std::lock_guard lock(mutex_);
        ++requests_[target];
      }
      if (target == "/malformed") {
        co_await WriteRaw(stream, "HTTP/1.1 2x0 WHAT\r\nnot a header\r\n\r\n");
        co_return;
      }
      if (target == "/reset") {
        co_await WriteRaw(stream, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial");
        auto& socket = beast::get_lowest_layer(stream).socket();
        socket.set_option(asio::socket_base::linger(true, 0), ec);
        socket.close(ec);
        co_return;
      }
      if (target == "/stall") {
        asio::steady_timer timer(io_, std::chrono::seconds(30));
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        co_return;
      }
      http::response<http::string_body> response{http::status::ok, request.version()};
      response.set(http::field::content_type, "text/plain");
      response.body() = Body(target, request, response);
      response.keep_alive(request.keep_alive() && target != "/close");
      response.prepare_payload();
      co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !response.keep_alive() || target == "/drop") {
        beast::get_lowest_layer(stream).socket().shutdown(asio::socket_base::shutdown_both, ec);
        if (target == "/drop") ++drops_;
        co_return;
      }
    }
  }

  static std::string Body(const std::string& target,
                          const http::request<http::string_body>& request,
                          http::response<http::string_body>& response) {
    if (target == "/huge") return std::string(1 << 20, 'x');
    if (target == "/cookies") {
      response.insert(http::field::set_cookie, "session=abc123; Path=/; HttpOnly");
      response.insert(http::field::set_cookie, "secure_token=s3cr3t; Path=/; Secure");
      response.insert(http::field::set_cookie, "gone=1; Path=/; Max-Age=0");
      response.insert(http::field::set_cookie, "prefs=dark; Path=/; Max-Age=3600");
      return "cookies set";
    }
    if (target == "/echo") {
      std::string body;
      for (const auto& field : request) {
        body += std::string(field.name_string()) + ": " + std::string(field.value()) + "\n";
      }
      return body + "\n" + request.body();
    }
    return "hello";
  }

  template <class Stream>
  static asio::awaitable<void> WriteRaw(Stream& stream, std::string_view bytes) {
    boost::system::error_code ec;
    co_await asio::async_write(stream, asio::buffer(bytes),
                               asio::redirect_error(asio::use_awaitable, ec));
  }

  // Declared first so it outlives the sessions that io_'s destructor drops.
  std::optional<asio::ssl::context> tls_context_;
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<int> connections_{0};
  std::atomic<int> drops_{0};
  mutable std::mutex mutex_;
  std::map<std::string, int> requests_;
  std::string last_sni_;
};

/// Runs `task` on `io` until it completes and returns its value (rethrows its exception).
template <class T>
T RunSync(asio::io_context& io, asio::awaitable<T> task) {
  std::optional<T> result;
  std::exception_ptr error;
  asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T value) {
    error = e;
    if (!e) result = std::move(value);
  });
  io.restart();
  io.run();
  if (error) std::rethrow_exception(error);
  return std::move(*result);
}

}  // namespace throng::engine::test_support
