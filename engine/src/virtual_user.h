// One virtual user's life: class, feeder rows, on_start, iterations, on_stop.
#pragma once

// clang-format off
#include <utility>  // first: Asio 1.18 awaitable.hpp uses std::exchange without including it
// clang-format on

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "step_runner.h"
#include "throng/engine/arrival_dispatcher.h"
#include "throng/engine/feeder_pool.h"
#include "throng/engine/plan.h"
#include "throng/engine/request_sender.h"
#include "throng/engine/stats.h"
#include "weighted.h"

namespace throng::engine {

/// What users of one job on one worker share. Borrowed; used only on that worker's thread except
/// the thread-safe `feeders`, `warn` and `shared_iterations`.
struct UserEnv {
  const Plan& plan;
  ThreadStats& stats;
  RequestSenderFactory& factory;
  FeederPool& feeders;
  const WeightedSequence& classes;
  std::uint64_t seed;
  const std::function<void(const std::string&)>& warn;
  const bool& paused;  // the worker's pause flag, checked between iterations
};

/// An open-model user's inbox. The controller sets `pending` (on the user's worker) to the
/// intended start of the iteration it hands over, then wakes the user (UserControl::Wait::kIdle).
/// Touched only on the user's worker thread; `dispatcher` is thread-safe.
struct ArrivalSlot {
  ArrivalDispatcher* dispatcher = nullptr;
  std::size_t user = 0;
  std::optional<TimePoint> pending;
  bool idle = false;  // registered as idle with the dispatcher
};

/// How many iterations a user runs: `per_user` (0: until stopped), or while it can claim one of
/// `shared_total` from the job-wide `shared` counter, or (open model) whenever `arrivals` hands
/// it one.
struct IterationBudget {
  std::uint32_t per_user = 0;
  std::atomic<std::uint64_t>* shared = nullptr;
  std::uint64_t shared_total = 0;
  ArrivalSlot* arrivals = nullptr;
};

/// Runs user `index` until its budget is spent or `control` stops it. Iteration = one task. The
/// class is chosen deterministically from the index; a user whose feeder is exhausted does not
/// start (a warning is raised). Records into env.stats; never throws for network errors.
boost::asio::awaitable<void> RunVirtualUser(const UserEnv& env, UserControl& control,
                                            std::uint64_t index, IterationBudget budget);

/// The per-user generator seed: distinct, well-mixed streams for neighbouring indices.
std::uint64_t UserSeed(std::uint64_t job_seed, std::uint64_t index);

}  // namespace throng::engine
