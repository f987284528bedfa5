// One job under the executor's supervision: intervals, thresholds, state and report delivery.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "checkpoint_schedule.h"
#include "throng/api/common/serialized_report.h"
#include "throng/api/executor/job_executor.h"
#include "throng/api/executor/job_figures.h"
#include "throng/api/metrics/job_metrics.h"
#include "throng/engine/interval_tracker.h"
#include "throng/engine/running_job.h"
#include "throng/engine/threshold_evaluator.h"

namespace throng::api {

/// Wraps a started engine job. The executor's supervisor thread calls Poll() often (every 100 ms
/// or so): it reports phase changes to the sink, closes an interval every `tick` (timeline,
/// live figures, threshold evaluation, abort on a breached abort_on_fail threshold) and, once
/// the job has ended, closes the last interval and delivers the final state, verdict and report.
/// Every `checkpoint_interval` (rounded up to an interval close; zero: never) the report so far
/// goes to the sink's OnCheckpoint, on the supervisor thread.
/// Snapshot(), Report() and the metrics callbacks may be called from any thread meanwhile.
class SupervisedJob : public std::enable_shared_from_this<SupervisedJob> {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  SupervisedJob(std::string id, std::shared_ptr<engine::RunningJob> job, JobEventSink& sink,
                std::chrono::nanoseconds tick, std::chrono::nanoseconds checkpoint_interval,
                SteadyTime now);

  /// Supervisor thread only. Returns true once the job has ended and its end was delivered.
  bool Poll(SteadyTime now);
  /// True once the end was delivered (the final report is built).
  bool Delivered() const { return delivered_.load(std::memory_order_acquire); }
  /// When the end was delivered; meaningful once Delivered().
  SteadyTime DeliveredAt() const { return delivered_at_; }

  v1::JobSnapshot Snapshot() const;
  v1::Report Report() const;
  /// The same, built into `into` (empty; maybe on an arena): the final report is copied in, a
  /// running job's report is built there.
  void ReportInto(v1::Report& into) const;
  engine::RunningJob& Job() { return *job_; }
  const std::string& Id() const { return id_; }
  /// The job's Prometheus source; its callbacks keep this object alive.
  JobMetricsSource MetricsSource();

 private:
  /// Current figures; `evaluation` and `aborted_by` read under mutex_.
  JobFigures Figures() const;
  /// Closes an interval at `now` and evaluates the thresholds.
  void Tick(SteadyTime now);
  /// Applies the latest evaluation: aborts the job on a breached abort_on_fail threshold.
  void AbortIfBreached(const engine::ThresholdEvaluation& evaluation);
  void Deliver(SteadyTime now);
  /// The report of the running job, built into `report` (empty; maybe on an arena).
  void BuildLiveReport(v1::Report& report) const;
  /// Every part of the live report but its endpoint rows, built into `head`.
  void BuildLiveReportHead(const JobFigures& figures, v1::Report& head) const;
  /// The live report serialized row by row, for a checkpoint.
  SerializedReport SerializedLiveReport() const;
  /// `head` with `figures`' endpoint rows, serialized, beside the parts the registry reads.
  static SerializedReport HandedOver(const v1::Report& head, const JobFigures& figures);

  const std::string id_;
  const std::shared_ptr<engine::RunningJob> job_;
  JobEventSink& sink_;
  const std::chrono::nanoseconds tick_;
  const SteadyTime origin_;
  const std::chrono::system_clock::time_point wall_origin_;
  const double cpu_origin_;  // ProcessCpuSeconds() when the job was taken on
  engine::IntervalTracker tracker_;
  const engine::ThresholdEvaluator evaluator_;

  // Supervisor thread only.
  SteadyTime next_tick_;
  CheckpointSchedule checkpoints_;
  v1::JobState reported_state_ = v1::QUEUED;
  SteadyTime delivered_at_{};

  mutable std::mutex mutex_;
  engine::ThresholdEvaluation evaluation_;  // guarded by mutex_
  std::optional<std::size_t> aborted_by_;   // guarded by mutex_
  // The final report, serialized (a fifth of the message's memory; read rarely: the registry
  // serves ended jobs' reports). Guarded by mutex_.
  std::optional<std::string> final_report_;
  std::atomic<bool> delivered_{false};
};

}  // namespace throng::api
