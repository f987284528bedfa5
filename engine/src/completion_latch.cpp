#include "completion_latch.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace throng::engine {

namespace asio = boost::asio;

CompletionLatch::CompletionLatch(asio::io_context& home, std::size_t count)
    : home_(home), remaining_(count), done_(count == 0) {}

void CompletionLatch::CountDown() {
  if (remaining_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  asio::post(home_, [self = shared_from_this()] {
    self->done_ = true;
    if (self->waiting_ != nullptr) self->waiting_->cancel();
  });
}

asio::awaitable<void> CompletionLatch::Wait() {
  asio::steady_timer timer(home_);
  while (!done_) {
    timer.expires_at(asio::steady_timer::time_point::max());
    waiting_ = &timer;
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    waiting_ = nullptr;
  }
}

asio::awaitable<void> WakeableSleep::Sleep(std::chrono::nanoseconds timeout) {
  asio::steady_timer timer(context_);
  // Bounded so that a huge timeout (an unbounded grace) cannot overflow the timer's time point.
  constexpr std::chrono::nanoseconds kLongest = std::chrono::hours(24);
  timer.expires_after(std::chrono::duration_cast<asio::steady_timer::duration>(
      std::clamp(timeout, std::chrono::nanoseconds::zero(), kLongest)));
  timer_ = &timer;
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  timer_ = nullptr;
}

void WakeableSleep::Wake() {
  if (timer_ != nullptr) timer_->cancel();
}

}  // namespace throng::engine
