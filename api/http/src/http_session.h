// One keep-alive HTTP/1.1 connection of HttpServer.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "throng/api/http/http_server.h"

namespace throng::api::http {

/// Reads a request, answers it through the server's handler, and repeats while the client keeps
/// the connection alive; an event-stream reply keeps the connection until its last event. Runs
/// on its own strand; keeps itself alive through shared_from_this in pending handlers.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<HttpServer::State> state);
  ~HttpSession();
  void Start();

 private:
  void Read();
  void OnRead(boost::beast::error_code ec);
  /// Answers a request that could not be read (too large, malformed) and closes.
  void Refuse(beast_http::status status, const char* code, const std::string& message);
  void Write(Response response, bool keep_alive);
  void OnWrite(boost::beast::error_code ec, bool keep_alive);
  void StartEvents(Reply reply);
  void NextEvent();
  /// After a refusal: discards the rest of the request (at most kMaxDrainBytes within
  /// kDrainTime) so the client reads the answer, then closes.
  void Drain();
  void Close();

  static constexpr std::size_t kMaxDrainBytes = 16u << 20;
  static constexpr std::chrono::seconds kDrainTime{3};

  boost::beast::tcp_stream stream_;
  std::shared_ptr<HttpServer::State> state_;
  boost::beast::flat_buffer buffer_;
  std::optional<beast_http::request_parser<beast_http::string_body>> parser_;
  Response response_;  // alive until its write completes
  beast_http::response<beast_http::empty_body> stream_header_;
  std::unique_ptr<EventSource> events_;
  std::chrono::milliseconds event_interval_{1000};
  boost::asio::steady_timer event_timer_;
  std::string event_text_;  // alive until its write completes
  bool refused_ = false;
  std::vector<char> drain_buffer_;
  std::size_t drained_ = 0;
};

}  // namespace throng::api::http
