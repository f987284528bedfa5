// What a snapshot holds per endpoint: the service time once only while it equals the latency,
// and only the status slots seen.
#include <gtest/gtest.h>

#include <chrono>
#include <utility>
#include <vector>

#include "throng/engine/stats.h"
#include "throng/engine/stats_snapshot.h"

namespace throng::engine {
namespace {

using std::chrono::microseconds;

RequestSample Sample(microseconds latency, microseconds service_time, unsigned status = 200) {
  return {.latency = latency, .service_time = service_time, .status = status};
}

TEST(SnapshotLayoutTest, AClosedModelSnapshotHoldsTheServiceTimeOnce) {
  JobStats stats({{"a", "GET"}}, 2);
  for (int i = 0; i < 1000; ++i) {
    const microseconds d(100 + 37 * i);
    stats.ForWorker(i % 2).RecordRequest(0, Sample(d, d));
  }
  const StatsSnapshot s = stats.Snapshot();
  const EndpointStats& e = s.endpoints[0];
  EXPECT_FALSE(e.distinct_service_time.has_value());
  EXPECT_EQ(&e.ServiceTime(), &e.latency);
  EXPECT_EQ(e.ServiceTime().Count(), 1000u);
  const StatsSnapshot interval = s.Minus(StatsSnapshot{.endpoints = {EndpointStats{}}});
  EXPECT_FALSE(interval.endpoints[0].distinct_service_time.has_value());
  EXPECT_EQ(interval.endpoints[0].ServiceTime().Count(), 1000u);
}

TEST(SnapshotLayoutTest, OneDifferingRequestOnAnyWorkerMakesTheServiceTimeDistinct) {
  JobStats stats({{"a", "GET"}}, 2);
  for (int i = 0; i < 10; ++i)
    stats.ForWorker(0).RecordRequest(0, Sample(microseconds(500), microseconds(500)));
  const StatsSnapshot before = stats.Snapshot();
  // Worker 1, after worker 0's equal samples were merged: the copy must include them.
  stats.ForWorker(1).RecordRequest(0, Sample(microseconds(9'000), microseconds(1'000)));
  for (int i = 0; i < 5; ++i)
    stats.ForWorker(0).RecordRequest(0, Sample(microseconds(700), microseconds(700)));
  const StatsSnapshot after = stats.Snapshot();
  const EndpointStats& e = after.endpoints[0];
  ASSERT_TRUE(e.distinct_service_time.has_value());
  EXPECT_EQ(e.latency.Count(), 16u);
  EXPECT_EQ(e.ServiceTime().Count(), 16u);
  EXPECT_EQ(e.latency.Sum(), 10u * 500 + 9'000 + 5 * 700);
  EXPECT_EQ(e.ServiceTime().Sum(), 10u * 500 + 1'000 + 5 * 700);
  EXPECT_EQ(e.ServiceTime().Max(), 1'000u);
  EXPECT_EQ(e.latency.Max(), 9'000u);

  // The interval from a snapshot that still shared its histogram.
  const StatsSnapshot interval = after.Minus(before);
  const EndpointStats& since = interval.endpoints[0];
  ASSERT_TRUE(since.distinct_service_time.has_value());
  EXPECT_EQ(since.latency.Count(), 6u);
  EXPECT_EQ(since.ServiceTime().Count(), 6u);
  EXPECT_EQ(since.ServiceTime().Sum(), 1'000u + 5 * 700);
  EXPECT_EQ(since.latency.Sum(), 9'000u + 5 * 700);

  // Subtract and Add between a shared and a distinct endpoint keep both figures right.
  EndpointStats minus = e;
  minus.Subtract(before.endpoints[0]);
  EXPECT_EQ(minus.ServiceTime().Sum(), since.ServiceTime().Sum());
  EndpointStats sum = before.endpoints[0];
  sum.Add(since);
  EXPECT_EQ(sum.ServiceTime().Sum(), e.ServiceTime().Sum());
  EXPECT_EQ(sum.latency.Sum(), e.latency.Sum());
  EXPECT_EQ(after.Aggregated().ServiceTime().Count(), 16u);
}

TEST(SnapshotLayoutTest, StatusTallyKeepsOnlyTheSlotsSeenInOrder) {
  StatusTally tally;
  tally.Add(StatusSlot(500), 2);
  tally.Add(StatusSlot(200), 5);
  tally.Add(StatusSlot(0), 1);
  tally.Add(StatusSlot(200), 1);
  tally.Add(StatusSlot(404), 0);   // nothing to count: no slot
  tally.Add(kStatusSlotCount, 7);  // out of range: ignored
  std::vector<std::pair<std::size_t, std::uint64_t>> seen;
  tally.ForEach([&](std::size_t slot, std::uint64_t count) { seen.emplace_back(slot, count); });
  const std::vector<std::pair<std::size_t, std::uint64_t>> want = {
      {StatusSlot(0), 1}, {StatusSlot(200), 6}, {StatusSlot(500), 2}};
  EXPECT_EQ(seen, want);
  EXPECT_EQ(tally.Get(StatusSlot(200)), 6u);
  EXPECT_EQ(tally.Get(StatusSlot(404)), 0u);

  StatusTally earlier;
  earlier.Add(StatusSlot(200), 6);
  earlier.Add(StatusSlot(500), 5);  // more than now: saturates at 0
  earlier.Add(StatusSlot(301), 1);  // a slot this tally never had
  tally.Subtract(earlier);
  seen.clear();
  tally.ForEach([&](std::size_t slot, std::uint64_t count) { seen.emplace_back(slot, count); });
  EXPECT_EQ(seen, (std::vector<std::pair<std::size_t, std::uint64_t>>{{StatusSlot(0), 1}}));
}

TEST(SnapshotLayoutTest, TheIntervalCarriesRedirects) {
  JobStats stats({{"a", "GET"}}, 1);
  RequestSample hop = Sample(microseconds(100), microseconds(100), 200);
  hop.redirects = 2;
  stats.ForWorker(0).RecordRequest(0, hop);
  const StatsSnapshot before = stats.Snapshot();
  stats.ForWorker(0).RecordRequest(0, hop);
  stats.ForWorker(0).RecordRequest(0, hop);
  const StatsSnapshot after = stats.Snapshot();
  EXPECT_EQ(after.endpoints[0].redirects, 6u);
  EXPECT_EQ(after.Minus(before).endpoints[0].redirects, 4u);
}

}  // namespace
}  // namespace throng::engine
