// The handle of a started job: control (target users, pause, stop) and live status.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "throng/engine/job_status.h"
#include "throng/engine/plan.h"

namespace throng::engine {

class JobStats;

/// Thrown for a job that cannot start or a control call that does not fit the job (the gRPC
/// layer maps it to FAILED_PRECONDITION). what() is a clear sentence for the user.
class JobError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A running (or finished) job. Thread-safe; control calls are asynchronous (they take effect on
/// the job's threads shortly after returning). Control calls on a finished job are ignored.
class RunningJob {
 public:
  virtual ~RunningJob() = default;

  virtual JobPhase Phase() const = 0;
  /// Closed model: overrides the schedule with a fixed user count from now on. Throws JobError
  /// for other models.
  virtual void SetTargetUsers(std::uint32_t users) = 0;
  /// Open model only; throws JobError ("not an open-model job") otherwise.
  virtual void SetArrivalRate(double rate) = 0;
  /// Users finish their current iteration and wait; elapsed time stops counting.
  virtual void Pause() = 0;
  virtual void Resume() = 0;
  /// Graceful: no new iterations; in-flight ones get `grace` (default plan.load.graceful_stop)
  /// then are cancelled. Immediate: cancel now. Teardown still runs. Phase ends kStopped.
  virtual void Stop(bool immediate, std::optional<Duration> grace = std::nullopt) = 0;
  /// A graceful stop ending in kAborted with `reason` as the error.
  virtual void Abort(std::string reason) = 0;
  /// True when the job reached a final phase within `timeout`.
  virtual bool WaitUntilDone(Duration timeout) const = 0;
  /// Live stats; valid as long as this handle.
  virtual const JobStats& Stats() const = 0;
  virtual JobStatus Status() const = 0;
  virtual const Plan& GetPlan() const = 0;
  /// Open model: iterations that waited in the queue for a free user (their latency includes the
  /// wait). 0 for other models. The same count is StatsSnapshot::late_iterations.
  virtual std::uint64_t LateIterations() const { return 0; }
};

}  // namespace throng::engine
