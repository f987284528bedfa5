// The closed-model load schedule: target user count as a pure function of elapsed run time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "throng/engine/plan.h"

namespace throng::engine {

/// Where a schedule stands at one instant.
struct SchedulePoint {
  std::uint32_t users = 0;  // target user count
  std::string stage;        // stage name ("" without stages)
  double progress = -1;     // 0..1 of the total duration; -1 when unbounded
  bool finished = false;    // the run time is over
};

/// Closed-model schedule. Without stages, users ramp from 0 to `users` at `spawn_rate` per second
/// (all at once when 0). With stages, each stage moves from the previous level (0 at first) to its
/// `users` at its `spawn_rate`, or linearly over its duration when the rate is 0; after the last
/// stage the level is held. The run ends at `duration`, or at the end of the stages when unset.
/// A fleet segment targets its share of the whole's users at every instant (users striped: user
/// j belongs to segment j mod count), so the segments' targets always sum to the whole's.
/// Immutable; thread-safe.
class ClosedLoadSchedule {
 public:
  ClosedLoadSchedule(const ClosedModelPlan& plan, std::optional<Duration> duration,
                     ExecutionSegment segment = {});

  SchedulePoint At(Duration elapsed) const;
  /// Total run time, nullopt when unbounded.
  std::optional<Duration> TotalDuration() const { return total_; }

 private:
  std::uint32_t UsersAt(Duration elapsed, std::string* stage) const;

  ClosedModelPlan plan_;
  ExecutionSegment segment_;
  std::optional<Duration> total_;
};

/// Users started after `elapsed` when ramping from `from` to `to` at `rate` users per second
/// (rate <= 0: jump at once). Exposed for tests.
std::uint32_t RampAtRate(std::uint32_t from, std::uint32_t to, double rate, Duration elapsed);

}  // namespace throng::engine
