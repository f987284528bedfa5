// The RunningJob implementation: a controller coroutine on worker 0 that runs setup, drives the
// job's load model, stops the users and runs teardown.
#pragma once

// clang-format off
#include <utility>  // first: Asio 1.18 awaitable.hpp uses std::exchange without including it
// clang-format on

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

#include "completion_latch.h"
#include "load_model.h"
#include "step_runner.h"
#include "throng/engine/clock.h"
#include "throng/engine/engine.h"
#include "throng/engine/feeder_pool.h"
#include "throng/engine/running_job.h"
#include "throng/engine/stats.h"
#include "user_fleet.h"
#include "weighted.h"
#include "worker_pool.h"

namespace throng::engine {

/// One job. Control calls post to worker 0, where the controller state lives; user state lives on
/// each user's worker (UserFleet). Thread-safe as RunningJob requires.
class JobRunner final : public RunningJob, public std::enable_shared_from_this<JobRunner> {
 public:
  /// Throws JobError when the plan cannot run (unsupported model, feeder too small).
  JobRunner(Plan plan, WorkerPool& pool, const SenderFactoryMaker& make_factory,
            std::shared_ptr<const Clock> clock);
  ~JobRunner() override;

  /// Launches the controller. Call once, right after construction.
  void Launch();

  JobPhase Phase() const override { return phase_.load(); }
  void SetTargetUsers(std::uint32_t users) override;
  void SetArrivalRate(double rate) override;
  void Pause() override;
  void Resume() override;
  void Stop(bool immediate, std::optional<Duration> grace) override;
  void Abort(std::string reason) override;
  bool WaitUntilDone(Duration timeout) const override;
  const JobStats& Stats() const override { return stats_; }
  JobStatus Status() const override;
  const Plan& GetPlan() const override { return plan_; }
  std::uint64_t LateIterations() const override { return model_->LateIterations(); }

 private:
  enum class StopMode { kNone, kGraceful, kImmediate };

  boost::asio::awaitable<void> Control();
  boost::asio::awaitable<bool> RunJobSteps(const StepList& steps, const char* what);
  /// Waits (stoppable) until plan_.load_start_at, if set.
  boost::asio::awaitable<void> WaitForLoadStart();
  boost::asio::awaitable<void> RunLoad();
  boost::asio::awaitable<void> ApplyPause();
  boost::asio::awaitable<void> StopUsers();
  /// Posts `fn` to the controller, holding the job alive.
  template <typename Fn>
  void OnController(Fn fn);

  Duration Elapsed() const;
  void PublishProgress(Duration elapsed, const LoadProgress& progress);
  void SetPhase(JobPhase phase);
  void Warn(const std::string& warning);
  void Fail(const std::string& error);

  Plan plan_;
  WorkerPool& pool_;
  std::shared_ptr<const Clock> clock_;
  JobStats stats_;
  FeederPool feeders_;
  WeightedSequence classes_;
  std::uint64_t seed_;
  std::function<void(const std::string&)> warn_;
  std::unique_ptr<LoadModel> model_;
  UserFleet fleet_;

  // Controller state: only on worker 0.
  WakeableSleep wake_;  // the controller's sleep, cut short by control calls and the last user
  StopMode stop_mode_ = StopMode::kNone;
  std::optional<Duration> grace_;
  JobPhase final_phase_ = JobPhase::kCompleted;
  bool pause_requested_ = false;
  bool paused_ = false;  // the pause the workers last applied
  TimePoint load_start_{};
  TimePoint paused_since_{};
  Duration paused_total_{0};
  UserControl* job_steps_control_ = nullptr;

  std::atomic<JobPhase> phase_{JobPhase::kStarting};
  mutable std::mutex mutex_;  // guards status_ and done_
  mutable std::condition_variable done_cv_;
  JobStatus status_;
  bool done_ = false;
};

}  // namespace throng::engine
