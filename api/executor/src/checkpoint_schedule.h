// When a running job's report is next checkpointed into the registry.
#pragma once

#include <chrono>

namespace throng::api {

/// Checkpoints fall every `interval` after the job's start (a zero interval: never). Due() is
/// asked on every interval close of the job; a checkpoint missed (the supervisor was late) is
/// not made up for, so a slow store costs at most one report per interval. Not thread-safe:
/// the supervisor thread owns it.
class CheckpointSchedule {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  CheckpointSchedule(std::chrono::nanoseconds interval, SteadyTime start)
      : interval_(interval), next_(start + interval) {}

  /// True when a checkpoint is due at `now`; the next one is then due an interval later.
  bool Due(SteadyTime now) {
    if (interval_ <= std::chrono::nanoseconds::zero() || now < next_) return false;
    while (next_ <= now) next_ += interval_;
    return true;
  }

 private:
  const std::chrono::nanoseconds interval_;
  SteadyTime next_;
};

}  // namespace throng::api
