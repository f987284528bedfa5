// The scenario interpreter: runs a list of steps for one virtual user as a coroutine.
#pragma once

// clang-format off
#include <utility>  // first: Asio 1.18 awaitable.hpp uses std::exchange without including it
// clang-format on

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "throng/engine/http_types.h"
#include "throng/engine/loop_yield.h"
#include "throng/engine/plan.h"
#include "throng/engine/request_sender.h"
#include "throng/engine/stats.h"
#include "throng/engine/user_state.h"

namespace throng::engine {

/// Stop flags and the sleep timer of one running user. Touched only on the user's worker thread.
struct UserControl {
  /// What the user is sleeping on, so a graceful stop interrupts waits between iterations (and a
  /// resume only pauses) but never a think step inside an iteration. kIdle: an open-model user
  /// waiting for its next arrival (woken by a timer cancel).
  enum class Wait { kNone, kThink, kBetween, kPaused, kIdle };

  explicit UserControl(boost::asio::io_context& context) : timer(context) {}

  bool stop_requested = false;  // graceful: finish the current iteration, then on_stop
  bool cancelled = false;       // immediate: abandon everything now (nothing more is recorded)
  Wait wait = Wait::kNone;
  boost::asio::steady_timer timer;
  std::unique_ptr<RequestSender> sender;

  /// Graceful stop: interrupts a wait between iterations or a pause.
  void RequestStop();
  /// Immediate stop: interrupts any wait and closes the connection under an in-flight request.
  void Cancel();
};

/// Everything a step needs. One per running user (or setup/teardown run); not thread-safe.
struct StepContext {
  const Plan& plan;
  ThreadStats& stats;
  UserState& state;
  UserControl& control;
  /// Job-level, thread-safe, deduplicating warning sink (e.g. a withheld Secure cookie).
  const std::function<void(const std::string&)>& warn;
  HttpRequest request;      // reused render buffer
  bool failed = false;      // some request failed
  std::string first_error;  // "<request name>: <why>" of the first failure
  /// Open model: how late the iteration started against its schedule. Added to the next
  /// request's reported latency (coordinated-omission correction), then cleared.
  std::optional<Duration> start_delay;
  /// Requests sent so far (an iteration that sends none is paced by the user's loop).
  std::uint64_t requests_sent = 0;
  /// Steps run since the last I/O or yield; at kMaxStepsWithoutIo the user yields.
  std::uint32_t steps_without_io = 0;
};

/// Lets the rest of the worker's event loop run before the user goes on.
LoopPost YieldToLoop(UserControl& control);

/// Sleeps `duration` on the user's timer; returns early when the timer is cancelled.
boost::asio::awaitable<void> Sleep(UserControl& control, Duration duration, UserControl::Wait kind);

/// Runs `steps` top to bottom; returns early once the user is cancelled. Request failures are
/// recorded and the flow goes on (like Locust), later steps can skip_if_empty.
boost::asio::awaitable<void> RunSteps(StepContext& context, const StepList& steps);

/// A uniformly random duration within `range`.
Duration RandomDuration(const DurationRange& range, std::mt19937_64& random);

}  // namespace throng::engine
