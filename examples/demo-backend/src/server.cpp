#include "server.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>

#include "session.h"

namespace demo {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

std::vector<std::unique_ptr<asio::io_context>> MakeContexts(int threads) {
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  for (int i = 0; i < std::max(threads, 1); ++i) {
    contexts.push_back(std::make_unique<asio::io_context>(1));
  }
  return contexts;
}

tcp::endpoint Resolve(asio::io_context& ioc, const std::string& host, uint16_t port) {
  tcp::resolver resolver(ioc);
  return *resolver.resolve(host, std::to_string(port), tcp::resolver::numeric_service).begin();
}

}  // namespace

Server::Server(const std::string& host, uint16_t port, int threads, App& app)
    : app_(app), contexts_(MakeContexts(threads)), acceptor_(*contexts_[0]) {
  tcp::endpoint endpoint = Resolve(*contexts_[0], host, port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

Server::~Server() { Stop(); }

void Server::Start() {
  Accept();
  for (auto& context : contexts_) {
    guards_.push_back(asio::make_work_guard(*context));
    threads_.emplace_back([&context] { context->run(); });
  }
}

void Server::Stop() {
  for (auto& context : contexts_) context->stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  guards_.clear();
}

void Server::Accept() {
  asio::io_context& target = *contexts_[next_++ % contexts_.size()];
  acceptor_.async_accept(target, [this](boost::system::error_code ec, tcp::socket socket) {
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      auto session = std::make_shared<Session>(std::move(socket), app_);
      // Start on the socket's own thread so a connection is only ever touched by one thread.
      asio::post(session->executor(), [session] { session->Start(); });
    }
    if (ec != asio::error::operation_aborted) Accept();
  });
}

}  // namespace demo
