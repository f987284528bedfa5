// Letting an io_context's other ready handlers run before a coroutine goes on.
#pragma once

// clang-format off
// Boost 1.74 awaitable.hpp uses std::exchange without including <utility>: it must come first.
#include <utility>
// clang-format on
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/version.hpp>
#include <typeinfo>

namespace throng::engine {

// PostToLoop suspends through the hook Asio's own use_awaitable initiation uses (an awaitable
// frame's await_transform of a function of the frame): its types are Asio 1.18's.
static_assert(BOOST_ASIO_VERSION == 101800, "PostToLoop relies on Asio 1.18's awaitable internals");

/// What `co_await PostToLoop(executor)` awaits inside an `asio::awaitable` coroutine (see
/// PostToLoop). A value type, used once, in the co_await expression that creates it.
class LoopPost {
 public:
  using Frame = boost::asio::detail::awaitable_frame_base<boost::asio::any_io_executor>;
  using Thread = boost::asio::detail::awaitable_thread<boost::asio::any_io_executor>;

  explicit LoopPost(const boost::asio::any_io_executor& executor) {
    // Asio 1.18's any_executor::target<T>() casts without checking the type: check it here.
    if (executor.target_type() == typeid(IoExecutor)) {
      io_ = &executor.target<IoExecutor>()->context();
    } else {
      fallback_ = executor;
    }
  }

  /// Called by the awaiting frame once it is suspended: takes the coroutine's thread of execution
  /// (its stack of frames) off the frame and queues its resumption. Null: nothing runs now.
  Thread* operator()(Frame* frame) const {
    // A lambda has no associated executor of its own: posted, it runs as is (no work_dispatcher).
    auto resume = [thread = Resumption(frame->detach_thread())]() mutable { thread.Resume(); };
    if (io_ != nullptr) {
      boost::asio::post(io_->get_executor(), std::move(resume));
    } else {
      boost::asio::post(fallback_, std::move(resume));
    }
    return nullptr;
  }

 private:
  using IoExecutor = boost::asio::io_context::executor_type;

  /// Owns a suspended coroutine's stack of frames; Resume() goes on with its top frame, where it
  /// was suspended (what Asio's awaitable_handler does, less the initiation frame it pops).
  /// Destroyed unresumed (its io_context destroyed), it destroys the frames like Asio's handlers.
  class Resumption : public Thread {
   public:
    explicit Resumption(Thread* thread) : Thread(std::move(*thread)) {}
    void Resume() {
      this->top_of_stack_->attach_thread(this);
      this->pump();
    }
  };

  boost::asio::io_context* io_ = nullptr;
  boost::asio::any_io_executor fallback_;
};

/// `co_await PostToLoop(executor)` resumes the awaiting coroutine after the handlers already
/// queued on `executor`, like `co_await asio::post(executor, use_awaitable)` but cheaper. That
/// post runs an initiation coroutine (a frame allocated and resumed) and, on `any_io_executor`,
/// wraps the completion in a work_dispatcher that dispatches it a second time through the
/// type-erased executor (profiling showed that machinery at about a quarter of the request path's
/// user time). Here the coroutine suspends in place, and when `executor` is an io_context's (the
/// engine's workers) its resumption is queued on that io_context directly; any other executor
/// gets a plain post. Valid because the coroutine's executor is that same executor: the handler
/// runs where the coroutine must resume. Only for coroutines of type `asio::awaitable<T>`.
inline LoopPost PostToLoop(const boost::asio::any_io_executor& executor) {
  return LoopPost(executor);
}

}  // namespace throng::engine
