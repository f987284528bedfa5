#include "throng/engine/stats.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace throng::engine {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

std::vector<EndpointKey> TwoEndpoints() { return {{"login", "POST"}, {"items", "GET"}}; }

RequestSample Ok(microseconds latency, unsigned status = 200) {
  return {.latency = latency,
          .service_time = latency / 2,
          .status = status,
          .bytes_sent = 100,
          .bytes_received = 1000};
}

TEST(JobStatsTest, SnapshotReportsEveryRecordedFigure) {
  JobStats stats(TwoEndpoints(), 2);
  ThreadStats& w0 = stats.ForWorker(0);
  ThreadStats& w1 = stats.ForWorker(1);
  w0.RecordRequest(0, Ok(microseconds(1'000)));
  w1.RecordRequest(0, Ok(microseconds(3'000), 201));
  w1.RecordRequest(1, {.latency = milliseconds(5'000),
                       .service_time = milliseconds(5'000),
                       .failure = FailureKind::kTimeout});
  w0.RecordRequest(1, {.latency = microseconds(700),
                       .service_time = microseconds(700),
                       .failure = FailureKind::kUnexpectedStatus,
                       .status = 503,
                       .bytes_sent = 10,
                       .bytes_received = 20});
  w0.RecordIteration();
  w1.RecordIteration();
  w1.RecordIteration();
  w0.RecordDroppedIteration();
  w0.AddActiveUsers(3);
  w1.AddActiveUsers(2);
  w1.AddActiveUsers(-1);

  const StatsSnapshot s = stats.Snapshot();
  ASSERT_EQ(s.endpoints.size(), 2u);
  EXPECT_EQ(s.endpoints[0].key, (EndpointKey{"login", "POST"}));
  EXPECT_EQ(s.endpoints[1].key, (EndpointKey{"items", "GET"}));
  EXPECT_EQ(s.iterations, 3u);
  EXPECT_EQ(s.dropped_iterations, 1u);
  EXPECT_EQ(s.active_users, 4);

  const EndpointStats& login = s.endpoints[0];
  EXPECT_EQ(login.requests, 2u);
  EXPECT_EQ(login.failures, 0u);
  EXPECT_EQ(login.RequestsWithStatus(200), 1u);
  EXPECT_EQ(login.RequestsWithStatus(201), 1u);
  EXPECT_EQ(login.bytes_sent, 200u);
  EXPECT_EQ(login.bytes_received, 2000u);
  EXPECT_EQ(login.latency.Count(), 2u);
  EXPECT_EQ(login.latency.Min(), 1'000u);
  EXPECT_EQ(login.latency.Max(), 3'000u);
  EXPECT_EQ(login.latency.Sum(), 4'000u);
  EXPECT_EQ(login.ServiceTime().Max(), 1'500u);

  const EndpointStats& items = s.endpoints[1];
  EXPECT_EQ(items.requests, 2u);
  EXPECT_EQ(items.failures, 2u);
  EXPECT_EQ(items.FailuresOf(FailureKind::kTimeout), 1u);
  EXPECT_EQ(items.FailuresOf(FailureKind::kUnexpectedStatus), 1u);
  EXPECT_EQ(items.FailuresOf(FailureKind::kNone), 0u);
  EXPECT_EQ(items.RequestsWithStatus(0), 1u);
  EXPECT_EQ(items.RequestsWithStatus(503), 1u);
  EXPECT_EQ(items.latency.Max(), 5'000'000u);
}

TEST(JobStatsTest, UnknownEndpointsAndStatusesAreContained) {
  JobStats stats(TwoEndpoints(), 1);
  stats.ForWorker(0).RecordRequest(7, Ok(microseconds(10)));
  stats.ForWorker(0).RecordRequest(1, Ok(microseconds(10), 999));
  const StatsSnapshot s = stats.Snapshot();
  EXPECT_EQ(s.endpoints[0].requests + s.endpoints[1].requests, 1u);
  EXPECT_EQ(s.endpoints[1].RequestsWithStatus(0), 1u);
  EXPECT_THROW(stats.ForWorker(1), std::out_of_range);
}

TEST(JobStatsTest, WorkerBlocksDoNotShareCacheLines) {
  EXPECT_GE(alignof(ThreadStats), 64u);
  JobStats stats(TwoEndpoints(), 2);
  const auto a = reinterpret_cast<std::uintptr_t>(&stats.ForWorker(0));
  const auto b = reinterpret_cast<std::uintptr_t>(&stats.ForWorker(1));
  EXPECT_EQ(a % 64, 0u);
  EXPECT_EQ(b % 64, 0u);
}

// N writers record a known workload while a reader snapshots; the reader only ever sees
// growing figures, each request with its sample, and the final snapshot is exact. Run under TSan to
// check the recording.
TEST(JobStatsTest, ConcurrentWritersAndReaderGiveExactTotals) {
  constexpr std::size_t kWorkers = 4;
  constexpr std::uint64_t kPerWorker = 20'000;
  JobStats stats(TwoEndpoints(), kWorkers);
  std::atomic<int> writers_done{0};

  std::vector<std::thread> writers;
  for (std::size_t w = 0; w < kWorkers; ++w) {
    writers.emplace_back([&, w] {
      ThreadStats& mine = stats.ForWorker(w);
      mine.AddActiveUsers(1);
      for (std::uint64_t i = 0; i < kPerWorker; ++i) {
        const bool fail = i % 10 == 0;
        RequestSample sample = Ok(microseconds(100 + i % 1000), fail ? 500 : 200);
        if (fail) sample.failure = FailureKind::kUnexpectedStatus;
        mine.RecordRequest(static_cast<std::uint32_t>(i % 2), sample);
        mine.RecordIteration();
      }
      writers_done.fetch_add(1);
    });
  }

  std::uint64_t last_requests = 0;
  std::uint64_t last_histogram = 0;
  int reads = 0;
  while (writers_done.load() < static_cast<int>(kWorkers) || reads == 0) {
    const EndpointStats all = stats.Snapshot().Aggregated();
    EXPECT_GE(all.requests, last_requests);
    EXPECT_GE(all.latency.Count(), last_histogram);
    // Every request read has its latency sample (a fleet merge refuses a report otherwise).
    EXPECT_EQ(all.requests, all.latency.Count());
    EXPECT_LE(all.requests, kWorkers * kPerWorker);
    last_requests = all.requests;
    last_histogram = all.latency.Count();
    ++reads;
  }
  for (auto& t : writers) t.join();

  const StatsSnapshot s = stats.Snapshot();
  const EndpointStats all = s.Aggregated();
  constexpr std::uint64_t kTotal = kWorkers * kPerWorker;
  EXPECT_EQ(all.requests, kTotal);
  EXPECT_EQ(all.failures, kTotal / 10);
  EXPECT_EQ(all.RequestsWithStatus(500), kTotal / 10);
  EXPECT_EQ(all.RequestsWithStatus(200), kTotal - kTotal / 10);
  EXPECT_EQ(all.bytes_received, kTotal * 1000);
  EXPECT_EQ(all.latency.Count(), kTotal);
  EXPECT_EQ(all.ServiceTime().Count(), kTotal);
  EXPECT_EQ(all.latency.Min(), 100u);
  EXPECT_EQ(all.latency.Max(), 1'099u);
  EXPECT_EQ(all.latency.Sum(), kWorkers * (kPerWorker / 1000) * (100 * 1000 + 999 * 1000 / 2));
  EXPECT_EQ(s.endpoints[0].requests, kTotal / 2);
  EXPECT_EQ(s.iterations, kTotal);
  EXPECT_EQ(s.active_users, static_cast<std::int64_t>(kWorkers));
  EXPECT_GT(reads, 0);
}

}  // namespace
}  // namespace throng::engine
