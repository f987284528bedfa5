#include "load_model.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "load_models.h"
#include "overloaded.h"
#include "throng/engine/limits.h"
#include "throng/engine/running_job.h"

namespace throng::engine {

void LoadModel::CheckTargetUsers(std::uint32_t /*users*/) const {
  throw JobError("target users can only be changed for a closed-model job");
}

void LoadModel::CheckArrivalRate(double /*rate*/) const { throw JobError("not an open-model job"); }

std::unique_ptr<LoadModel> MakeLoadModel(const LoadPlan& load) {
  return std::visit(Overloaded{
                        [&](const ClosedModelPlan& plan) -> std::unique_ptr<LoadModel> {
                          return std::make_unique<ClosedLoadModel>(plan, load.duration,
                                                                   load.segment);
                        },
                        [&](const OpenModelPlan& plan) -> std::unique_ptr<LoadModel> {
                          return std::make_unique<OpenLoadModel>(plan, load.duration, load.segment);
                        },
                        [&](const PerUserIterationsPlan& plan) -> std::unique_ptr<LoadModel> {
                          return std::make_unique<PerUserIterationsModel>(plan, load.duration);
                        },
                        [&](const SharedIterationsPlan& plan) -> std::unique_ptr<LoadModel> {
                          return std::make_unique<SharedIterationsModel>(plan, load.duration);
                        },
                    },
                    load.model);
}

double ProgressOf(Duration elapsed, Duration total) {
  if (total.count() <= 0) return 1.0;
  return std::min(1.0, std::chrono::duration<double>(elapsed).count() /
                           std::chrono::duration<double>(total).count());
}

// ---- closed model ---------------------------------------------------------------------------

namespace {

void CheckSpawnRate(double rate, const std::string& field) {
  if (std::isfinite(rate) && rate >= 0 && rate <= kMaxSpawnRate) return;
  throw JobError(field + ": must be a number from 0 to " +
                 std::to_string(std::llround(kMaxSpawnRate)) + " users per second");
}

}  // namespace

ClosedLoadModel::ClosedLoadModel(const ClosedModelPlan& plan, std::optional<Duration> duration,
                                 ExecutionSegment segment)
    : segment_(segment), schedule_(plan, duration, segment), max_users_(plan.users) {
  CheckSpawnRate(plan.spawn_rate, "load.closed.spawn_rate");
  for (std::size_t i = 0; i < plan.stages.size(); ++i) {
    CheckSpawnRate(plan.stages[i].spawn_rate,
                   "load.closed.stages[" + std::to_string(i) + "].spawn_rate");
    max_users_ = std::max(max_users_, plan.stages[i].users);
  }
  max_users_ = segment_.ShareOf32(max_users_);
}

LoadProgress ClosedLoadModel::Step(Duration elapsed, bool /*paused*/, UserFleet& fleet) {
  const SchedulePoint point = schedule_.At(elapsed);
  const std::uint32_t target = override_.value_or(point.users);
  if (sent_ != target) {
    sent_ = target;
    fleet.SetTarget(target);
  }
  LoadProgress progress;
  progress.stage = point.stage;
  progress.progress = point.progress;
  progress.finished = point.finished;
  progress.target_users = target;
  return progress;
}

// ---- iteration models -----------------------------------------------------------------------

LoadProgress IterationLoadModel::Step(Duration elapsed, bool /*paused*/, UserFleet& fleet) {
  LoadProgress progress;
  progress.target_users = users_;
  if (duration_) {
    progress.progress = ProgressOf(elapsed, *duration_);
    progress.finished = elapsed >= *duration_;
  }
  // The load ends when all its users are done.
  if (fleet.Live() == 0) progress.finished = true;
  return progress;
}

void PerUserIterationsModel::Start(UserFleet& fleet) {
  // Slot j runs users j, j + C, j + 2C, ... one after another: at most C at once.
  const std::uint64_t slots =
      plan_.max_concurrency == 0 ? plan_.users : std::min(plan_.max_concurrency, plan_.users);
  for (std::uint64_t slot = 0; slot < slots; ++slot) {
    IterationBudget budget{std::max<std::uint32_t>(plan_.iterations, 1), nullptr, 0, nullptr};
    fleet.Spawn(UserSpawn{slot, slots, plan_.users, budget, nullptr});
  }
}

void SharedIterationsModel::Start(UserFleet& fleet) {
  for (std::uint64_t user = 0; user < plan_.users; ++user) {
    IterationBudget budget{0, &claimed_, plan_.iterations, nullptr};
    fleet.Spawn(UserSpawn{user, 1, user + 1, budget, nullptr});
  }
}

}  // namespace throng::engine
