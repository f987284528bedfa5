#include "throng/engine/timeline.h"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>

namespace throng::engine {
namespace {

using std::chrono::hours;
using std::chrono::nanoseconds;
using std::chrono::seconds;

// The point of second `i` of a run: i requests, every 10th second one failure.
TimelinePoint Second(std::int64_t i) {
  TimelinePoint p;
  p.elapsed = seconds(i);
  p.span = seconds(1);
  p.users = i;
  p.requests = static_cast<std::uint64_t>(i);
  p.failures = i % 10 == 0 ? 1 : 0;
  p.dropped_iterations = 1;
  p.rps = static_cast<double>(p.requests);
  p.failures_per_s = static_cast<double>(p.failures);
  p.avg_content_length = 100;
  p.latency = {1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0};
  p.total_requests = static_cast<std::uint64_t>(i * (i + 1) / 2);
  p.total_latency = {1.0, 2.0, 2.0, 3.0, 4.0, 5.0, static_cast<double>(i)};
  return p;
}

TEST(TimelineTest, FoldAddsCountsAndRecomputesRates) {
  TimelinePoint a;
  a.elapsed = seconds(1);
  a.span = seconds(1);
  a.users = 5;
  a.requests = 100;
  a.failures = 10;
  a.avg_content_length = 200;
  a.latency = {10, 20, 20, 30, 40, 50, 60};
  TimelinePoint b;
  b.elapsed = seconds(4);
  b.span = seconds(3);
  b.users = 8;
  b.requests = 300;
  b.failures = 2;
  b.dropped_iterations = 4;
  b.avg_content_length = 100;
  b.latency = {5, 40, 30, 35, 38, 45, 70};
  b.total_requests = 400;
  b.total_latency.p99_ms = 77;
  b.total_avg_content_length = 99;
  a.interval_percentiles_ms.fill(10);
  a.interval_percentiles_ms.back() = 60;
  b.interval_percentiles_ms.fill(20);

  FoldInto(a, b);
  EXPECT_EQ(a.elapsed, seconds(4));
  EXPECT_EQ(a.span, seconds(4));
  EXPECT_EQ(a.users, 8);
  EXPECT_EQ(a.requests, 400u);
  EXPECT_EQ(a.failures, 12u);
  EXPECT_EQ(a.dropped_iterations, 4u);
  EXPECT_DOUBLE_EQ(a.rps, 100.0);
  EXPECT_DOUBLE_EQ(a.failures_per_s, 3.0);
  EXPECT_DOUBLE_EQ(a.avg_content_length, 125.0);
  EXPECT_DOUBLE_EQ(a.latency.min_ms, 5);
  EXPECT_DOUBLE_EQ(a.latency.avg_ms, 35);  // (20*100 + 40*300) / 400
  EXPECT_DOUBLE_EQ(a.latency.p50_ms, 30);
  EXPECT_DOUBLE_EQ(a.latency.p90_ms, 35);
  EXPECT_DOUBLE_EQ(a.latency.p95_ms, 40);
  EXPECT_DOUBLE_EQ(a.latency.p99_ms, 50);
  EXPECT_DOUBLE_EQ(a.latency.max_ms, 70);
  EXPECT_EQ(a.total_requests, 400u);
  EXPECT_DOUBLE_EQ(a.total_latency.p99_ms, 77);
  EXPECT_DOUBLE_EQ(a.total_avg_content_length, 99);
  EXPECT_DOUBLE_EQ(a.interval_percentiles_ms.front(), 20);
  EXPECT_DOUBLE_EQ(a.interval_percentiles_ms.back(), 60);
}

TEST(TimelineTest, FoldIgnoresTheLatencyOfEmptyIntervals) {
  TimelinePoint idle;
  idle.span = seconds(1);
  TimelinePoint busy;
  busy.span = seconds(1);
  busy.requests = 4;
  busy.latency = {3, 4, 4, 5, 5, 5, 6};
  busy.interval_percentiles_ms.fill(4);
  idle.interval_percentiles_ms.fill(-1);  // must not survive: the idle point had no requests
  FoldInto(idle, busy);
  EXPECT_DOUBLE_EQ(idle.interval_percentiles_ms[0], 4);
  EXPECT_DOUBLE_EQ(idle.latency.min_ms, 3);
  EXPECT_DOUBLE_EQ(idle.latency.avg_ms, 4);
  EXPECT_DOUBLE_EQ(idle.rps, 2.0);
}

TEST(TimelineTest, KeepsRecentPointsAtFullResolutionAndStaysBounded) {
  Timeline timeline({{seconds(1), 5}, {seconds(10), 3}, {seconds(60), 4}});
  constexpr std::int64_t kSeconds = 20'000;
  std::uint64_t requests = 0;
  for (std::int64_t i = 1; i <= kSeconds; ++i) {
    timeline.Append(Second(i));
    requests += static_cast<std::uint64_t>(i);
    ASSERT_LE(timeline.Size(), 5u + 3 + 4 + 3);
  }
  const std::vector<TimelinePoint> points = timeline.Points();
  ASSERT_EQ(points.size(), timeline.Size());
  // Newest five are untouched one-second points.
  for (std::int64_t k = 0; k < 5; ++k) {
    const TimelinePoint& p = points[points.size() - 1 - static_cast<std::size_t>(k)];
    EXPECT_EQ(p.elapsed, seconds(kSeconds - k));
    EXPECT_EQ(p.span, seconds(1));
  }
  // Folding conserves counts and time, and keeps the series in order without gaps.
  std::uint64_t folded_requests = 0;
  std::uint64_t dropped = 0;
  nanoseconds span{0};
  nanoseconds previous_end{0};
  for (const TimelinePoint& p : points) {
    folded_requests += p.requests;
    dropped += p.dropped_iterations;
    EXPECT_EQ(p.elapsed - p.span, previous_end);
    previous_end = p.elapsed;
    span += p.span;
    EXPECT_DOUBLE_EQ(
        p.rps, static_cast<double>(p.requests) / std::chrono::duration<double>(p.span).count());
    EXPECT_EQ(p.users, p.elapsed / seconds(1));
  }
  EXPECT_EQ(folded_requests, requests);
  EXPECT_EQ(dropped, static_cast<std::uint64_t>(kSeconds));
  EXPECT_EQ(span, seconds(kSeconds));
  EXPECT_EQ(timeline.Latest().elapsed, seconds(kSeconds));
  EXPECT_EQ(points.front().total_latency.max_ms,
            static_cast<double>(points.front().elapsed / seconds(1)));
}

// 25 h reaches the last default tier; its doubling is covered by the small-tier test above.
TEST(TimelineTest, DefaultTiersHoldADayLongRunInBoundedMemory) {
  Timeline timeline;
  std::size_t max_size = 0;
  const std::int64_t kRun = hours(25) / seconds(1);
  for (std::int64_t i = 1; i <= kRun; ++i) {
    timeline.Append(Second(i));
    max_size = std::max(max_size, timeline.Size());
  }
  std::size_t capacity = 0;
  for (const TimelineTier& t : DefaultTimelineTiers()) capacity += t.capacity + 1;
  EXPECT_LE(max_size, capacity);
  const std::vector<TimelinePoint> points = timeline.Points();
  EXPECT_EQ(points.front().elapsed - points.front().span, seconds(0));
  EXPECT_EQ(points.back().elapsed, seconds(kRun));
  EXPECT_EQ(points[points.size() - 601].span, seconds(10));
  EXPECT_EQ(points.front().span, std::chrono::minutes(10));
}

TEST(TimelineTest, RejectsUnusableTiers) {
  EXPECT_THROW(Timeline(std::vector<TimelineTier>{}), std::invalid_argument);
  EXPECT_THROW(Timeline({{seconds(1), 1}}), std::invalid_argument);
}

}  // namespace
}  // namespace throng::engine
