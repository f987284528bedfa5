// Transport faults injected by the real demo backend (reset, malformed response, 500s, stalls
// beyond the request timeout) are counted by kind, while a healthy job on the same engine keeps
// running without failures.
#include <gtest/gtest.h>

#include "backend_fixture.h"
#include "throng/engine/engine.h"
#include "throng/engine/stats.h"

namespace throng::engine {
namespace {

using namespace std::chrono_literals;
using FaultsTest = testing::BackendTest;

/// A closed-model job of `users` users running GET `path` (expecting 200) for `duration`.
Plan ClosedGet(Plan plan, std::uint32_t users, Duration duration) {
  plan.load.model = ClosedModelPlan{users, 0, {}};
  plan.load.duration = duration;
  return plan;
}

TEST_F(FaultsTest, InjectedFaultsAreCountedByKindWhileAHealthyJobRuns) {
  SetFaults(R"({"reset_rate": 0.2, "malformed_rate": 0.2, "error_rate": 0.2})");
  Engine engine(EngineOptions{2, {}, {}});
  // /health is exempt from faults: this job must see none of them.
  auto healthy = engine.Start(ClosedGet(GetPlan("/health"), 2, 3s));
  auto faulty = engine.Start(ClosedGet(GetPlan("/todos/"), 4, 3s));
  ASSERT_TRUE(faulty->WaitUntilDone(20s));
  ASSERT_TRUE(healthy->WaitUntilDone(20s));
  EXPECT_EQ(faulty->Phase(), JobPhase::kCompleted) << faulty->Status().error;
  EXPECT_EQ(healthy->Phase(), JobPhase::kCompleted) << healthy->Status().error;

  const EndpointStats bad = faulty->Stats().Snapshot().Aggregated();
  EXPECT_GT(bad.requests, 100u);
  EXPECT_GT(bad.FailuresOf(FailureKind::kReset), 0u);
  EXPECT_GT(bad.FailuresOf(FailureKind::kMalformedResponse), 0u);
  EXPECT_GT(bad.FailuresOf(FailureKind::kUnexpectedStatus), 0u);
  EXPECT_EQ(bad.RequestsWithStatus(500), bad.FailuresOf(FailureKind::kUnexpectedStatus));
  // Every failure has exactly one kind, and about 60 % of requests were faulted.
  std::uint64_t by_kind = 0;
  for (std::uint64_t count : bad.failures_by_kind) by_kind += count;
  EXPECT_EQ(by_kind, bad.failures);
  EXPECT_NEAR(bad.FailureRatio(), 0.6, 0.15);

  const EndpointStats good = healthy->Stats().Snapshot().Aggregated();
  EXPECT_GT(good.requests, 100u);
  EXPECT_EQ(good.failures, 0u);
}

TEST_F(FaultsTest, AStallBeyondTheRequestTimeoutIsATimeout) {
  SetFaults(R"({"stall_ms": 3000})");
  Engine engine(EngineOptions{1, {}, {}});
  Plan plan = ClosedGet(GetPlan("/todos/"), 3, 1500ms);
  plan.http.request_timeout = 300ms;
  plan.load.graceful_stop = 1s;
  auto job = engine.Start(std::move(plan));
  ASSERT_TRUE(job->WaitUntilDone(15s));
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted) << job->Status().error;
  const EndpointStats stats = job->Stats().Snapshot().Aggregated();
  EXPECT_GE(stats.FailuresOf(FailureKind::kTimeout), 3u);
  EXPECT_EQ(stats.failures, stats.FailuresOf(FailureKind::kTimeout));
  // A timed-out request's latency is its timeout, not the stall.
  EXPECT_LT(stats.latency.Max(), 1'000'000u);
}

}  // namespace
}  // namespace throng::engine
