#include "virtual_user.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>

#include "throng/engine/user_state.h"

namespace throng::engine {
namespace {

namespace asio = boost::asio;

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

asio::awaitable<void> WaitAfterTask(StepContext& context, const WaitPlan& wait,
                                    std::chrono::steady_clock::time_point task_start) {
  Duration pause{0};
  switch (wait.kind) {
    case WaitPlan::Kind::kNone:
      co_return;
    case WaitPlan::Kind::kConstant:
    case WaitPlan::Kind::kBetween:
      pause = RandomDuration(wait.range, context.state.Random());
      break;
    case WaitPlan::Kind::kPacing:
      pause = wait.range.min - (std::chrono::steady_clock::now() - task_start);
      if (pause <= Duration::zero()) co_return;
      break;
  }
  co_await Sleep(context.control, pause, UserControl::Wait::kBetween);
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
  const UserClassPlan& user_class = env.plan.user_classes[env.classes.At(index)];
  UserState state(index, &env.plan.variables, UserSeed(env.seed, index));
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
    const auto task_start = std::chrono::steady_clock::now();
    co_await RunSteps(context, ChooseTask(user_class, next_sequential, state.Random()).steps);
    if (control.cancelled) break;
    env.stats.RecordIteration();
    ++done;
    if (budget.arrivals != nullptr) continue;  // the schedule paces open-model iterations
    co_await WaitAfterTask(context, user_class.wait, task_start);
  }
  if (!control.cancelled) co_await RunSteps(context, user_class.on_stop);
  control.sender->Close();
  control.sender.reset();
}

}  // namespace throng::engine
