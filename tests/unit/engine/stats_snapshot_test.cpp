#include "throng/engine/stats_snapshot.h"

#include <gtest/gtest.h>

#include <chrono>

#include "throng/engine/stats.h"

namespace throng::engine {
namespace {

using std::chrono::microseconds;

void RecordPhase(ThreadStats& w, std::uint64_t n, microseconds base, unsigned status) {
  for (std::uint64_t i = 0; i < n; ++i) {
    const RequestSample sample{
        .latency = base + microseconds(i),
        .service_time = base,
        .failure = status >= 400 ? FailureKind::kUnexpectedStatus : FailureKind::kNone,
        .status = status,
        .bytes_sent = 1,
        .bytes_received = 10};
    w.RecordRequest(static_cast<std::uint32_t>(i % 2), sample);
    w.RecordIteration();
  }
}

std::vector<EndpointKey> Keys() { return {{"a", "GET"}, {"b", "POST"}}; }

TEST(StatsSnapshotTest, MinusEqualsRecordingOnlyTheInterval) {
  JobStats cumulative(Keys(), 1);
  RecordPhase(cumulative.ForWorker(0), 1000, microseconds(5'000), 200);
  cumulative.ForWorker(0).AddActiveUsers(10);
  const StatsSnapshot before = cumulative.Snapshot();
  RecordPhase(cumulative.ForWorker(0), 300, microseconds(90'000), 404);
  cumulative.ForWorker(0).RecordDroppedIteration();
  cumulative.ForWorker(0).AddActiveUsers(-4);

  JobStats only_interval(Keys(), 1);
  RecordPhase(only_interval.ForWorker(0), 300, microseconds(90'000), 404);
  const StatsSnapshot expected = only_interval.Snapshot();

  const StatsSnapshot interval = cumulative.Snapshot().Minus(before);
  ASSERT_EQ(interval.endpoints.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const EndpointStats& got = interval.endpoints[i];
    const EndpointStats& want = expected.endpoints[i];
    EXPECT_EQ(got.key, want.key);
    EXPECT_EQ(got.requests, want.requests);
    EXPECT_EQ(got.failures, want.failures);
    EXPECT_EQ(got.failures_by_kind, want.failures_by_kind);
    EXPECT_EQ(got.by_status, want.by_status);
    EXPECT_EQ(got.bytes_sent, want.bytes_sent);
    EXPECT_EQ(got.bytes_received, want.bytes_received);
    EXPECT_EQ(got.latency.Count(), want.latency.Count());
    EXPECT_EQ(got.latency.Sum(), want.latency.Sum());
    EXPECT_EQ(got.latency.ValueAtPercentile(50), want.latency.ValueAtPercentile(50));
    EXPECT_NEAR(static_cast<double>(got.latency.Min()), static_cast<double>(want.latency.Min()),
                want.latency.Min() * 0.001);
  }
  EXPECT_EQ(interval.iterations, 300u);
  EXPECT_EQ(interval.dropped_iterations, 1u);
  EXPECT_EQ(interval.active_users, 6);  // a gauge, not a difference
  EXPECT_EQ(interval.Aggregated().requests, 300u);
}

TEST(StatsSnapshotTest, AggregatedMergesAllEndpoints) {
  JobStats stats(Keys(), 2);
  RecordPhase(stats.ForWorker(0), 10, microseconds(1'000), 200);
  RecordPhase(stats.ForWorker(1), 6, microseconds(50'000), 500);
  const EndpointStats all = stats.Snapshot().Aggregated();
  EXPECT_EQ(all.key, (EndpointKey{"Aggregated", ""}));
  EXPECT_EQ(all.requests, 16u);
  EXPECT_EQ(all.failures, 6u);
  EXPECT_EQ(all.RequestsWithStatus(500), 6u);
  EXPECT_EQ(all.latency.Count(), 16u);
  EXPECT_EQ(all.latency.Min(), 1'000u);
  EXPECT_EQ(all.latency.Max(), 50'005u);
  EXPECT_DOUBLE_EQ(all.FailureRatio(), 6.0 / 16.0);
  EXPECT_DOUBLE_EQ(all.AvgContentLength(), 10.0);
}

TEST(StatsSnapshotTest, SummaryIsInMilliseconds) {
  EndpointStats e;
  for (std::uint64_t ms = 1; ms <= 100; ++ms) e.latency.Record(ms * 1000);
  const LatencySummary s = e.Latency();
  EXPECT_DOUBLE_EQ(s.min_ms, 1.0);
  EXPECT_DOUBLE_EQ(s.max_ms, 100.0);
  EXPECT_DOUBLE_EQ(s.avg_ms, 50.5);
  EXPECT_NEAR(s.p50_ms, 50.0, 0.05);
  EXPECT_NEAR(s.p90_ms, 90.0, 0.09);
  EXPECT_NEAR(s.p95_ms, 95.0, 0.095);
  EXPECT_NEAR(s.p99_ms, 99.0, 0.099);
  const LatencySummary empty = Summarize(LatencyHistogram{});
  EXPECT_EQ(empty.max_ms, 0.0);
  EXPECT_EQ(empty.avg_ms, 0.0);
}

TEST(StatsSnapshotTest, RatesAndRatiosHandleEmptyInputs) {
  EXPECT_DOUBLE_EQ(PerSecond(100, std::chrono::seconds(2)), 50.0);
  EXPECT_DOUBLE_EQ(PerSecond(3, std::chrono::milliseconds(500)), 6.0);
  EXPECT_EQ(PerSecond(100, std::chrono::seconds(0)), 0.0);
  const EndpointStats none;
  EXPECT_EQ(none.FailureRatio(), 0.0);
  EXPECT_EQ(none.AvgContentLength(), 0.0);
}

TEST(StatsSnapshotTest, StatusSlotsCoverEveryHttpStatusAndNoResponse) {
  EXPECT_EQ(StatusSlot(0), 0u);
  EXPECT_EQ(StatusSlot(99), 0u);
  EXPECT_EQ(StatusSlot(600), 0u);
  EXPECT_EQ(StatusSlot(100), 1u);
  EXPECT_EQ(StatusSlot(599), kStatusSlotCount - 1);
  for (unsigned status = 100; status <= 599; ++status) {
    ASSERT_EQ(StatusOfSlot(StatusSlot(status)), status);
  }
  EXPECT_EQ(StatusOfSlot(0), 0u);
}

}  // namespace
}  // namespace throng::engine
