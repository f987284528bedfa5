#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

#include "load_models.h"
#include "throng/engine/limits.h"
#include "throng/engine/running_job.h"

namespace throng::engine {
namespace {

std::string RateError(const std::string& field) {
  return field + ": must be a number from 0 to " + std::to_string(std::llround(kMaxArrivalRate)) +
         " per second";
}

bool RateInRange(double rate) {
  return std::isfinite(rate) && rate >= 0 && rate <= kMaxArrivalRate;
}

ArrivalDispatcher MakeDispatcher(const OpenModelPlan& plan) {
  if (plan.max_users == 0) throw JobError("load.open.max_users: must be >= 1");
  if (!RateInRange(plan.rate)) throw JobError(RateError("load.open.rate"));
  for (std::size_t i = 0; i < plan.stages.size(); ++i) {
    if (!RateInRange(plan.stages[i].rate)) {
      throw JobError(RateError("load.open.stages[" + std::to_string(i) + "].rate"));
    }
  }
  return ArrivalDispatcher(plan.pre_allocated_users, plan.max_users);
}

}  // namespace

OpenLoadModel::OpenLoadModel(const OpenModelPlan& plan, std::optional<Duration> duration,
                             ExecutionSegment segment)
    : plan_(plan), schedule_(plan, duration, segment), dispatcher_(MakeDispatcher(plan)) {}

void OpenLoadModel::CheckArrivalRate(double rate) const {
  if (!RateInRange(rate)) throw JobError(RateError("rate"));
}

void OpenLoadModel::OverrideArrivalRate(Duration elapsed, double rate) {
  schedule_.SetRate(elapsed, rate);
}

void OpenLoadModel::Start(UserFleet& fleet) {
  for (std::size_t user = 0; user < dispatcher_.Users(); ++user) {
    SpawnUser(user, std::nullopt, fleet);
  }
}

LoadProgress OpenLoadModel::Step(Duration elapsed, bool paused, UserFleet& fleet) {
  LoadProgress progress;
  const std::optional<Duration> total = schedule_.TotalDuration();
  if (total) {
    progress.progress = ProgressOf(elapsed, *total);
    progress.finished = elapsed >= *total;
  }
  progress.stage = schedule_.StageAt(elapsed);
  Dispatch(elapsed, fleet);
  progress.target_users = plan_.max_users;
  progress.target_rate = schedule_.RateAt(elapsed);
  if (!paused) progress.next_step = UntilNextArrival(elapsed);
  return progress;
}

void OpenLoadModel::Finish(Duration elapsed, UserFleet& fleet) {
  // Arrivals still waiting for a user never ran: they count as dropped, nothing is lost.
  std::uint64_t dropped = dispatcher_.TakeQueued();
  if (behind_) {
    // Arrivals due that the bounded steps never reached: dropped as well.
    const std::optional<Duration> total = schedule_.TotalDuration();
    const Duration end = total ? std::min(elapsed, *total) : elapsed;
    const double due = std::ceil(schedule_.ArrivalsBy(end));
    if (due > static_cast<double>(next_arrival_)) {
      dropped += static_cast<std::uint64_t>(due) - next_arrival_;
    }
  }
  for (; dropped > 0; --dropped) fleet.ControllerStats().RecordDroppedIteration();
}

Duration OpenLoadModel::UntilNextArrival(Duration elapsed) const {
  const std::optional<Duration> due = schedule_.DueAt(next_arrival_);
  if (!due) return kControlPeriod;
  return std::clamp(*due - elapsed, Duration::zero(), kControlPeriod);
}

void OpenLoadModel::Dispatch(Duration elapsed, UserFleet& fleet) {
  const std::optional<Duration> total = schedule_.TotalDuration();
  // Default bound: one second of arrivals at the current rate.
  const std::size_t bound =
      plan_.max_queue != 0
          ? plan_.max_queue
          : static_cast<std::size_t>(std::max(1.0, std::ceil(schedule_.RateAt(elapsed))));
  const TimePoint real_now = std::chrono::steady_clock::now();
  behind_ = false;
  for (std::size_t handled = 0;; ++handled) {
    const std::optional<Duration> due = schedule_.DueAt(next_arrival_);
    if (!due || *due > elapsed || (total && *due >= *total)) break;
    if (handled == kMaxArrivalsPerStep) {
      behind_ = true;  // the rest waits for the next step, which comes at once
      break;
    }
    ++next_arrival_;
    // The schedule runs on the job's clock; the users measure on the steady clock.
    const TimePoint intended = real_now - (elapsed - *due);
    const ArrivalDispatcher::Decision decision = dispatcher_.Arrive(intended, bound);
    switch (decision.outcome) {
      case ArrivalDispatcher::Outcome::kAssigned:
        fleet.AssignArrival(decision.user, intended);
        break;
      case ArrivalDispatcher::Outcome::kSpawn:
        SpawnUser(decision.user, intended, fleet);
        break;
      case ArrivalDispatcher::Outcome::kQueued:
        fleet.ControllerStats().RecordLateIteration();  // the controller runs on worker 0
        break;
      case ArrivalDispatcher::Outcome::kDropped:
        fleet.ControllerStats().RecordDroppedIteration();
        break;
    }
  }
}

void OpenLoadModel::SpawnUser(std::size_t user, std::optional<TimePoint> intended,
                              UserFleet& fleet) {
  auto slot = std::make_shared<ArrivalSlot>(ArrivalSlot{&dispatcher_, user, intended, !intended});
  IterationBudget budget{0, nullptr, 0, slot.get()};
  fleet.Spawn(UserSpawn{user, 1, user + 1, budget, std::move(slot)});
}

}  // namespace throng::engine
