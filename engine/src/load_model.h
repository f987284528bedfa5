// The load model interface: closed, open (arrival rate), per-user and shared iterations.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "throng/engine/plan.h"
#include "user_fleet.h"

namespace throng::engine {

/// How often the controller steps a load model at most (the open model steps sooner when an
/// arrival is due).
inline constexpr Duration kControlPeriod = std::chrono::milliseconds(50);

/// Where the load stands after a control step.
struct LoadProgress {
  std::string stage;      // "" without stages
  double progress = -1;   // 0..1 of the total duration; -1 when unbounded
  bool finished = false;  // the load is over (run time elapsed, or every iteration done)
  std::uint32_t target_users = 0;
  double target_rate = 0;               // open model only
  Duration next_step = kControlPeriod;  // when to step again
};

/// One load model: owns its schedule, starts and steers its users on the fleet and reports its
/// progress. Elapsed times are load time (pauses excluded). Start/Step/Finish and the Override*
/// calls run on the job's controller; MaxUsers, the Check* calls and LateIterations are
/// thread-safe. Throws JobError from the constructor for a plan it cannot run.
class LoadModel {
 public:
  virtual ~LoadModel() = default;

  /// The most users it can run at once (feeder capacity is checked against it).
  virtual std::uint32_t MaxUsers() const = 0;
  /// The load starts: start the first users.
  virtual void Start(UserFleet& fleet) = 0;
  /// Follows the schedule at `elapsed`.
  virtual LoadProgress Step(Duration elapsed, bool paused, UserFleet& fleet) = 0;
  /// The load ended at `elapsed` (the users are being stopped): count what never ran.
  virtual void Finish(Duration /*elapsed*/, UserFleet& /*fleet*/) {}

  /// Throws JobError when the model has no user target to change.
  virtual void CheckTargetUsers(std::uint32_t users) const;
  virtual void OverrideTargetUsers(std::uint32_t /*users*/) {}
  /// Throws JobError when the model has no arrival rate, or the rate is out of range.
  virtual void CheckArrivalRate(double rate) const;
  virtual void OverrideArrivalRate(Duration /*elapsed*/, double /*rate*/) {}

  /// Open model: arrivals that waited for a free user. 0 for the others.
  virtual std::uint64_t LateIterations() const { return 0; }
};

/// The model for `load` (a std::visit over its variant).
std::unique_ptr<LoadModel> MakeLoadModel(const LoadPlan& load);

/// 0..1 of `total` reached at `elapsed` (1 for a zero total).
double ProgressOf(Duration elapsed, Duration total);

}  // namespace throng::engine
