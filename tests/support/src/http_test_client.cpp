#include "throng/test_support/http_test_client.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace throng::test_support {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Runs the exchange as async operations on a private io_context because Beast's timeouts only
// apply to asynchronous operations.
class Exchange {
 public:
  Exchange(const std::string& host, uint16_t port, http::request<http::string_body> request,
           std::chrono::milliseconds timeout)
      : stream_(ioc_), request_(std::move(request)), timeout_(timeout) {
    parser_.body_limit(64 * 1024 * 1024);
    asio::ip::tcp::resolver resolver(ioc_);
    beast::error_code ec;
    endpoints_ = resolver.resolve(host, std::to_string(port), ec);
    if (ec) throw HttpTestError(ec, "resolve " + host);
  }

  HttpTestResponse Run() {
    stream_.expires_after(timeout_);
    stream_.async_connect(endpoints_, [this](beast::error_code ec, const auto&) {
      if (ec) return Fail(ec, "connect");
      http::async_write(stream_, request_, [this](beast::error_code ec, size_t) {
        if (ec) return Fail(ec, "write");
        http::async_read(stream_, buffer_, parser_, [this](beast::error_code ec, size_t) {
          if (ec) return Fail(ec, "read");
          done_ = true;
        });
      });
    });
    ioc_.run();
    if (!done_) throw HttpTestError(error_, what_);
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);

    auto& message = parser_.get();
    HttpTestResponse response;
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      auto name = field.name_string();
      response.headers.emplace(Lower(std::string_view(name.data(), name.size())),
                               std::string(field.value()));
    }
    response.body = std::move(message.body());
    return response;
  }

 private:
  void Fail(beast::error_code ec, const char* stage) {
    error_ = ec;
    what_ = std::string("HTTP ") + stage + " failed";
  }

  asio::io_context ioc_;
  beast::tcp_stream stream_;
  asio::ip::tcp::resolver::results_type endpoints_;
  http::request<http::string_body> request_;
  http::response_parser<http::string_body> parser_;
  beast::flat_buffer buffer_;
  std::chrono::milliseconds timeout_;
  bool done_ = false;
  beast::error_code error_;
  std::string what_;
};

}  // namespace

std::string HttpTestResponse::Header(std::string_view name) const {
  auto it = headers.find(Lower(name));
  return it == headers.end() ? std::string() : it->second;
}

HttpTestResponse Request(const std::string& host, uint16_t port, std::string_view method,
                         std::string_view target, std::string_view body,
                         const HttpTestHeaders& headers, std::chrono::milliseconds timeout) {
  http::request<http::string_body> request;
  request.method_string(beast::string_view(method.data(), method.size()));
  request.target(beast::string_view(target.data(), target.size()));
  request.version(11);
  request.set(http::field::host, host + ":" + std::to_string(port));
  bool has_content_type = false;
  for (const auto& [name, value] : headers) {
    request.insert(name, value);
    has_content_type = has_content_type || Lower(name) == "content-type";
  }
  if (!body.empty() && !has_content_type) {
    request.set(http::field::content_type, "application/json");
  }
  request.body() = std::string(body);
  request.prepare_payload();
  return Exchange(host, port, std::move(request), timeout).Run();
}

}  // namespace throng::test_support
