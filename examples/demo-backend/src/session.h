#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "app.h"

namespace demo {

/// One keep-alive HTTP/1.1 connection. Lives on one io_context thread (no strand needed) and
/// keeps itself alive through shared_from_this in pending handlers.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket socket, App& app);
  /// A request abandoned mid-way (server shutting down) leaves the in-flight gauge.
  ~Session();
  void Start() { Read(); }
  boost::asio::any_io_executor executor() { return socket_.get_executor(); }

 private:
  void Read();
  void OnRead(boost::beast::error_code ec);
  void Act(FaultDecision::Action action);
  void Respond(Response response);
  void OnWrite(boost::beast::error_code ec, bool keep_alive);
  void Reset();
  void SendGarbage();
  void Record(int status);
  void LeaveInFlight();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response response_;
  RouteMatch match_;
  std::chrono::steady_clock::time_point start_;
  bool in_flight_ = false;  // counted in Metrics' in-flight gauge
  App& app_;
};

}  // namespace demo
