// A bounded time series of a job's interval figures, for live views, charts and reports.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "throng/engine/stats_snapshot.h"

namespace throng::engine {

/// Percentiles of each point's interval_percentiles_ms (Locust's stats_history columns).
inline constexpr std::array<double, 11> kHistoryPercentiles = {50, 66, 75,   80,    90, 95,
                                                               98, 99, 99.9, 99.99, 100};

/// Figures of one interval (or of several folded intervals) of a job.
struct TimelinePoint {
  std::chrono::nanoseconds elapsed{0};   // end of the interval, since the job started
  std::chrono::nanoseconds span{0};      // length of the interval
  std::int64_t users = 0;                // active at the end of the interval
  std::uint64_t requests = 0;            // in the interval
  std::uint64_t failures = 0;            // in the interval
  std::uint64_t dropped_iterations = 0;  // in the interval
  double rps = 0;
  double failures_per_s = 0;
  double avg_content_length = 0;  // bytes received per request in the interval
  LatencySummary latency;         // of the interval's requests
  /// Interval latency at kHistoryPercentiles, milliseconds.
  std::array<double, kHistoryPercentiles.size()> interval_percentiles_ms{};
  std::uint64_t total_requests = 0;  // cumulative at the end of the interval
  std::uint64_t total_failures = 0;
  LatencySummary total_latency;         // cumulative at the end of the interval
  double total_avg_content_length = 0;  // cumulative bytes received per request
};

/// Folds `later` (the next interval) into `into`: counts and spans add; rps and failures/s are
/// recomputed from the sums (the span-weighted mean); avg latency and avg content length are
/// request-weighted means; min is the min and max the max; interval percentiles take the max of
/// the folded points (percentiles of a union cannot be recovered from summaries, so a coarse
/// point shows the worst fine one: an upper bound, never hiding a spike); gauges (users) and
/// cumulative figures take `later`'s values, as they describe the end of the span.
void FoldInto(TimelinePoint& into, const TimelinePoint& later);

/// One resolution tier: up to `capacity` points of about `resolution` each.
struct TimelineTier {
  std::chrono::nanoseconds resolution;
  std::size_t capacity;
};

/// Default tiers: 10 min at 1 s, 90 min at 10 s, 23 h at 1 min, then 1000 points of 10 min
/// or more (about 7 days before the last tier starts doubling its resolution).
std::vector<TimelineTier> DefaultTimelineTiers();

/// Append-only series of bounded size whatever the run length: the newest points stay in the
/// first (finest) tier; a tier's overflow moves its oldest point into the next tier, where it
/// folds into the newest coarse point until that spans the tier's resolution. When the last
/// tier overflows, its points fold pairwise (its resolution doubles). At most the sum of the
/// capacities (+1 per tier) points are held; with the defaults about 3600 x 264 B < 1 MB.
/// Not synchronised: the owner serialises access (IntervalTracker does).
class Timeline {
 public:
  explicit Timeline(std::vector<TimelineTier> tiers = DefaultTimelineTiers());

  void Append(const TimelinePoint& point);
  /// All points, oldest first.
  std::vector<TimelinePoint> Points() const;
  std::size_t Size() const;
  bool Empty() const { return Size() == 0; }
  /// The newest point; requires !Empty().
  const TimelinePoint& Latest() const { return tiers_.front().points.back(); }

 private:
  struct Tier {
    std::chrono::nanoseconds resolution;
    std::size_t capacity;
    std::deque<TimelinePoint> points;  // oldest first
  };
  void Cascade(std::size_t tier);

  std::vector<Tier> tiers_;  // finest first
};

}  // namespace throng::engine
