// throngd's HTTP/1.1 server: one port for /metrics, the JSON API and the web console.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "throng/api/http/http_types.h"

namespace throng::api::http {

/// Bounds that keep hostile clients from holding the server: every one is enforced per
/// connection or per request.
struct HttpServerOptions {
  /// Threads running the server's io_context.
  unsigned threads = 2;
  /// Largest request body; a larger one is answered 413 and the connection closed.
  std::size_t max_body_bytes = 4u << 20;
  /// Largest request line plus headers; larger: 431.
  std::size_t max_header_bytes = 16u << 10;
  /// Most header fields in one request; more: 431.
  std::size_t max_header_fields = 64;
  /// A whole request (headers and body) must arrive within this; an idle keep-alive connection
  /// is closed after it too.
  std::chrono::milliseconds read_timeout{15000};
  /// A response (or one event of a stream) must be taken by the client within this.
  std::chrono::milliseconds write_timeout{15000};
  /// Connections served at once; more are closed at accept.
  std::size_t max_connections = 256;
};

/// Accepts connections on `endpoint` and answers each request with `handler`. Keep-alive, one
/// request at a time per connection, every read and write bounded in time. Thread-safe: Stop may
/// be called from any thread; the handler runs on the server's threads.
class HttpServer {
 public:
  /// Binds and listens; throws boost::system::system_error when the address is unusable.
  HttpServer(const boost::asio::ip::tcp::endpoint& endpoint, HttpServerOptions options,
             Handler handler);
  /// Stops (see Stop).
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// The bound port (the real one when 0 was asked for).
  unsigned short port() const { return port_; }
  /// Starts the threads; returns at once.
  void Start();
  /// Stops accepting, closes every connection (event streams included) and joins the threads.
  /// Idempotent.
  void Stop();

  /// Connections open now (for tests and logs).
  std::size_t connections() const { return state_->connections.load(); }

  /// What sessions share with the server; outlives every session.
  struct State {
    HttpServerOptions options;
    Handler handler;
    std::atomic<std::size_t> connections{0};
  };

 private:
  void Accept();

  std::shared_ptr<State> state_;
  // Destroyed in Stop(), acceptor first: destroying the context destroys every pending handler
  // and with them the sessions and their sockets.
  std::unique_ptr<boost::asio::io_context> io_;
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  unsigned short port_ = 0;
  std::vector<std::thread> threads_;
};

/// Resolves "host:port" (IPv6 literals in brackets) into an endpoint without DNS for literals;
/// "localhost" resolves to 127.0.0.1. Throws std::invalid_argument naming the address.
boost::asio::ip::tcp::endpoint ParseListenAddress(const std::string& address);

}  // namespace throng::api::http
