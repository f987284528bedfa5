#include "throng/api/http/http_server.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <stdexcept>

#include "http_session.h"

namespace throng::api::http {

namespace asio = boost::asio;
using asio::ip::tcp;

tcp::endpoint ParseListenAddress(const std::string& address) {
  const std::size_t colon = address.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument(address + ": not host:port");
  std::string host = address.substr(0, colon);
  const std::string port_text = address.substr(colon + 1);
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port_text) > 65535) {
    throw std::invalid_argument(address + ": bad port");
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code ec;
  const asio::ip::address ip = asio::ip::make_address(host, ec);
  if (ec) throw std::invalid_argument(address + ": the host must be an IP address or localhost");
  return {ip, static_cast<unsigned short>(std::stoul(port_text))};
}

HttpServer::HttpServer(const tcp::endpoint& endpoint, HttpServerOptions options, Handler handler)
    : state_(std::make_shared<State>()),
      io_(std::make_unique<asio::io_context>(static_cast<int>(options.threads))),
      acceptor_(std::make_unique<tcp::acceptor>(asio::make_strand(*io_))) {
  state_->options = std::move(options);
  state_->handler = std::move(handler);
  acceptor_->open(endpoint.protocol());
  acceptor_->set_option(asio::socket_base::reuse_address(true));
  acceptor_->bind(endpoint);
  acceptor_->listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_->local_endpoint().port();
}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Start() {
  Accept();
  for (unsigned i = 0; i < std::max(1u, state_->options.threads); ++i) {
    threads_.emplace_back([this] { io_->run(); });
  }
}

void HttpServer::Stop() {
  if (!io_) return;
  io_->stop();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  acceptor_.reset();
  io_.reset();
}

void HttpServer::Accept() {
  acceptor_->async_accept(
      asio::make_strand(*io_), [this](boost::system::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted) return;
        if (ec) {
          // Out of descriptors or a similar condition: retry shortly instead of spinning.
          auto timer = std::make_shared<asio::steady_timer>(acceptor_->get_executor(),
                                                            std::chrono::milliseconds(50));
          timer->async_wait([this, timer](boost::system::error_code) { Accept(); });
          return;
        }
        {
          if (state_->connections.load() >= state_->options.max_connections) {
            // Over the limit: closed at once, so a flood of idle connections cannot grow memory.
            socket.close(ec);
          } else {
            socket.set_option(tcp::no_delay(true), ec);
            std::make_shared<HttpSession>(std::move(socket), state_)->Start();
          }
        }
        Accept();
      });
}

}  // namespace throng::api::http
