// The JobExecutor that runs jobs on the load engine.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "throng/api/executor/job_executor.h"
#include "throng/api/metrics/job_metrics.h"
#include "throng/engine/engine.h"

namespace throng::api {

class SupervisedJob;

struct EngineJobExecutorOptions {
  engine::EngineOptions engine;
  /// Live interval: timeline resolution, threshold evaluation and WatchJob's freshest figures.
  std::chrono::nanoseconds tick = std::chrono::seconds(1);
  /// How often a running job's report so far is handed to its sink's OnCheckpoint (the
  /// registry stores it, so a crash keeps it); zero: never.
  std::chrono::nanoseconds checkpoint_interval = std::chrono::seconds(5);
  /// How long an ended job stays in the executor (live Snapshot/Report) after its end was
  /// delivered; the registry keeps the final report afterwards.
  std::chrono::nanoseconds retention = std::chrono::minutes(10);
  /// Upper bound on Shutdown()'s wait for jobs to finish their graceful stop and teardown;
  /// jobs still running then are stopped at once (and get 30 s more to end and report).
  std::chrono::nanoseconds shutdown_timeout = std::chrono::minutes(2);
};

/// Runs each submitted job on one shared engine::Engine and supervises it on one thread (it looks
/// at every job every 100 ms of real time; intervals, checkpoints and retention follow the
/// engine's clock): state changes and the final report go to the job's sink, every job's series are
/// added to `metrics` (may be null) and marked finished when the job ends. Thread-safe.
class EngineJobExecutor final : public JobExecutor {
 public:
  /// Throws std::invalid_argument unless `options.tick` is positive.
  EngineJobExecutor(EngineJobExecutorOptions options,
                    std::shared_ptr<JobMetricsCollectable> metrics);
  /// Stops the supervisor, drops the jobs' series and stops any job still running at once.
  ~EngineJobExecutor() override;
  EngineJobExecutor(const EngineJobExecutor&) = delete;
  EngineJobExecutor& operator=(const EngineJobExecutor&) = delete;

  void Start(const std::string& job_id, engine::Plan plan, JobEventSink& sink) override;
  grpc::Status Update(const v1::UpdateJobRequest& request) override;
  grpc::Status Stop(const std::string& job_id, bool immediate,
                    std::optional<std::chrono::nanoseconds> grace) override;
  std::optional<v1::JobSnapshot> Snapshot(const std::string& job_id) override;
  bool ReportInto(const std::string& job_id, v1::Report& into) override;
  void Shutdown() override;

 private:
  std::shared_ptr<SupervisedJob> Find(const std::string& job_id) const;
  /// The engine's clock (options.engine.clock, so tests drive supervision on simulated time), or
  /// the steady clock.
  std::chrono::steady_clock::time_point Now() const;
  /// The supervisor thread: polls every job, delivers ends, drops expired jobs.
  void Supervise();
  /// One pass over the jobs: polls each, marks ended ones finished on the metrics, drops
  /// expired ones, and records whether every job held has delivered its end.
  void PollAll();

  const EngineJobExecutorOptions options_;
  const std::shared_ptr<JobMetricsCollectable> metrics_;
  engine::Engine engine_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, std::shared_ptr<SupervisedJob>> jobs_;  // guarded by mutex_
  bool all_delivered_ = true;                                   // guarded by mutex_
  bool stopping_ = false;                                       // guarded by mutex_
  std::thread supervisor_;
};

}  // namespace throng::api
