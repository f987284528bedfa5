// Prometheus series of the daemon's jobs, computed from the engine's statistics at scrape time.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "throng/engine/clock.h"
#include "throng/engine/job_status.h"
#include "throng/engine/plan.h"
#include "throng/engine/stats_snapshot.h"

namespace throng::api {

/// Default `throng_http_request_duration_seconds` bucket upper bounds, seconds (docs/metrics.md).
extern const std::vector<double> kDefaultLatencyBuckets;

/// One `throng_threshold_passing` series.
struct ThresholdGauge {
  std::string threshold;  // label value; see ThresholdLabel()
  bool passing = true;
};

/// The `threshold` label of a threshold: its expression, plus " [name]" when scoped to a name.
std::string ThresholdLabel(const engine::ThresholdPlan& threshold);

/// What the collectable reads of one job. The callbacks are called at scrape time from the
/// exposer's thread, possibly concurrently with the job running: they must be thread-safe and
/// must keep whatever they read alive (capture a shared_ptr to the job).
struct JobMetricsSource {
  std::string run;   // the job id (`run` label)
  std::string test;  // the job spec's name (`test` label)
  /// Cumulative statistics. Required. Prefer the IntervalTracker's latest snapshot
  /// ([tracker] { return tracker->Cumulative(); }, at most one tick old): merging a job's
  /// per-thread stats costs about 0.2 ms per endpoint and worker and allocates 370 KiB per
  /// endpoint. A fresh merge:
  /// [job] { return std::make_shared<const StatsSnapshot>(job->Stats().Snapshot()); }.
  /// Returning null skips the job's series for that scrape.
  std::function<std::shared_ptr<const engine::StatsSnapshot>()> snapshot;
  /// Lifecycle phase and schedule targets (target_users, target_rate). Optional.
  std::function<engine::JobStatus()> status;
  /// Current threshold states. Optional.
  std::function<std::vector<ThresholdGauge>()> thresholds;
  /// Latency bucket upper bounds in seconds (Plan::histogram_buckets); empty: the defaults.
  std::vector<double> buckets;
};

/// A prometheus::Collectable exposing every registered job's series (docs/metrics.md). Reads
/// the merged per-thread statistics at scrape time; the hot path takes no lock for it.
/// Finished jobs are kept for `retention` after MarkFinished() (so the last scrapes see their
/// end), then dropped. Thread-safe: Add/MarkFinished/Remove may race with Collect(). Register
/// it with prometheus::Exposer::RegisterCollectable and keep the shared_ptr alive.
class JobMetricsCollectable final : public prometheus::Collectable {
 public:
  /// `clock` (not owned, must outlive this) times the retention; null: the steady clock.
  explicit JobMetricsCollectable(std::chrono::nanoseconds retention = std::chrono::minutes(10),
                                 const engine::Clock* clock = nullptr);

  /// Adds or replaces the job `id`. Throws std::invalid_argument without a snapshot callback.
  void Add(const std::string& id, JobMetricsSource source);
  /// Starts the retention of job `id` at `finished_at` (a time of the injected clock). Unknown
  /// ids are ignored.
  void MarkFinished(const std::string& id, engine::TimePoint finished_at);
  /// Drops job `id` now.
  void Remove(const std::string& id);
  /// Drops the finished jobs whose retention has passed (and the memory their series hold).
  /// The executor calls it on its own timer, so a job is released whether or not anyone scrapes.
  void Prune();
  /// Jobs currently held (after pruning expired ones).
  std::size_t Size() const;

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  struct Entry {
    std::shared_ptr<const JobMetricsSource> source;
    std::optional<engine::TimePoint> finished_at;
  };
  /// Drops expired finished jobs; requires mutex_ held.
  void PruneLocked() const;

  const std::chrono::nanoseconds retention_;
  engine::SteadyClock steady_clock_;
  const engine::Clock& clock_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, Entry> entries_;
};

}  // namespace throng::api
