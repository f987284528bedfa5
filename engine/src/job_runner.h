// The RunningJob implementation: a controller coroutine on worker 0 that runs setup, follows the
// load model, stops users and runs teardown.
#pragma once

// clang-format off
#include <utility>  // first: Asio 1.18 awaitable.hpp uses std::exchange without including it
// clang-format on

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "step_runner.h"
#include "throng/engine/arrival_dispatcher.h"
#include "throng/engine/arrival_schedule.h"
#include "throng/engine/clock.h"
#include "throng/engine/engine.h"
#include "throng/engine/feeder_pool.h"
#include "throng/engine/load_schedule.h"
#include "throng/engine/running_job.h"
#include "throng/engine/stats.h"
#include "virtual_user.h"
#include "weighted.h"
#include "worker_pool.h"

namespace throng::engine {

/// One job. Control calls post to worker 0, where the controller state lives; user state lives on
/// each user's worker (user i on worker i % N). Thread-safe as RunningJob requires.
class JobRunner final : public RunningJob, public std::enable_shared_from_this<JobRunner> {
 public:
  /// Throws JobError when the plan cannot run (unsupported model, feeder too small).
  JobRunner(Plan plan, WorkerPool& pool, const SenderFactoryMaker& make_factory,
            std::shared_ptr<const Clock> clock, JobObserver* observer);
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
  std::uint64_t LateIterations() const override;

 private:
  /// A job's users on one worker. Touched only on that worker's thread.
  struct Shard {
    std::unique_ptr<RequestSenderFactory> factory;
    std::unique_ptr<UserEnv> env;
    bool paused = false;
    bool stopping = false;                             // no new users
    std::vector<std::shared_ptr<UserControl>> active;  // closed model, by index (not stopping)
    std::map<std::uint64_t, std::shared_ptr<UserControl>> live;  // every running user, by serial
    /// Open model: this worker's pool users by user number, with their inboxes.
    std::map<std::size_t, std::pair<std::shared_ptr<ArrivalSlot>, std::shared_ptr<UserControl>>>
        open_users;
    std::uint64_t next_serial = 0;
  };
  enum class StopMode { kNone, kGraceful, kImmediate };

  boost::asio::awaitable<void> Control();
  boost::asio::awaitable<bool> RunJobSteps(const StepList& steps, const char* what);
  boost::asio::awaitable<void> RunLoad();
  boost::asio::awaitable<void> StopUsers();
  boost::asio::awaitable<void> Tick(Duration period);
  boost::asio::awaitable<void> OnEachWorker(std::function<void(std::size_t, Shard&)> fn);

  void StartUsers();
  void PostTarget(std::uint32_t users);
  void ApplyTarget(std::size_t worker, std::uint32_t users);
  void SpawnUser(std::size_t worker, std::uint64_t first_index, std::uint64_t index_step,
                 std::uint64_t end_index, IterationBudget budget, bool track_active,
                 std::shared_ptr<ArrivalSlot> slot = nullptr);
  // Open model (controller side): hands every arrival due by `elapsed` to the pool.
  void DispatchArrivals(Duration elapsed);
  void PostOpenUser(std::size_t user, std::optional<TimePoint> intended);
  void AssignArrival(std::size_t worker, std::size_t user, TimePoint intended);
  Duration UntilNextArrival(Duration elapsed) const;
  Duration Elapsed() const;
  void SetPhase(JobPhase phase);
  void Warn(const std::string& warning);
  void Fail(const std::string& error);
  std::uint32_t MaxUsers() const;

  Plan plan_;
  WorkerPool& pool_;
  std::shared_ptr<const Clock> clock_;
  JobObserver* observer_;
  JobStats stats_;
  FeederPool feeders_;
  WeightedSequence classes_;
  std::uint64_t seed_;
  std::function<void(const std::string&)> warn_;
  std::vector<Shard> shards_;
  std::optional<ClosedLoadSchedule> schedule_;
  std::optional<ArrivalSchedule> arrivals_;        // open model; controller only
  std::unique_ptr<ArrivalDispatcher> dispatcher_;  // open model
  std::uint64_t next_arrival_ = 0;                 // controller only
  std::atomic<std::uint64_t> shared_iterations_{0};
  std::atomic<std::int64_t> live_users_{0};

  // Controller state: only on worker 0.
  StopMode stop_mode_ = StopMode::kNone;
  std::optional<Duration> grace_;
  JobPhase final_phase_ = JobPhase::kCompleted;
  std::optional<std::uint32_t> target_override_;
  std::optional<std::uint32_t> sent_target_;
  bool pause_requested_ = false;
  bool paused_ = false;  // the pause the workers last applied
  TimePoint load_start_{};
  TimePoint paused_since_{};
  Duration paused_total_{0};
  UserControl* job_steps_control_ = nullptr;
  boost::asio::steady_timer* tick_timer_ = nullptr;

  std::atomic<JobPhase> phase_{JobPhase::kStarting};
  mutable std::mutex mutex_;  // guards status_ and done_
  mutable std::condition_variable done_cv_;
  JobStatus status_;
  bool done_ = false;
};

}  // namespace throng::engine
