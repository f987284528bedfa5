#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app.h"

namespace demo {

/// Accepts connections on one socket and spreads them round-robin over `threads` io_contexts,
/// one thread each, so a connection's work never crosses threads.
class Server {
 public:
  /// Binds and listens; throws boost::system::system_error when the address is unusable.
  Server(const std::string& host, uint16_t port, int threads, App& app);
  ~Server();
  /// The bound endpoint (the real port when 0 was asked for).
  boost::asio::ip::tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }
  /// Starts the worker threads; returns immediately.
  void Start();
  /// Stops accepting and serving, and joins the threads. Idempotent.
  void Stop();

 private:
  void Accept();

  App& app_;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  boost::asio::ip::tcp::acceptor acceptor_;
  size_t next_ = 0;
  // Keeps idle contexts' run() from returning before their first connection arrives.
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guards_;
  std::vector<std::thread> threads_;
};

}  // namespace demo
