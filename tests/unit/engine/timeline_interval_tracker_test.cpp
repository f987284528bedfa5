#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "throng/engine/interval_tracker.h"

namespace throng::engine {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

void Record(ThreadStats& w, std::uint32_t endpoint, int n, microseconds latency,
            FailureKind failure = FailureKind::kNone) {
  for (int i = 0; i < n; ++i) {
    w.RecordRequest(endpoint, {.latency = latency,
                               .service_time = latency,
                               .failure = failure,
                               .status = failure == FailureKind::kNone ? 200u : 0u,
                               .bytes_received = 50});
  }
}

TEST(IntervalTrackerTest, BeforeTheFirstTickEverythingIsZero) {
  JobStats stats({{"a", "GET"}}, 1);
  IntervalTracker tracker(stats);
  EXPECT_FALSE(tracker.Latest().has_value());
  EXPECT_TRUE(tracker.Points().empty());
  ASSERT_EQ(tracker.Cumulative()->endpoints.size(), 1u);
  EXPECT_EQ(tracker.Cumulative()->endpoints[0].key.name, "a");
  EXPECT_EQ(tracker.Interval()->Aggregated().requests, 0u);
}

TEST(IntervalTrackerTest, EachTickDescribesOnlyItsOwnInterval) {
  JobStats stats({{"a", "GET"}, {"b", "POST"}}, 2);
  IntervalTracker tracker(stats);
  ThreadStats& w0 = stats.ForWorker(0);
  ThreadStats& w1 = stats.ForWorker(1);

  w0.AddActiveUsers(3);
  Record(w0, 0, 6, microseconds(1'000));
  Record(w1, 1, 4, microseconds(2'000));
  const TimelinePoint first = tracker.Tick(seconds(1));
  EXPECT_EQ(first.span, seconds(1));
  EXPECT_EQ(first.requests, 10u);
  EXPECT_DOUBLE_EQ(first.rps, 10.0);
  EXPECT_EQ(first.users, 3);
  EXPECT_DOUBLE_EQ(first.latency.min_ms, 1.0);
  EXPECT_DOUBLE_EQ(first.latency.max_ms, 2.0);
  EXPECT_DOUBLE_EQ(first.avg_content_length, 50.0);
  EXPECT_DOUBLE_EQ(first.total_avg_content_length, 50.0);
  EXPECT_DOUBLE_EQ(first.interval_percentiles_ms[0], 1.0);  // p50 of six 1 ms and four 2 ms
  EXPECT_DOUBLE_EQ(first.interval_percentiles_ms[1], 2.0);  // p66
  EXPECT_DOUBLE_EQ(first.interval_percentiles_ms.back(), 2.0);

  w1.AddActiveUsers(2);
  Record(w1, 1, 3, microseconds(400'000), FailureKind::kTimeout);
  Record(w0, 0, 2, microseconds(300'000));
  w0.RecordDroppedIteration();
  const TimelinePoint second = tracker.Tick(seconds(3));
  EXPECT_EQ(second.span, seconds(2));
  EXPECT_EQ(second.requests, 5u);
  EXPECT_EQ(second.failures, 3u);
  EXPECT_DOUBLE_EQ(second.rps, 2.5);
  EXPECT_DOUBLE_EQ(second.failures_per_s, 1.5);
  EXPECT_EQ(second.dropped_iterations, 1u);
  EXPECT_EQ(second.users, 5);
  EXPECT_NEAR(second.latency.min_ms, 300.0, 0.3);  // the first interval's 1 ms is gone
  EXPECT_DOUBLE_EQ(second.latency.max_ms, 400.0);
  EXPECT_EQ(second.total_requests, 15u);
  EXPECT_EQ(second.total_failures, 3u);
  EXPECT_DOUBLE_EQ(second.total_latency.min_ms, 1.0);
  EXPECT_DOUBLE_EQ(second.total_latency.max_ms, 400.0);
  EXPECT_DOUBLE_EQ(second.interval_percentiles_ms.back(), 400.0);
  EXPECT_NEAR(second.interval_percentiles_ms[0], 400.0, 0.4);  // p50 of 2 x 300 ms, 3 x 400 ms

  EXPECT_EQ(tracker.Interval()->endpoints[1].FailuresOf(FailureKind::kTimeout), 3u);
  EXPECT_EQ(tracker.Interval()->endpoints[0].requests, 2u);
  EXPECT_EQ(tracker.Cumulative()->endpoints[0].requests, 8u);
  ASSERT_EQ(tracker.Points().size(), 2u);
  EXPECT_EQ(tracker.Latest()->elapsed, seconds(3));

  const TimelinePoint idle = tracker.Tick(seconds(4));
  EXPECT_EQ(idle.requests, 0u);
  EXPECT_EQ(idle.rps, 0.0);
  EXPECT_EQ(idle.latency.max_ms, 0.0);
  EXPECT_EQ(idle.total_requests, 15u);
}

// A writer records while this thread ticks and a reader polls; the points add up exactly.
TEST(IntervalTrackerTest, TheIntervalKeepsItsSummariesButNotItsHistograms) {
  JobStats stats({{"a", "GET"}, {"b", "POST"}}, 1);
  IntervalTracker tracker(stats);
  Record(stats.ForWorker(0), 0, 6, microseconds(1'000));
  Record(stats.ForWorker(0), 1, 4, microseconds(30'000));
  const TimelinePoint point = tracker.Tick(seconds(1));
  const std::shared_ptr<const StatsSnapshot> interval = tracker.Interval();
  for (const EndpointStats& e : interval->endpoints) {
    EXPECT_EQ(e.latency.AllocatedBytes(), 0u) << e.key.name;
    EXPECT_FALSE(e.distinct_service_time.has_value());
  }
  EXPECT_EQ(interval->endpoints[0].requests, 6u);
  EXPECT_DOUBLE_EQ(interval->endpoints[0].Latency().max_ms, 1.0);
  EXPECT_DOUBLE_EQ(interval->endpoints[1].Latency().min_ms, 30.0);
  const EndpointStats all = interval->Aggregated();
  EXPECT_EQ(all.requests, 10u);
  EXPECT_EQ(all.latency.AllocatedBytes(), 0u);
  EXPECT_DOUBLE_EQ(all.Latency().min_ms, point.latency.min_ms);
  EXPECT_DOUBLE_EQ(all.Latency().max_ms, point.latency.max_ms);
  EXPECT_DOUBLE_EQ(all.Latency().p50_ms, point.latency.p50_ms);
  EXPECT_DOUBLE_EQ(all.Latency().avg_ms, 12.6);  // (6 x 1 + 4 x 30) / 10
  // The cumulative snapshot keeps its histograms: reports, thresholds and /metrics read them.
  EXPECT_EQ(tracker.Cumulative()->endpoints[0].latency.Count(), 6u);
}

TEST(IntervalTrackerTest, LatestViewReadsSnapshotsAndSpanTogether) {
  JobStats stats({{"a", "GET"}}, 1);
  IntervalTracker tracker(stats);
  EXPECT_EQ(tracker.LatestView().span, seconds(0));
  Record(stats.ForWorker(0), 0, 8, microseconds(1'000));
  tracker.Tick(seconds(1));
  Record(stats.ForWorker(0), 0, 3, microseconds(1'000));
  tracker.Tick(milliseconds(1'250));
  const IntervalTracker::View view = tracker.LatestView();
  EXPECT_EQ(view.span, milliseconds(250));
  EXPECT_EQ(view.interval->Aggregated().requests, 3u);
  EXPECT_EQ(view.cumulative->Aggregated().requests, 11u);
  EXPECT_DOUBLE_EQ(PerSecond(view.interval->Aggregated().requests, view.span), 12.0);
}

TEST(IntervalTrackerTest, TicksWhileRecordingLoseNothing) {
  JobStats stats({{"a", "GET"}}, 1);
  IntervalTracker tracker(stats);
  constexpr int kRequests = 30'000;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    Record(stats.ForWorker(0), 0, kRequests, microseconds(250));
    done = true;
  });
  std::thread reader([&] {
    for (int i = 0; i < 200 && !done; ++i) {
      const auto cumulative = tracker.Cumulative();
      EXPECT_LE(cumulative->endpoints[0].requests, static_cast<std::uint64_t>(kRequests));
      (void)tracker.Points();
    }
  });
  std::int64_t tick = 0;
  while (!done && tick < 10'000) tracker.Tick(seconds(++tick));
  writer.join();
  reader.join();
  tracker.Tick(seconds(++tick));

  std::uint64_t requests = 0;
  for (const TimelinePoint& p : tracker.Points()) requests += p.requests;
  EXPECT_EQ(requests, static_cast<std::uint64_t>(kRequests));
  EXPECT_EQ(tracker.Latest()->total_requests, static_cast<std::uint64_t>(kRequests));
}

}  // namespace
}  // namespace throng::engine
