#include "virtual_user.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include "throng/engine/limits.h"
#include "throng/engine/user_state.h"

namespace throng::engine {
namespace {

namespace asio = boost::asio;

constexpr std::uint32_t kIterationsPerYield = 16;

bool ClaimIteration(IterationBudget& budget, std::uint32_t done) {
  if (budget.shared != nullptr) {
    return budget.shared->fetch_add(1, std::memory_order_relaxed) < budget.shared_total;
  }
  return budget.per_user == 0 || done < budget.per_user;
}

const TaskPlan& ChooseTask(const UserClassPlan& user_class, std::size_t& next_sequential,
                           std::mt19937_64& random) {
  if (user_class.sequential) return user_class.tasks[next_sequential++ % user_class.tasks.size()];
  return user_class.tasks[PickWeighted(
      user_class.tasks.size(), [&](std::size_t i) { return user_class.tasks[i].weight; }, random)];
}

// The pause after a task: the class's wait, at least `least`. A user that does not sleep still
// yields, so every iteration lets its worker's other work run.
asio::awaitable<void> WaitAfterTask(StepContext& context, const WaitPlan& wait,
                                    std::chrono::steady_clock::time_point task_start,
                                    Duration least) {
  Duration pause{0};
  switch (wait.kind) {
    case WaitPlan::Kind::kNone:
      break;
    case WaitPlan::Kind::kConstant:
    case WaitPlan::Kind::kBetween:
      pause = RandomDuration(wait.range, context.state.Random());
      break;
    case WaitPlan::Kind::kPacing:
      pause = wait.range.min - (std::chrono::steady_clock::now() - task_start);
      break;
  }
  pause = std::max(pause, least);
  if (pause <= Duration::zero()) {
    co_await YieldToLoop(context.control);
  } else {
    co_await Sleep(context.control, pause, UserControl::Wait::kBetween);
  }
}

// An iteration that sent no request would spin its worker: it is counted, reported once per user
// and paced by at least kNoRequestPause. Returns that least pause (0 when a request went out).
Duration NoRequestPause(const UserEnv& env, const TaskPlan& task, bool sent, bool& reported) {
  if (sent) return Duration::zero();
  env.stats.RecordIterationWithoutRequest();
  if (!reported) {
    reported = true;
    env.warn("task " + task.name + " sends no request: each such iteration is followed by a " +
             std::to_string(kNoRequestPause.count()) + " s pause");
  }
  return kNoRequestPause;
}

// The next arrival's intended start, waiting idle for one; nullopt once the user must stop.
asio::awaitable<std::optional<TimePoint>> NextArrival(ArrivalSlot& slot, UserControl& control) {
  if (!slot.pending && !slot.idle) {
    slot.pending = slot.dispatcher->Release(slot.user);  // a queued (late) arrival, if any
    slot.idle = !slot.pending;
  }
  while (!slot.pending && !control.stop_requested) {
    co_await Sleep(control, Duration::zero(), UserControl::Wait::kIdle);
  }
  std::optional<TimePoint> intended = std::exchange(slot.pending, std::nullopt);
  if (intended) slot.idle = false;
  co_return intended;
}

}  // namespace

std::uint64_t UserSeed(std::uint64_t job_seed, std::uint64_t index) {
  // splitmix64 finaliser.
  std::uint64_t z = job_seed + (index + 1) * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

asio::awaitable<void> RunVirtualUser(const UserEnv& env, UserControl& control, std::uint64_t index,
                                     IterationBudget budget) {
  // In a fleet, the user's index across the whole fleet (unique, and the class mix of the whole).
  const std::uint64_t fleet_index = env.plan.load.segment.GlobalIndex(index);
  const UserClassPlan& user_class = env.plan.user_classes[env.classes.At(fleet_index)];
  UserState state(fleet_index, &env.plan.variables, UserSeed(env.seed, index));
  try {
    env.feeders.AssignRows(state);
  } catch (const FeederExhausted& e) {
    env.warn(std::string("user not started: ") + e.what());
    co_return;
  }
  control.sender = env.factory.Create();
  // RAII so a user whose coroutine is cancelled or destroyed mid-flight still leaves the count.
  struct ActiveUser {
    ThreadStats& stats;
    explicit ActiveUser(ThreadStats& s) : stats(s) { stats.AddActiveUsers(1); }
    ~ActiveUser() { stats.AddActiveUsers(-1); }
    ActiveUser(const ActiveUser&) = delete;
    ActiveUser& operator=(const ActiveUser&) = delete;
  } active_user(env.stats);
  StepContext context{env.plan, env.stats, state, control, env.warn, {}, false, {}, std::nullopt};
  co_await RunSteps(context, user_class.on_start);
  std::size_t next_sequential = 0;
  std::uint32_t done = 0;
  bool reported_no_request = false;
  std::uint32_t iterations_since_yield = 0;
  while (!control.stop_requested && !user_class.tasks.empty()) {
    while (env.paused && !control.stop_requested) {
      co_await Sleep(control, Duration::zero(), UserControl::Wait::kPaused);
    }
    if (budget.arrivals != nullptr) {
      const std::optional<TimePoint> intended = co_await NextArrival(*budget.arrivals, control);
      if (!intended) break;
      context.start_delay =
          std::max(Duration::zero(), std::chrono::steady_clock::now() - *intended);
    } else if (control.stop_requested || !ClaimIteration(budget, done)) {
      break;
    }
    // Only a pacing wait reads when the task began (a clock read saved on every other iteration).
    const auto task_start = user_class.wait.kind == WaitPlan::Kind::kPacing
                                ? std::chrono::steady_clock::now()
                                : std::chrono::steady_clock::time_point{};
    const TaskPlan& task = ChooseTask(user_class, next_sequential, state.Random());
    const std::uint64_t sent_before = context.requests_sent;
    co_await RunSteps(context, task.steps);
    if (control.cancelled) break;
    env.stats.RecordIteration();
    ++done;
    const Duration least =
        NoRequestPause(env, task, context.requests_sent != sent_before, reported_no_request);
    if (budget.arrivals != nullptr && least == Duration::zero()) {
      co_await YieldToLoop(control);  // the schedule paces open-model iterations
      continue;
    }
    // A user without a wait whose iteration sent requests has already let the loop run while it
    // waited for them (a real sender's I/O always goes through the scheduler): skip most of the
    // yields (each costs a scheduler round trip per request), yet still yield every
    // kIterationsPerYield so a sender that completes without I/O cannot hold the worker.
    if (least == Duration::zero() && user_class.wait.kind == WaitPlan::Kind::kNone &&
        ++iterations_since_yield < kIterationsPerYield) {
      continue;
    }
    iterations_since_yield = 0;
    // Not a conditional inside the co_await operand (GCC 12 miscompiles those).
    const WaitPlan no_wait;
    const WaitPlan& wait = budget.arrivals != nullptr ? no_wait : user_class.wait;
    co_await WaitAfterTask(context, wait, task_start, least);
  }
  if (!control.cancelled) co_await RunSteps(context, user_class.on_stop);
  control.sender->Close();
  control.sender.reset();
}

}  // namespace throng::engine
