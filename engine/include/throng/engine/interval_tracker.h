// The one place where a job's intervals are computed; metrics, watch stream and reports read it.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "throng/engine/stats.h"
#include "throng/engine/stats_snapshot.h"
#include "throng/engine/timeline.h"

namespace throng::engine {

/// Called once per interval (by one ticking thread), snapshots the job's stats, diffs them with
/// the previous snapshot and appends a TimelinePoint. Readers on any thread get the latest
/// cumulative and interval snapshots (shared, immutable) and the timeline. Thread-safe.
/// Keeps a reference to `stats`, which must outlive it.
class IntervalTracker {
 public:
  explicit IntervalTracker(const JobStats& stats,
                           std::vector<TimelineTier> tiers = DefaultTimelineTiers());

  /// Closes the interval ending at `elapsed` (time since the job started, from the injected
  /// clock; must not decrease) and returns its point.
  TimelinePoint Tick(std::chrono::nanoseconds elapsed);

  /// Latest cumulative snapshot (all endpoints with zero figures before the first Tick).
  std::shared_ptr<const StatsSnapshot> Cumulative() const;
  /// Snapshot of the latest interval (zero figures before the first Tick): counts, and latency
  /// summaries whose histograms were dropped (StatsSnapshot::DropHistograms) once the timeline
  /// point took its percentiles.
  std::shared_ptr<const StatsSnapshot> Interval() const;
  /// The latest cumulative and interval snapshots with the interval's span, read together (so
  /// a rate never divides one interval's counts by another's span).
  struct View {
    std::shared_ptr<const StatsSnapshot> cumulative;
    std::shared_ptr<const StatsSnapshot> interval;
    std::chrono::nanoseconds span{0};  // 0 before the first Tick
  };
  View LatestView() const;
  /// All timeline points, oldest first.
  std::vector<TimelinePoint> Points() const;
  std::optional<TimelinePoint> Latest() const;

 private:
  const JobStats& stats_;
  mutable std::mutex mutex_;
  std::chrono::nanoseconds last_elapsed_{0};
  std::shared_ptr<const StatsSnapshot> cumulative_;
  std::shared_ptr<const StatsSnapshot> interval_;
  Timeline timeline_;
};

}  // namespace throng::engine
