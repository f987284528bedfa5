#include "throng/engine/timeline.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace throng::engine {
namespace {
using std::chrono::minutes;
using std::chrono::seconds;

double WeightedMean(double a, std::uint64_t wa, double b, std::uint64_t wb) {
  const std::uint64_t w = wa + wb;
  return w == 0
             ? 0.0
             : (a * static_cast<double>(wa) + b * static_cast<double>(wb)) / static_cast<double>(w);
}

// An interval without requests has an all-zero summary that must not win a min.
LatencySummary FoldLatency(const LatencySummary& a, std::uint64_t na, const LatencySummary& b,
                           std::uint64_t nb) {
  if (na == 0) return b;
  if (nb == 0) return a;
  return {std::min(a.min_ms, b.min_ms), WeightedMean(a.avg_ms, na, b.avg_ms, nb),
          std::max(a.p50_ms, b.p50_ms), std::max(a.p90_ms, b.p90_ms),
          std::max(a.p95_ms, b.p95_ms), std::max(a.p99_ms, b.p99_ms),
          std::max(a.max_ms, b.max_ms)};
}
}  // namespace

void FoldInto(TimelinePoint& into, const TimelinePoint& later) {
  if (into.requests == 0) {
    into.interval_percentiles_ms = later.interval_percentiles_ms;
  } else if (later.requests != 0) {
    for (std::size_t i = 0; i < kHistoryPercentiles.size(); ++i) {
      into.interval_percentiles_ms[i] =
          std::max(into.interval_percentiles_ms[i], later.interval_percentiles_ms[i]);
    }
  }
  into.latency = FoldLatency(into.latency, into.requests, later.latency, later.requests);
  into.avg_content_length = WeightedMean(into.avg_content_length, into.requests,
                                         later.avg_content_length, later.requests);
  into.elapsed = later.elapsed;
  into.span += later.span;
  into.users = later.users;
  into.requests += later.requests;
  into.failures += later.failures;
  into.dropped_iterations += later.dropped_iterations;
  into.rps = PerSecond(into.requests, into.span);
  into.failures_per_s = PerSecond(into.failures, into.span);
  into.total_requests = later.total_requests;
  into.total_failures = later.total_failures;
  into.total_latency = later.total_latency;
  into.total_avg_content_length = later.total_avg_content_length;
}

std::vector<TimelineTier> DefaultTimelineTiers() {
  return {{seconds(1), 600}, {seconds(10), 540}, {minutes(1), 1380}, {minutes(10), 1000}};
}

Timeline::Timeline(std::vector<TimelineTier> tiers) {
  if (tiers.empty()) throw std::invalid_argument("timeline: tiers must not be empty");
  for (const TimelineTier& t : tiers) {
    if (t.capacity < 2) throw std::invalid_argument("timeline: tier capacity must be >= 2");
    tiers_.push_back({t.resolution, t.capacity, {}});
  }
}

void Timeline::Append(const TimelinePoint& point) {
  tiers_.front().points.push_back(point);
  Cascade(0);
}

void Timeline::Cascade(std::size_t index) {
  Tier& tier = tiers_[index];
  if (tier.points.size() <= tier.capacity) return;
  if (index + 1 == tiers_.size()) {
    // Last tier: halve the point count by folding neighbours, oldest first.
    std::deque<TimelinePoint> folded;
    for (std::size_t i = 0; i < tier.points.size(); i += 2) {
      folded.push_back(tier.points[i]);
      if (i + 1 < tier.points.size()) FoldInto(folded.back(), tier.points[i + 1]);
    }
    tier.points = std::move(folded);
    tier.resolution *= 2;
    return;
  }
  Tier& next = tiers_[index + 1];
  while (tier.points.size() > tier.capacity) {
    if (!next.points.empty() && next.points.back().span < next.resolution) {
      FoldInto(next.points.back(), tier.points.front());
    } else {
      next.points.push_back(tier.points.front());
    }
    tier.points.pop_front();
  }
  Cascade(index + 1);
}

std::vector<TimelinePoint> Timeline::Points() const {
  std::vector<TimelinePoint> all;
  all.reserve(Size());
  for (auto tier = tiers_.rbegin(); tier != tiers_.rend(); ++tier) {
    all.insert(all.end(), tier->points.begin(), tier->points.end());
  }
  return all;
}

std::size_t Timeline::Size() const {
  std::size_t n = 0;
  for (const Tier& t : tiers_) n += t.points.size();
  return n;
}

}  // namespace throng::engine
