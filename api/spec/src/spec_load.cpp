// The load profile: model, stages, duration and graceful stop.
#include <algorithm>
#include <cmath>

#include "spec_parts.h"
#include "spec_support.h"

namespace throng::api::spec {
namespace {

// Stage lists share their validation; `sum` accumulates the total stage time.
template <class Stage, class Convert>
auto ConvertStages(const google::protobuf::RepeatedPtrField<Stage>& stages, const FieldPath& path,
                   engine::Duration& sum, Convert convert) {
  std::vector<decltype(convert(stages.Get(0), path))> plans;
  for (int i = 0; i < stages.size(); ++i) {
    const FieldPath stage_path = path.Index(static_cast<std::size_t>(i));
    auto plan = convert(stages.Get(i), stage_path);
    plan.duration = PositiveDuration(stages.Get(i).duration(), stage_path.Field("duration"));
    sum += plan.duration;
    plans.push_back(std::move(plan));
  }
  return plans;
}

engine::ClosedModelPlan ConvertClosed(const v1::ClosedModel& closed, const FieldPath& path,
                                      engine::Duration& stage_sum) {
  engine::ClosedModelPlan plan;
  plan.users = closed.users();
  plan.spawn_rate =
      RateNumber(closed.spawn_rate(), engine::kMaxSpawnRate, path.Field("spawn_rate"));
  plan.stages = ConvertStages(
      closed.stages(), path.Field("stages"), stage_sum,
      [](const v1::UserStage& stage, const FieldPath& stage_path) {
        return engine::UserStagePlan{
            {},
            stage.users(),
            RateNumber(stage.spawn_rate(), engine::kMaxSpawnRate, stage_path.Field("spawn_rate")),
            stage.name()};
      });
  if (plan.stages.empty() && plan.users == 0) {
    Fail(path.Field("users"), "must be > 0 (or give stages)");
  }
  return plan;
}

engine::OpenModelPlan ConvertOpen(const v1::OpenModel& open, const FieldPath& path,
                                  engine::Duration& stage_sum) {
  engine::OpenModelPlan plan;
  plan.rate = RateNumber(open.rate(), engine::kMaxArrivalRate, path.Field("rate"));
  plan.stages = ConvertStages(
      open.stages(), path.Field("stages"), stage_sum,
      [](const v1::RateStage& stage, const FieldPath& stage_path) {
        return engine::RateStagePlan{
            {},
            RateNumber(stage.rate(), engine::kMaxArrivalRate, stage_path.Field("rate")),
            stage.name()};
      });
  if (plan.stages.empty() && plan.rate <= 0)
    Fail(path.Field("rate"), "must be > 0 (or give stages)");
  if (open.max_users() < 1) Fail(path.Field("max_users"), "must be >= 1");
  plan.max_users = open.max_users();
  if (open.pre_allocated_users() > open.max_users()) {
    Fail(path.Field("pre_allocated_users"), "must be <= max_users");
  }
  double peak_rate = plan.rate;
  for (const auto& stage : plan.stages) peak_rate = std::max(peak_rate, stage.rate);
  const auto by_rate =
      static_cast<std::uint32_t>(std::min<double>(std::ceil(peak_rate), plan.max_users));
  plan.pre_allocated_users = open.pre_allocated_users() != 0 ? open.pre_allocated_users() : by_rate;
  plan.max_queue = open.max_queue();
  return plan;
}

void RequireAtLeastOne(std::uint32_t value, const FieldPath& path) {
  if (value < 1) Fail(path, "must be >= 1");
}

engine::PerUserIterationsPlan ConvertPerUser(const v1::PerUserIterations& model,
                                             const FieldPath& path) {
  RequireAtLeastOne(model.users(), path.Field("users"));
  return {model.users(), WeightOrDefault(model.iterations()), model.max_concurrency()};
}

engine::SharedIterationsPlan ConvertShared(const v1::SharedIterations& model,
                                           const FieldPath& path) {
  RequireAtLeastOne(model.users(), path.Field("users"));
  RequireAtLeastOne(model.iterations(), path.Field("iterations"));
  return {model.users(), model.iterations()};
}

}  // namespace

engine::LoadPlan ConvertLoad(const v1::JobSpec& spec) {
  const FieldPath path = FieldPath().Field("load");
  if (!spec.has_load()) Fail(path, "required");
  const v1::LoadProfile& load = spec.load();
  engine::LoadPlan plan;
  engine::Duration stage_sum{0};
  bool time_based = true;
  switch (load.model_case()) {
    case v1::LoadProfile::kClosed:
      plan.model = ConvertClosed(load.closed(), path.Field("closed"), stage_sum);
      break;
    case v1::LoadProfile::kOpen:
      plan.model = ConvertOpen(load.open(), path.Field("open"), stage_sum);
      break;
    case v1::LoadProfile::kPerUserIterations:
      plan.model = ConvertPerUser(load.per_user_iterations(), path.Field("per_user_iterations"));
      time_based = false;
      break;
    case v1::LoadProfile::kSharedIterations:
      plan.model = ConvertShared(load.shared_iterations(), path.Field("shared_iterations"));
      time_based = false;
      break;
    default:
      Fail(path,
           "a load model is required: closed, open, per_user_iterations or shared_iterations");
  }
  if (load.unbounded() && load.has_duration()) {
    Fail(path.Field("unbounded"), "excludes duration (set one of them)");
  }
  if (load.has_duration()) {
    plan.duration = PositiveDuration(load.duration(), path.Field("duration"));
  } else if (stage_sum.count() > 0 && !load.unbounded()) {
    plan.duration = stage_sum;
  } else if (time_based && !load.unbounded()) {
    Fail(path.Field("duration"),
         "required for closed and open models (or set stages or unbounded)");
  }
  plan.graceful_stop = load.has_graceful_stop()
                           ? NonNegativeDuration(load.graceful_stop(), path.Field("graceful_stop"))
                           : plan.graceful_stop;
  return plan;
}

}  // namespace throng::api::spec
