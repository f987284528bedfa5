// A count-down signal a coroutine awaits on its own io_context, without polling.
#pragma once

// clang-format off
#include <utility>  // first: Asio 1.18 awaitable.hpp uses std::exchange without including it
// clang-format on

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <memory>

namespace throng::engine {

/// Counts down from `count` on any thread; one coroutine running on `home` awaits zero. Hold it in
/// a shared_ptr (CountDown posts to `home` with a reference). The waiting timer lives in the
/// waiter's frame, so the latch may be destroyed on any thread.
class CompletionLatch : public std::enable_shared_from_this<CompletionLatch> {
 public:
  CompletionLatch(boost::asio::io_context& home, std::size_t count);

  /// Any thread. The last call wakes the waiter.
  void CountDown();
  /// On `home` only; returns once the count reached zero.
  boost::asio::awaitable<void> Wait();

 private:
  boost::asio::io_context& home_;
  std::atomic<std::size_t> remaining_;
  bool done_;                                     // home only
  boost::asio::steady_timer* waiting_ = nullptr;  // home only: the waiter's timer
};

/// Wakes one coroutine sleeping on its own io_context from there: Sleep() waits until `timeout`
/// or a Wake() (both on the same io_context). Not thread-safe: post Wake() to that context.
class WakeableSleep {
 public:
  explicit WakeableSleep(boost::asio::io_context& context) : context_(context) {}

  /// Sleeps up to `timeout` (steady clock); returns early on Wake().
  boost::asio::awaitable<void> Sleep(std::chrono::nanoseconds timeout);
  /// Ends the current Sleep(), if any.
  void Wake();

 private:
  boost::asio::io_context& context_;
  boost::asio::steady_timer* timer_ = nullptr;  // the sleeper's timer, while it sleeps
};

}  // namespace throng::engine
