// The four load models behind LoadModel. Private to the engine; MakeLoadModel picks one.
#pragma once

#include <atomic>
#include <optional>

#include "load_model.h"
#include "throng/engine/arrival_dispatcher.h"
#include "throng/engine/arrival_schedule.h"
#include "throng/engine/load_schedule.h"

namespace throng::engine {

/// Closed model: a user count following a ramp or stages, overridable live.
class ClosedLoadModel final : public LoadModel {
 public:
  /// A fleet segment's targets, live overrides included, are its share of the whole's.
  ClosedLoadModel(const ClosedModelPlan& plan, std::optional<Duration> duration,
                  ExecutionSegment segment);
  std::uint32_t MaxUsers() const override { return max_users_; }
  void Start(UserFleet& /*fleet*/) override {}
  LoadProgress Step(Duration elapsed, bool paused, UserFleet& fleet) override;
  void CheckTargetUsers(std::uint32_t /*users*/) const override {}
  void OverrideTargetUsers(std::uint32_t users) override { override_ = segment_.ShareOf32(users); }

 private:
  ExecutionSegment segment_;
  ClosedLoadSchedule schedule_;
  std::uint32_t max_users_;
  std::optional<std::uint32_t> override_;
  std::optional<std::uint32_t> sent_;
};

/// Open model: iterations start at an arrival rate on a pool of users that grows up to its
/// maximum; arrivals finding every user busy queue (late) or are dropped.
class OpenLoadModel final : public LoadModel {
 public:
  /// `plan` is already the segment's share (ApplyExecutionSegment); the arrivals are striped.
  OpenLoadModel(const OpenModelPlan& plan, std::optional<Duration> duration,
                ExecutionSegment segment);
  std::uint32_t MaxUsers() const override { return plan_.max_users; }
  void Start(UserFleet& fleet) override;
  LoadProgress Step(Duration elapsed, bool paused, UserFleet& fleet) override;
  void Finish(Duration elapsed, UserFleet& fleet) override;
  void CheckArrivalRate(double rate) const override;
  void OverrideArrivalRate(Duration elapsed, double rate) override;
  std::uint64_t LateIterations() const override { return dispatcher_.LateCount(); }

 private:
  void Dispatch(Duration elapsed, UserFleet& fleet);
  void SpawnUser(std::size_t user, std::optional<TimePoint> intended, UserFleet& fleet);
  Duration UntilNextArrival(Duration elapsed) const;

  OpenModelPlan plan_;
  ArrivalSchedule schedule_;
  ArrivalDispatcher dispatcher_;
  std::uint64_t next_arrival_ = 0;
  bool behind_ = false;  // the last step stopped at kMaxArrivalsPerStep
};

/// What the iteration models share: progress against the duration, if any; the load is over
/// when every user has ended.
class IterationLoadModel : public LoadModel {
 public:
  IterationLoadModel(std::uint32_t users, std::optional<Duration> duration)
      : users_(users), duration_(duration) {}
  std::uint32_t MaxUsers() const override { return users_; }
  LoadProgress Step(Duration elapsed, bool paused, UserFleet& fleet) override;

 private:
  std::uint32_t users_;
  std::optional<Duration> duration_;
};

/// Per-user iterations: each user runs a fixed number of iterations, at most
/// `max_concurrency` users at once.
class PerUserIterationsModel final : public IterationLoadModel {
 public:
  PerUserIterationsModel(const PerUserIterationsPlan& plan, std::optional<Duration> duration)
      : IterationLoadModel(plan.users, duration), plan_(plan) {}
  void Start(UserFleet& fleet) override;

 private:
  PerUserIterationsPlan plan_;
};

/// Shared iterations: the users share one job-wide iteration count.
class SharedIterationsModel final : public IterationLoadModel {
 public:
  SharedIterationsModel(const SharedIterationsPlan& plan, std::optional<Duration> duration)
      : IterationLoadModel(plan.users, duration), plan_(plan) {}
  void Start(UserFleet& fleet) override;

 private:
  SharedIterationsPlan plan_;
  std::atomic<std::uint64_t> claimed_{0};
};

}  // namespace throng::engine
