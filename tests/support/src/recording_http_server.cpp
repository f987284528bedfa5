#include "throng/test_support/recording_http_server.h"

#include <fcntl.h>

// clang-format off
#include <utility>  // first: Asio 1.18 awaitable.hpp uses std::exchange without including it
// clang-format on
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <thread>

#include "throng/test_support/accept_loop.h"

namespace throng::test_support {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

class RecordingHttpServer::Impl {
 public:
  Impl(const std::string& address, std::uint16_t port)
      : acceptor_(io_, {asio::ip::make_address(address), port}),
        port_(acceptor_.local_endpoint().port()) {
    // Children started later (throngd) must not inherit the listener: a copy there would keep it
    // accepting into its backlog after Stop(), so connects would hang instead of being refused.
    ::fcntl(acceptor_.native_handle(), F_SETFD, FD_CLOEXEC);
    asio::co_spawn(io_, Accept(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }

  ~Impl() { Stop(); }

  void Stop() {
    if (!thread_.joinable()) return;
    io_.stop();
    thread_.join();
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  }

  std::uint16_t port() const { return port_; }
  int connections() const { return connections_.load(); }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  asio::awaitable<void> Accept() {
    return AcceptEach(acceptor_, connections_, [this](asio::ip::tcp::socket socket) {
      asio::co_spawn(io_, Serve(beast::tcp_stream(std::move(socket))), asio::detached);
    });
  }

  asio::awaitable<void> Serve(beast::tcp_stream stream) {
    beast::flat_buffer buffer;
    for (;;) {
      boost::system::error_code ec;
      http::request<http::string_body> request;
      co_await http::async_read(stream, buffer, request,
                                asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      Record(request);
      http::response<http::string_body> response = Answer(request);
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !response.keep_alive()) {
        stream.socket().shutdown(asio::socket_base::shutdown_both, ec);
        co_return;
      }
    }
  }

  void Record(const http::request<http::string_body>& request) {
    RecordedRequest recorded;
    recorded.method = std::string(request.method_string());
    recorded.target = std::string(request.target());
    for (const auto& field : request) {
      recorded.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(recorded));
  }

  static http::response<http::string_body> Answer(const http::request<http::string_body>& request) {
    const std::string_view target = request.target();
    http::response<http::string_body> response{http::status::ok, request.version()};
    response.set(http::field::content_type, "text/plain");
    constexpr std::string_view kRedirect = "/redirect?to=";
    constexpr std::string_view kHops = "/hops/";
    if (target.starts_with(kRedirect)) {
      response.result(http::status::found);
      response.set(http::field::location, target.substr(kRedirect.size()));
    } else if (target.starts_with(kHops) && target.substr(kHops.size()) != "0") {
      const int left = std::stoi(std::string(target.substr(kHops.size())));
      response.result(http::status::found);
      response.set(http::field::location, std::string(kHops) + std::to_string(left - 1));
    } else {
      response.body() = target.starts_with(kHops) ? "arrived" : "ok";
    }
    return response;
  }

  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  const std::uint16_t port_;
  std::thread thread_;
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
};

RecordingHttpServer::RecordingHttpServer(const std::string& address, std::uint16_t port)
    : impl_(std::make_unique<Impl>(address, port)) {}

RecordingHttpServer::~RecordingHttpServer() = default;

void RecordingHttpServer::Stop() { impl_->Stop(); }

std::uint16_t RecordingHttpServer::port() const { return impl_->port(); }

int RecordingHttpServer::connections() const { return impl_->connections(); }

std::vector<RecordedRequest> RecordingHttpServer::requests() const { return impl_->requests(); }

int RecordingHttpServer::RequestsStartingWith(std::string_view prefix) const {
  int count = 0;
  for (const RecordedRequest& request : requests()) count += request.target.starts_with(prefix);
  return count;
}

bool RecordingHttpServer::SawHeader(std::string_view name) const {
  for (const RecordedRequest& request : requests()) {
    for (const auto& [header, value] : request.headers) {
      if (beast::iequals(header, name)) return true;
    }
  }
  return false;
}

}  // namespace throng::test_support
