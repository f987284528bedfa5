// An in-process RequestSender for engine tests: answers through a handler, optionally after a
// delay on the worker's io_context, and logs every request. Thread-safe log.
#pragma once

// clang-format off
#include <utility>  // first: Asio 1.18 awaitable.hpp uses std::exchange without including it
// clang-format on

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "throng/engine/engine.h"
#include "throng/engine/request_sender.h"

namespace throng::engine::testing {

/// The shared "server": handler, delay and request log.
struct FakeBackend {
  std::function<HttpResponse(const HttpRequest&)> handler = [](const HttpRequest&) {
    HttpResponse response;
    response.status = 200;
    return response;
  };
  std::chrono::milliseconds delay{0};
  std::atomic<int> in_flight{0};
  std::atomic<int> completed{0};
  std::atomic<int> closed_mid_request{0};

  std::mutex mutex;
  std::vector<std::string> targets;            // in send order
  int fixed_sends = 0;                         // sends of a request rendered once for the job
  std::set<const HttpRequest*> fixed_objects;  // the distinct fixed requests sent

  std::vector<std::string> Targets() {
    std::lock_guard lock(mutex);
    return targets;
  }
  std::map<std::string, int> CountTargets() {
    std::map<std::string, int> counts;
    for (const auto& target : Targets()) ++counts[target];
    return counts;
  }
  int Count(const std::string& target) { return CountTargets()[target]; }
};

class FakeSender final : public RequestSender {
 public:
  FakeSender(boost::asio::io_context& io, FakeBackend& backend) : timer_(io), backend_(backend) {}

  boost::asio::awaitable<void> Exchange(const HttpRequest& request, HttpResponse& out) override {
    {
      std::lock_guard lock(backend_.mutex);
      backend_.targets.push_back(request.target);
      if (request.fixed) {
        ++backend_.fixed_sends;
        backend_.fixed_objects.insert(&request);
      }
    }
    closed_ = false;
    if (backend_.delay.count() > 0) {
      ++backend_.in_flight;
      timer_.expires_after(backend_.delay);
      boost::system::error_code ec;
      co_await timer_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      --backend_.in_flight;
      if (closed_) {
        ++backend_.closed_mid_request;
        out = HttpResponse{};
        out.failure = FailureKind::kReset;
        co_return;
      }
    }
    out = backend_.handler(request);
    out.latency = std::chrono::microseconds(100);
    ++backend_.completed;
  }
  std::string CookieValue(std::string_view) const override { return {}; }
  void Close() override {
    closed_ = true;
    timer_.cancel();
  }

 private:
  boost::asio::steady_timer timer_;
  FakeBackend& backend_;
  bool closed_ = false;
};

class FakeSenderFactory final : public RequestSenderFactory {
 public:
  FakeSenderFactory(boost::asio::io_context& io, FakeBackend& backend)
      : io_(io), backend_(backend) {}
  std::unique_ptr<RequestSender> Create() override {
    return std::make_unique<FakeSender>(io_, backend_);
  }

 private:
  boost::asio::io_context& io_;
  FakeBackend& backend_;
};

/// Engine options whose workers talk to `backend`.
inline EngineOptions FakeOptions(FakeBackend& backend, std::size_t workers = 2) {
  EngineOptions options;
  options.workers = workers;
  options.sender_factory = [&backend](boost::asio::io_context& io, const HttpPlan&) {
    return std::make_unique<FakeSenderFactory>(io, backend);
  };
  return options;
}

}  // namespace throng::engine::testing
