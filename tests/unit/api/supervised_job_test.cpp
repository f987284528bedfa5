// SupervisedJob on a fake clock: every Poll() gets the time it is told, the engine job is a fake
// whose phase the test sets, so intervals, checkpoints, threshold aborts and the end are checked
// without starting an engine or sleeping.
#include "supervised_job.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "throng/engine/stats.h"

namespace throng::api {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using SteadyTime = SupervisedJob::SteadyTime;

/// An engine job whose phase and figures the test sets. Abort() records its reason and moves
/// the job to kStopping, as the engine's graceful abort does.
class FakeRunningJob : public engine::RunningJob {
 public:
  explicit FakeRunningJob(engine::Plan plan) : plan_(std::move(plan)), stats_(plan_.endpoints, 1) {}

  void SetPhase(engine::JobPhase phase) {
    std::lock_guard lock(mutex_);
    status_.phase = phase;
  }
  void Record(bool failed) {
    stats_.ForWorker(0).RecordRequest(
        0, {.latency = milliseconds(5),
            .service_time = milliseconds(5),
            .failure = failed ? engine::FailureKind::kUnexpectedStatus : engine::FailureKind::kNone,
            .status = failed ? 500u : 200u});
  }
  std::vector<std::string> Aborts() const {
    std::lock_guard lock(mutex_);
    return aborts_;
  }

  engine::JobPhase Phase() const override { return Status().phase; }
  void SetTargetUsers(std::uint32_t) override {}
  void SetArrivalRate(double) override {}
  void Pause() override { SetPhase(engine::JobPhase::kPaused); }
  void Resume() override { SetPhase(engine::JobPhase::kRunning); }
  void Stop(bool, std::optional<engine::Duration>) override {
    SetPhase(engine::JobPhase::kStopping);
  }
  void Abort(std::string reason) override {
    std::lock_guard lock(mutex_);
    aborts_.push_back(std::move(reason));
    status_.phase = engine::JobPhase::kStopping;
  }
  bool WaitUntilDone(engine::Duration) const override { return engine::IsFinal(Phase()); }
  const engine::JobStats& Stats() const override { return stats_; }
  engine::JobStatus Status() const override {
    std::lock_guard lock(mutex_);
    engine::JobStatus status = status_;
    status.elapsed = seconds(10);  // past any abort delay
    return status;
  }
  const engine::Plan& GetPlan() const override { return plan_; }

 private:
  const engine::Plan plan_;
  engine::JobStats stats_;
  mutable std::mutex mutex_;
  engine::JobStatus status_;
  std::vector<std::string> aborts_;
};

/// Records what the supervised job reports, in order.
class RecordingSink : public JobEventSink {
 public:
  void OnStateChanged(const std::string&, v1::JobState state, const std::string&,
                      v1::Verdict) override {
    states.push_back(state);
  }
  void OnFinalReport(const std::string&, const v1::Report& report) override {
    final_reports.push_back(report);
  }
  void OnCheckpoint(const std::string&, const v1::Report& report) override {
    checkpoints.push_back(report);
  }
  std::vector<v1::JobState> states;
  std::vector<v1::Report> final_reports;
  std::vector<v1::Report> checkpoints;
};

engine::Plan OneEndpointPlan(std::vector<engine::ThresholdPlan> thresholds = {}) {
  engine::Plan plan;
  plan.name = "fake";
  plan.endpoints = {{"home", "GET"}};
  plan.thresholds = std::move(thresholds);
  return plan;
}

engine::ThresholdPlan AbortingFailRateBelowOnePercent() {
  return {.expr = "fail_rate < 1%",
          .metric = engine::ThresholdPlan::Metric::kFailRate,
          .op = engine::ThresholdPlan::Op::kLess,
          .value = 0.01,  // a fraction, as the spec converter stores "1%"
          .abort_on_fail = true};
}

class SupervisedJobTest : public ::testing::Test {
 protected:
  void Supervise(engine::Plan plan, std::chrono::nanoseconds checkpoint_interval = {}) {
    engine_job_ = std::make_shared<FakeRunningJob>(std::move(plan));
    job_ = std::make_shared<SupervisedJob>("job-1", engine_job_, sink_, seconds(1),
                                           checkpoint_interval, start_);
  }
  bool PollAt(std::chrono::nanoseconds since_start) { return job_->Poll(start_ + since_start); }
  int TimelinePoints() const { return job_->Report().timeline_size(); }

  const SteadyTime start_ = SteadyTime{} + std::chrono::hours(1);
  RecordingSink sink_;
  std::shared_ptr<FakeRunningJob> engine_job_;
  std::shared_ptr<SupervisedJob> job_;
};

TEST_F(SupervisedJobTest, EachPhaseChangeReachesTheSinkOnce) {
  Supervise(OneEndpointPlan());
  PollAt(milliseconds(100));
  PollAt(milliseconds(200));
  engine_job_->SetPhase(engine::JobPhase::kRunning);
  PollAt(milliseconds(300));
  PollAt(milliseconds(400));
  engine_job_->SetPhase(engine::JobPhase::kPaused);
  PollAt(milliseconds(500));
  EXPECT_EQ(sink_.states, (std::vector<v1::JobState>{v1::STARTING, v1::RUNNING, v1::PAUSED}));
}

TEST_F(SupervisedJobTest, AnIntervalClosesEachTickAndMissedTicksAreNotBunched) {
  Supervise(OneEndpointPlan());
  engine_job_->SetPhase(engine::JobPhase::kRunning);
  engine_job_->Record(false);
  PollAt(milliseconds(999));
  EXPECT_EQ(TimelinePoints(), 0);
  PollAt(seconds(1));
  EXPECT_EQ(TimelinePoints(), 1);
  PollAt(milliseconds(1500));
  EXPECT_EQ(TimelinePoints(), 1);
  // The supervisor was descheduled for four ticks: one interval closes, not four.
  PollAt(milliseconds(5200));
  EXPECT_EQ(TimelinePoints(), 2);
  PollAt(milliseconds(5900));
  EXPECT_EQ(TimelinePoints(), 2);
  PollAt(seconds(6));
  EXPECT_EQ(TimelinePoints(), 3);
}

TEST_F(SupervisedJobTest, CheckpointsFollowTheirIntervalAtTheNextIntervalClose) {
  Supervise(OneEndpointPlan(), milliseconds(2500));
  engine_job_->SetPhase(engine::JobPhase::kRunning);
  for (int tenth = 1; tenth <= 80; ++tenth) {
    engine_job_->Record(false);
    PollAt(milliseconds(100 * tenth));
  }
  // Due at 2.5 s, 5 s, 7.5 s; each taken at the first interval close at or after it: 3, 5, 8 s.
  ASSERT_EQ(sink_.checkpoints.size(), 3u);
  EXPECT_EQ(sink_.checkpoints[0].job().totals().requests(), 30u);
  EXPECT_EQ(sink_.checkpoints[1].job().totals().requests(), 50u);
  EXPECT_EQ(sink_.checkpoints[2].job().totals().requests(), 80u);
  EXPECT_TRUE(sink_.final_reports.empty());
}

TEST_F(SupervisedJobTest, ABreachedAbortThresholdAbortsOnceNamingTheExpressionAndTheValue) {
  Supervise(OneEndpointPlan({AbortingFailRateBelowOnePercent()}));
  engine_job_->SetPhase(engine::JobPhase::kRunning);
  engine_job_->Record(false);
  engine_job_->Record(true);
  PollAt(seconds(1));
  ASSERT_EQ(engine_job_->Aborts().size(), 1u);
  EXPECT_NE(engine_job_->Aborts()[0].find("fail_rate < 1%"), std::string::npos);
  EXPECT_NE(engine_job_->Aborts()[0].find("observed 50.00%"), std::string::npos);
  engine_job_->SetPhase(engine::JobPhase::kRunning);  // still breached at the next tick
  PollAt(seconds(2));
  EXPECT_EQ(engine_job_->Aborts().size(), 1u);
}

TEST_F(SupervisedJobTest, ThresholdsAreNotJudgedDuringSetupOrTheDrain) {
  Supervise(OneEndpointPlan({AbortingFailRateBelowOnePercent()}));
  engine_job_->Record(true);  // a failing setup request
  PollAt(seconds(1));
  engine_job_->SetPhase(engine::JobPhase::kStopping);
  PollAt(seconds(2));
  EXPECT_TRUE(engine_job_->Aborts().empty());
}

TEST_F(SupervisedJobTest, TheEndIsDeliveredOnceWithTheFinalReportAtThePollTime) {
  Supervise(OneEndpointPlan());
  engine_job_->SetPhase(engine::JobPhase::kRunning);
  for (int i = 0; i < 7; ++i) engine_job_->Record(i == 0);
  EXPECT_FALSE(PollAt(milliseconds(1500)));
  EXPECT_FALSE(job_->Delivered());
  engine_job_->SetPhase(engine::JobPhase::kCompleted);
  // Ended but not yet delivered: readers see STOPPING, never a final state without a report.
  EXPECT_EQ(job_->Snapshot().state(), v1::STOPPING);
  EXPECT_TRUE(PollAt(milliseconds(1700)));
  EXPECT_TRUE(PollAt(milliseconds(1800)));
  ASSERT_EQ(sink_.final_reports.size(), 1u);
  const v1::Report& report = sink_.final_reports[0];
  EXPECT_EQ(report.job().state(), v1::COMPLETED);
  EXPECT_EQ(report.job().totals().requests(), 7u);
  EXPECT_EQ(report.job().totals().failures(), 1u);
  EXPECT_EQ(job_->DeliveredAt(), start_ + milliseconds(1700));
  EXPECT_EQ(job_->Report().job().totals().requests(), 7u);
  EXPECT_EQ(sink_.states, (std::vector<v1::JobState>{v1::RUNNING}));
}

}  // namespace
}  // namespace throng::api
