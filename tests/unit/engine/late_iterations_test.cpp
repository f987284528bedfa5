// Late open-model iterations as a stats-core counter: recorded per worker, merged by Snapshot,
// diffed by Minus, and fed by the open model's queue.
#include <gtest/gtest.h>

#include "fake_sender.h"
#include "plan_builders.h"
#include "throng/engine/engine.h"
#include "throng/engine/stats.h"

namespace throng::engine {
namespace {

using namespace std::chrono_literals;

TEST(LateIterationsTest, SnapshotMergesWorkersAndMinusDiffsThem) {
  JobStats stats({{"a", "GET"}}, 2);
  stats.ForWorker(0).RecordLateIteration();
  stats.ForWorker(1).RecordLateIteration();
  stats.ForWorker(1).RecordDroppedIteration();
  const StatsSnapshot before = stats.Snapshot();
  EXPECT_EQ(before.late_iterations, 2u);
  EXPECT_EQ(before.dropped_iterations, 1u);

  for (int i = 0; i < 3; ++i) stats.ForWorker(0).RecordLateIteration();
  const StatsSnapshot after = stats.Snapshot();
  EXPECT_EQ(after.late_iterations, 5u);

  const StatsSnapshot interval = after.Minus(before);
  EXPECT_EQ(interval.late_iterations, 3u);
  EXPECT_EQ(interval.dropped_iterations, 0u);
  // Diffing the wrong way round saturates at zero, like every other counter.
  EXPECT_EQ(before.Minus(after).late_iterations, 0u);
}

TEST(LateIterationsTest, OtherModelsNeverCountLateIterations) {
  testing::FakeBackend backend;
  Engine engine(testing::FakeOptions(backend));
  Plan plan = testing::BasicPlan();
  plan.user_classes[0].tasks = {testing::Task("t", 1, {testing::Get(plan, "/work")})};
  testing::PerUser(plan, 4, 5, 2);
  auto job = engine.Start(plan);
  ASSERT_TRUE(job->WaitUntilDone(10s));
  const StatsSnapshot snapshot = job->Stats().Snapshot();
  EXPECT_EQ(snapshot.iterations, 20u);
  EXPECT_EQ(snapshot.late_iterations, 0u);
  EXPECT_EQ(job->LateIterations(), 0u);
}

TEST(LateIterationsTest, OpenModelQueueWaitsAreLateInTheStatsCore) {
  // One user answering in 50 ms serves 20 of the 100 arrivals per second: the rest wait in a
  // queue of 5 (late) or find it full (dropped).
  testing::FakeBackend backend;
  backend.delay = 50ms;
  Engine engine(testing::FakeOptions(backend));
  Plan plan = testing::BasicPlan();
  plan.user_classes[0].tasks = {testing::Task("t", 1, {testing::Get(plan, "/work")})};
  plan.load.model = OpenModelPlan{100, {}, 1, 1, 5};
  plan.load.duration = 1s;
  auto job = engine.Start(plan);
  ASSERT_TRUE(job->WaitUntilDone(10s));
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted) << job->Status().error;

  const StatsSnapshot snapshot = job->Stats().Snapshot();
  EXPECT_GE(snapshot.late_iterations, 5u);
  EXPECT_GT(snapshot.dropped_iterations, 0u);
  EXPECT_EQ(snapshot.late_iterations, job->LateIterations());
  // Every late iteration either ran (after its wait) or was dropped when the job ended.
  EXPECT_LE(snapshot.late_iterations, snapshot.iterations + snapshot.dropped_iterations);
  EXPECT_EQ(snapshot.iterations + snapshot.dropped_iterations, 100u);
}

}  // namespace
}  // namespace throng::engine
