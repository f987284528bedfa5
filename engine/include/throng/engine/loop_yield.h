// Letting an io_context's other ready handlers run before a coroutine goes on.
#pragma once

// clang-format off
// Boost 1.74 awaitable.hpp uses std::exchange without including <utility>: it must come first.
#include <utility>
// clang-format on
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <typeinfo>

namespace throng::engine {

/// `co_await PostToLoop(executor)` resumes the awaiting coroutine after the handlers already
/// queued on `executor`'s io_context, like `co_await asio::post(executor, use_awaitable)` but
/// cheaper: when `executor` is an io_context's (the engine's workers), the completion is queued
/// on that io_context directly and, when it runs, resumes the coroutine in place. A plain post of
/// the coroutine's handler would wrap it in a work_dispatcher that dispatches it a second time
/// through the type-erased executor (profiling showed that machinery at about a quarter of the
/// request path's user time). Valid because the coroutine's executor is that same io_context,
/// each run by one thread: the handler already runs where the coroutine must resume. Adds no
/// coroutine frame. Any other executor falls back to asio::post.
inline boost::asio::awaitable<void> PostToLoop(const boost::asio::any_io_executor& executor) {
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void()>(
      [executor](auto handler) {
        using IoExecutor = boost::asio::io_context::executor_type;
        // Asio 1.18's any_executor::target<T>() casts without checking the type: check it here.
        if (executor.target_type() == typeid(IoExecutor)) {
          // A lambda has no associated executor of its own: posted on `io`, it runs as is.
          boost::asio::post(*executor.target<IoExecutor>(),
                            [resume = std::move(handler)]() mutable { std::move(resume)(); });
        } else {
          boost::asio::post(executor, std::move(handler));
        }
      },
      boost::asio::use_awaitable);
}

}  // namespace throng::engine
