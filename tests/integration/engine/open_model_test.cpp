// The open (arrival-rate) model against the real demo backend on 127.0.0.1:0: rate accuracy over
// 20 s, coordinated-omission-corrected latency under a 1 s stall beside a closed model paced to
// the same rate, and drops past the queue bound.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>

#include "backend_fixture.h"
#include "throng/engine/engine.h"
#include "throng/engine/stats.h"

namespace throng::engine {
namespace {

using namespace std::chrono_literals;
using OpenModelTest = testing::BackendTest;
using testing::PercentileMs;

constexpr std::uint64_t kSlowUs = 100'000;  // "slow" below: above 100 ms (normally < 5 ms)

std::uint64_t SlowerThan100Ms(const LatencyHistogram& histogram) {
  return histogram.Count() - histogram.CountAtOrBelow(kSlowUs);
}

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

/// One row of the side-by-side latency table (milliseconds).
void PrintRow(const char* series, const LatencyHistogram& h) {
  std::printf("  %-42s %6llu %7.1f %7.1f %7.1f %7.1f %7.1f %7.1f %7.1f %6llu\n", series,
              static_cast<unsigned long long>(h.Count()), PercentileMs(h, 50), PercentileMs(h, 90),
              PercentileMs(h, 95), PercentileMs(h, 98), PercentileMs(h, 99),
              static_cast<double>(h.Max()) / 1000.0, h.Mean() / 1000.0,
              static_cast<unsigned long long>(SlowerThan100Ms(h)));
}

TEST_F(OpenModelTest, ConstantRateLandsWithinOnePercentOfRateTimesDuration) {
  constexpr double kRate = 200;
  constexpr double kScheduled = kRate * 20;
  Plan plan = GetPlan("/health");
  plan.load.model = OpenModelPlan{kRate, {}, 5, 50, 0};
  plan.load.duration = 20s;
  Engine engine(EngineOptions{2, {}, {}});
  auto job = engine.Start(plan);
  std::this_thread::sleep_for(1s);
  EXPECT_DOUBLE_EQ(job->Status().target_rate, kRate);
  ASSERT_TRUE(job->WaitUntilDone(40s));
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted) << job->Status().error;

  const StatsSnapshot snapshot = job->Stats().Snapshot();
  const double at_backend = BackendRequests("/health", "GET");
  std::printf(
      "open model %.0f/s for 20 s: %llu iterations (%.2f %% of %.0f), %.0f requests at the "
      "backend, %llu late, %llu dropped\n",
      kRate, static_cast<unsigned long long>(snapshot.iterations),
      100.0 * static_cast<double>(snapshot.iterations) / kScheduled, kScheduled, at_backend,
      static_cast<unsigned long long>(snapshot.late_iterations),
      static_cast<unsigned long long>(snapshot.dropped_iterations));
  RecordProperty("iterations", std::to_string(snapshot.iterations));
  EXPECT_NEAR(static_cast<double>(snapshot.iterations), kScheduled, kScheduled * 0.01);
  EXPECT_EQ(at_backend, static_cast<double>(snapshot.Aggregated().requests));
  EXPECT_EQ(snapshot.dropped_iterations, 0u);
  EXPECT_EQ(snapshot.Aggregated().failures, 0u);
}

TEST_F(OpenModelTest, StallShowsInCorrectedLatencyAndHidesInAClosedModel) {
  constexpr double kRate = 100;
  constexpr double kScheduled = kRate * 20;
  // At most 20 users, and a queue of half a second of arrivals, which a 1 s stall overflows.
  Plan open = GetPlan("/todos/?limit=1");
  open.name = "open";
  open.load.model = OpenModelPlan{kRate, {}, 20, 20, 50};
  open.load.duration = 20s;
  // The closed model at the same rate: 20 users, each starting an iteration every 200 ms.
  Plan closed = GetPlan("/todos/?limit=1");
  closed.name = "closed";
  closed.user_classes[0].wait = WaitPlan{WaitPlan::Kind::kPacing, {200ms, 200ms}};
  closed.load.model = ClosedModelPlan{20, 0, {}};
  closed.load.duration = 20s;

  Engine engine(EngineOptions{2, {}, {}});
  auto open_job = engine.Start(open);
  auto closed_job = engine.Start(closed);
  std::this_thread::sleep_for(10s);
  SetFaults(R"({"stall_ms": 1000})");  // both jobs meet the same stall
  ASSERT_TRUE(open_job->WaitUntilDone(40s));
  ASSERT_TRUE(closed_job->WaitUntilDone(40s));
  EXPECT_EQ(open_job->Phase(), JobPhase::kCompleted) << open_job->Status().error;
  EXPECT_EQ(closed_job->Phase(), JobPhase::kCompleted) << closed_job->Status().error;

  const StatsSnapshot o = open_job->Stats().Snapshot();
  const StatsSnapshot c = closed_job->Stats().Snapshot();
  const EndpointStats open_total = o.Aggregated();
  const EndpointStats closed_total = c.Aggregated();
  std::printf(
      "1 s backend stall at 10 s of a 20 s run at %.0f/s (%.0f scheduled), latency in ms:\n", kRate,
      kScheduled);
  std::printf("  %-42s %6s %7s %7s %7s %7s %7s %7s %7s %6s\n", "series", "count", "p50", "p90",
              "p95", "p98", "p99", "max", "mean", ">100ms");
  PrintRow("open, corrected (from the intended start)", open_total.latency);
  PrintRow("open, uncorrected (service time)", open_total.ServiceTime());
  PrintRow("closed, 20 users paced to 100/s", closed_total.latency);
  std::printf("  open: %llu iterations, %llu late (queued), %llu dropped (queue full)\n",
              static_cast<unsigned long long>(o.iterations),
              static_cast<unsigned long long>(o.late_iterations),
              static_cast<unsigned long long>(o.dropped_iterations));
  RecordProperty("open_corrected_p99_ms", std::to_string(PercentileMs(open_total.latency, 99)));
  RecordProperty("open_service_p99_ms", std::to_string(PercentileMs(open_total.ServiceTime(), 99)));
  RecordProperty("closed_p99_ms", std::to_string(PercentileMs(closed_total.latency, 99)));

  EXPECT_GE(PercentileMs(open_total.latency, 99), 500);
  // A request is only slow while the stall holds it, so the service time and the closed model
  // see at most one slow request per user; the corrected series also counts every arrival that
  // waited behind them.
  EXPECT_LE(SlowerThan100Ms(open_total.ServiceTime()), 20u);
  EXPECT_LE(SlowerThan100Ms(closed_total.latency), 20u);
  EXPECT_GT(SlowerThan100Ms(open_total.latency), 2 * SlowerThan100Ms(open_total.ServiceTime()));
  EXPECT_GT(SlowerThan100Ms(open_total.latency), 2 * SlowerThan100Ms(closed_total.latency));
  // Late and dropped iterations are counted; nothing is lost.
  EXPECT_GT(o.late_iterations, 0u);
  EXPECT_EQ(o.late_iterations, open_job->LateIterations());
  EXPECT_GT(o.dropped_iterations, 0u);
  EXPECT_NEAR(static_cast<double>(o.iterations + o.dropped_iterations), kScheduled,
              kScheduled * 0.01);
  // The closed model silently sent fewer requests while its users were stuck (coordinated
  // omission): each of the 20 users is held 800-1000 ms and skips at least 3 of its 200 ms slots.
  EXPECT_LT(static_cast<double>(closed_total.requests), kScheduled - 40);
  EXPECT_EQ(c.dropped_iterations, 0u);
}

TEST_F(OpenModelTest, PoolExhaustionDropsBeyondTheQueueThenTheRateHolds) {
  constexpr double kRate = 100;
  constexpr Duration kDuration = 6s;
  SetFaults(R"({"latency_ms": 100})");  // 2 users x 10/s each: far below 100/s
  Plan plan = GetPlan("/todos/?limit=1");
  plan.load.model = OpenModelPlan{kRate, {}, 2, 2, 5};
  plan.load.duration = kDuration;
  Engine engine(EngineOptions{2, {}, {}});
  auto job = engine.Start(plan);
  std::this_thread::sleep_for(2s);
  const StatsSnapshot slow = job->Stats().Snapshot();
  EXPECT_GT(slow.dropped_iterations, 100u);  // about 2 s x (100 - 20)/s
  EXPECT_GT(slow.late_iterations, 0u);

  ClearFaults();
  std::this_thread::sleep_for(500ms);  // the slow requests in flight and the queue clear
  const StatsSnapshot before = job->Stats().Snapshot();
  const Duration elapsed_before = job->Status().elapsed;
  ASSERT_TRUE(job->WaitUntilDone(20s));
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted) << job->Status().error;
  const StatsSnapshot after = job->Stats().Snapshot();
  // Once the backend is fast again, 2 users keep up with 100/s for the rest of the job.
  const double expected = kRate * Seconds(kDuration - elapsed_before);
  const double ran = static_cast<double>(after.iterations - before.iterations);
  std::printf(
      "pool of 2, queue of 5, 100/s against 100 ms answers: %llu dropped and %llu late in "
      "2 s; afterwards %.0f iterations in %.2f s (%.0f scheduled), %llu more dropped\n",
      static_cast<unsigned long long>(slow.dropped_iterations),
      static_cast<unsigned long long>(slow.late_iterations), ran,
      Seconds(kDuration - elapsed_before), expected,
      static_cast<unsigned long long>(after.dropped_iterations - before.dropped_iterations));
  EXPECT_EQ(after.dropped_iterations, before.dropped_iterations);
  EXPECT_NEAR(ran, expected, std::max(3.0, expected * 0.02));
  EXPECT_EQ(after.Aggregated().failures, 0u);
}

}  // namespace
}  // namespace throng::engine
