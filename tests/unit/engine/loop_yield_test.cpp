// PostToLoop: a coroutine lets the handlers already queued run first, then goes on, on its own
// io_context (the direct path) or on any other executor (the fallback).
// clang-format off
#include <utility>  // first: Asio 1.18 awaitable.hpp uses std::exchange without including it
// clang-format on

#include "throng/engine/loop_yield.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <exception>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

namespace throng::engine {
namespace {

namespace asio = boost::asio;

// Queues a handler that records 1, yields, then records 2; `turns` more yields record 3, 4, ...
asio::awaitable<void> YieldAfterQueuedHandler(std::vector<int>& order, int turns) {
  const asio::any_io_executor executor = co_await asio::this_coro::executor;
  asio::post(executor, [&order] { order.push_back(1); });
  co_await PostToLoop(executor);
  order.push_back(2);
  for (int i = 0; i < turns; ++i) {
    co_await PostToLoop(executor);
    order.push_back(3 + i);
  }
}

TEST(PostToLoopTest, OnAnIoContextTheCoroutineGoesOnAfterTheHandlersQueuedBeforeIt) {
  asio::io_context io(1);
  std::vector<int> order;
  asio::co_spawn(io, YieldAfterQueuedHandler(order, 2), asio::detached);
  // The pending resumption is outstanding work: run() returns only once the coroutine ended.
  io.run();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4}));
}

TEST(PostToLoopTest, TheCoroutineResumesOnTheThreadRunningItsIoContext) {
  asio::io_context io(1);
  std::thread::id resumed_on;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await PostToLoop(co_await asio::this_coro::executor);
        resumed_on = std::this_thread::get_id();
      },
      asio::detached);
  std::thread runner([&io] { io.run(); });
  const std::thread::id runner_id = runner.get_id();
  runner.join();
  EXPECT_EQ(resumed_on, runner_id);
}

TEST(PostToLoopTest, OnAnotherExecutorItFallsBackToAPlainPostInTheSameOrder) {
  asio::io_context io(1);
  std::vector<int> order;
  asio::co_spawn(asio::make_strand(io), YieldAfterQueuedHandler(order, 1), asio::detached);
  io.run();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

// Two frames deep: the inner one yields, returns a value, throws after a yield.
asio::awaitable<int> InnerYieldThenReturn(std::vector<int>& order, int value) {
  co_await PostToLoop(co_await asio::this_coro::executor);
  order.push_back(value);
  co_return value * 10;
}

asio::awaitable<void> InnerYieldThenThrow() {
  co_await PostToLoop(co_await asio::this_coro::executor);
  throw std::runtime_error("after the yield");
}

TEST(PostToLoopTest, ANestedFrameResumesInPlaceAndItsCallerGoesOnWithItsResult) {
  asio::io_context io(1);
  std::vector<int> order;
  int sum = 0;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        sum += co_await InnerYieldThenReturn(order, 1);
        co_await PostToLoop(co_await asio::this_coro::executor);
        sum += co_await InnerYieldThenReturn(order, 2);
        order.push_back(3);
      },
      asio::detached);
  io.run();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(sum, 30);
}

TEST(PostToLoopTest, AnExceptionAfterTheYieldReachesTheCallerAndThenTheSpawnHandler) {
  asio::io_context io(1);
  bool caught_in_caller = false;
  std::exception_ptr at_spawn;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        try {
          co_await InnerYieldThenThrow();
        } catch (const std::runtime_error&) {
          caught_in_caller = true;
        }
        co_await InnerYieldThenThrow();
      },
      [&](std::exception_ptr e) { at_spawn = e; });
  io.run();
  EXPECT_TRUE(caught_in_caller);
  ASSERT_TRUE(at_spawn);
  EXPECT_THROW(std::rethrow_exception(at_spawn), std::runtime_error);
}

TEST(PostToLoopTest, AnIoContextDestroyedWhileACoroutineWaitsDestroysTheCoroutine) {
  auto alive = std::make_shared<int>(0);
  std::weak_ptr<int> watch = alive;
  {
    asio::io_context io(1);
    asio::co_spawn(
        io,
        [keep = std::move(alive)]() -> asio::awaitable<void> {
          co_await PostToLoop(co_await asio::this_coro::executor);
          ADD_FAILURE() << "resumed although the io_context never ran after the yield";
        },
        asio::detached);
    io.run_one();  // starts the coroutine up to its yield
    EXPECT_FALSE(watch.expired());
  }
  EXPECT_TRUE(watch.expired());  // the frame (and what it holds) is gone, not leaked
}

}  // namespace
}  // namespace throng::engine
