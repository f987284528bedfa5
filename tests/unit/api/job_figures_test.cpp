// The engine -> v1 conversion of a job's figures: verdict rules, threshold results, snapshot order.
#include "throng/api/executor/job_figures.h"

#include <gtest/gtest.h>

namespace throng::api {
namespace {

/// Figures of a job with one endpoint per name and one threshold, evaluated as `passed`.
JobFigures Figures(engine::JobPhase phase, bool passed, std::vector<std::string> names = {"a"}) {
  JobFigures figures;
  figures.id = "j-1";
  figures.status.phase = phase;
  auto snapshot = std::make_shared<engine::StatsSnapshot>();
  // Ten requests each: a job where none succeeded cannot pass (tested below).
  for (const std::string& name : names) {
    snapshot->endpoints.push_back({.key = {name, "GET"}, .requests = 10});
  }
  figures.cumulative = snapshot;
  figures.interval = snapshot;
  engine::ThresholdPlan threshold;
  threshold.expr = "p(95) < 5ms";
  figures.thresholds = {threshold};
  figures.evaluation.states = {engine::ThresholdState{passed, 3.0, false}};
  return figures;
}

TEST(JobFiguresTest, VerdictFollowsTheThresholds) {
  EXPECT_EQ(VerdictOf(Figures(engine::JobPhase::kCompleted, true)), v1::VERDICT_PASS);
  EXPECT_EQ(VerdictOf(Figures(engine::JobPhase::kCompleted, false)), v1::VERDICT_FAIL);
  JobFigures none = Figures(engine::JobPhase::kCompleted, true);
  none.thresholds.clear();
  EXPECT_EQ(VerdictOf(none), v1::VERDICT_NONE);
}

TEST(JobFiguresTest, AnAbortingThresholdStaysFailedEvenIfTheDrainBroughtItBack) {
  JobFigures figures = Figures(engine::JobPhase::kAborted, /*passed=*/true);
  figures.aborted_by = 0;
  EXPECT_EQ(VerdictOf(figures), v1::VERDICT_FAIL);
  const std::vector<v1::ThresholdResult> results = BuildThresholdResults(figures);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].passed());
  EXPECT_TRUE(results[0].aborted());
  EXPECT_EQ(results[0].observed(), 3.0);
}

TEST(JobFiguresTest, AJobWithoutOneSuccessfulRequestCannotPass) {
  JobFigures figures = Figures(engine::JobPhase::kCompleted, true);
  auto silent = std::make_shared<engine::StatsSnapshot>(*figures.cumulative);
  silent->endpoints[0].failures = silent->endpoints[0].requests;
  figures.cumulative = silent;
  EXPECT_EQ(VerdictOf(figures), v1::VERDICT_FAIL);
  figures.thresholds.clear();
  EXPECT_EQ(VerdictOf(figures), v1::VERDICT_FAIL);
  silent->endpoints[0] = {.key = {"a", "GET"}};
  EXPECT_EQ(VerdictOf(figures), v1::VERDICT_FAIL);
}

TEST(JobFiguresTest, AThresholdWithNoDataFailsInTheFinalResults) {
  JobFigures figures = Figures(engine::JobPhase::kCompleted, true);
  figures.evaluation.states[0].no_data = true;
  EXPECT_EQ(VerdictOf(figures), v1::VERDICT_FAIL);
  EXPECT_TRUE(BuildThresholdResults(figures, /*final=*/false)[0].passed());
  const v1::ThresholdResult final_result = BuildThresholdResults(figures, /*final=*/true)[0];
  EXPECT_FALSE(final_result.passed());
  EXPECT_TRUE(final_result.no_data());
}

TEST(JobFiguresTest, AFailedJobCannotPass) {
  EXPECT_EQ(VerdictOf(Figures(engine::JobPhase::kFailed, true)), v1::VERDICT_FAIL);
}

TEST(JobFiguresTest, SnapshotEndpointsAreSortedByName) {
  const v1::JobSnapshot snapshot =
      BuildSnapshot(Figures(engine::JobPhase::kRunning, true, {"c", "a", "b"}), false);
  ASSERT_EQ(snapshot.endpoints_size(), 3);
  EXPECT_EQ(snapshot.endpoints(0).name(), "a");
  EXPECT_EQ(snapshot.endpoints(1).name(), "b");
  EXPECT_EQ(snapshot.endpoints(2).name(), "c");
  EXPECT_EQ(snapshot.state(), v1::RUNNING);
  EXPECT_FALSE(snapshot.final());
}

TEST(JobFiguresTest, TotalsSumTheEndpointsAndRateTheInterval) {
  JobFigures figures = Figures(engine::JobPhase::kRunning, true, {"a", "b"});
  auto cumulative = std::make_shared<engine::StatsSnapshot>(*figures.cumulative);
  cumulative->endpoints[0].requests = 70;
  cumulative->endpoints[0].failures = 2;
  cumulative->endpoints[1].requests = 30;
  cumulative->late_iterations = 4;
  auto interval = std::make_shared<engine::StatsSnapshot>(*figures.interval);
  interval->endpoints[0].requests = 6;
  interval->endpoints[1].requests = 4;
  figures.cumulative = cumulative;
  figures.interval = interval;
  figures.interval_span = std::chrono::milliseconds(500);
  const v1::JobTotals totals = BuildTotals(figures);
  EXPECT_EQ(totals.requests(), 100u);
  EXPECT_EQ(totals.failures(), 2u);
  EXPECT_EQ(totals.late_iterations(), 4u);
  EXPECT_DOUBLE_EQ(totals.current_rps(), 20.0);
}

}  // namespace
}  // namespace throng::api
