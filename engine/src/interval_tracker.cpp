#include "throng/engine/interval_tracker.h"

#include <utility>

namespace throng::engine {
namespace {
std::shared_ptr<const StatsSnapshot> EmptySnapshot(const JobStats& stats) {
  auto empty = std::make_shared<StatsSnapshot>();
  for (const EndpointKey& key : stats.Endpoints()) empty->endpoints.push_back({.key = key});
  return empty;
}

TimelinePoint PointOf(const StatsSnapshot& cumulative, const StatsSnapshot& interval,
                      std::chrono::nanoseconds elapsed, std::chrono::nanoseconds span) {
  const EndpointStats now = interval.Aggregated();
  const EndpointStats total = cumulative.Aggregated();
  TimelinePoint p;
  p.elapsed = elapsed;
  p.span = span;
  p.users = cumulative.active_users;
  p.requests = now.requests;
  p.failures = now.failures;
  p.dropped_iterations = interval.dropped_iterations;
  p.rps = PerSecond(now.requests, span);
  p.failures_per_s = PerSecond(now.failures, span);
  p.avg_content_length = now.AvgContentLength();
  p.latency = now.Latency();
  for (std::size_t i = 0; i < kHistoryPercentiles.size(); ++i) {
    p.interval_percentiles_ms[i] =
        static_cast<double>(now.latency.ValueAtPercentile(kHistoryPercentiles[i])) / 1000.0;
  }
  p.total_requests = total.requests;
  p.total_failures = total.failures;
  p.total_latency = total.Latency();
  p.total_avg_content_length = total.AvgContentLength();
  return p;
}
}  // namespace

IntervalTracker::IntervalTracker(const JobStats& stats, std::vector<TimelineTier> tiers)
    : stats_(stats),
      cumulative_(EmptySnapshot(stats)),
      interval_(cumulative_),
      timeline_(std::move(tiers)) {}

TimelinePoint IntervalTracker::Tick(std::chrono::nanoseconds elapsed) {
  // The expensive merge and diff run outside the lock; only one thread ticks.
  auto cumulative = std::make_shared<const StatsSnapshot>(stats_.Snapshot());
  std::shared_ptr<const StatsSnapshot> previous;
  std::chrono::nanoseconds since;
  {
    std::lock_guard lock(mutex_);
    previous = cumulative_;
    since = last_elapsed_;
  }
  auto interval = std::make_shared<StatsSnapshot>(cumulative->Minus(*previous));
  const TimelinePoint point =
      PointOf(*cumulative, *interval, elapsed, std::max(elapsed - since, decltype(elapsed){0}));
  // The interval's readers (watch, live totals) want its counts, rates and summaries; the
  // timeline point above took its percentiles. Its histograms go now, not with the next tick.
  interval->DropHistograms();
  std::lock_guard lock(mutex_);
  last_elapsed_ = std::max(elapsed, last_elapsed_);
  cumulative_ = std::move(cumulative);
  interval_ = std::move(interval);
  timeline_.Append(point);
  return point;
}

std::shared_ptr<const StatsSnapshot> IntervalTracker::Cumulative() const {
  std::lock_guard lock(mutex_);
  return cumulative_;
}

std::shared_ptr<const StatsSnapshot> IntervalTracker::Interval() const {
  std::lock_guard lock(mutex_);
  return interval_;
}

IntervalTracker::View IntervalTracker::LatestView() const {
  std::lock_guard lock(mutex_);
  return {cumulative_, interval_,
          timeline_.Empty() ? std::chrono::nanoseconds{0} : timeline_.Latest().span};
}

std::vector<TimelinePoint> IntervalTracker::Points() const {
  std::lock_guard lock(mutex_);
  return timeline_.Points();
}

std::optional<TimelinePoint> IntervalTracker::Latest() const {
  std::lock_guard lock(mutex_);
  if (timeline_.Empty()) return std::nullopt;
  return timeline_.Latest();
}

}  // namespace throng::engine
