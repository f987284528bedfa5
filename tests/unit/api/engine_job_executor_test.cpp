// EngineJobExecutor on simulated time: the engine's workers talk to an in-process fake backend and
// the engine's clock is a ManualClock, so intervals and retention move only when the test
// advances it. The supervisor thread still runs in real time; the test waits for its effects.
#include "throng/api/executor/engine_job_executor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

#include "fake_sender.h"
#include "plan_builders.h"
#include "throng/test_support/wait_until.h"

namespace throng::api {
namespace {

using namespace std::chrono_literals;
using engine::testing::FakeBackend;
using test_support::WaitUntil;

/// Records what the executor reports; called on the supervisor thread.
class RecordingSink : public JobEventSink {
 public:
  void OnStateChanged(const std::string&, v1::JobState state, const std::string& error,
                      v1::Verdict) override {
    std::lock_guard lock(mutex_);
    states_.push_back(state);
    errors_.push_back(error);
  }
  void OnFinalReport(const std::string&, const v1::Report& report) override {
    std::lock_guard lock(mutex_);
    final_reports_.push_back(report);
  }
  bool Saw(v1::JobState state) const {
    std::lock_guard lock(mutex_);
    return std::find(states_.begin(), states_.end(), state) != states_.end();
  }
  std::vector<v1::Report> FinalReports() const {
    std::lock_guard lock(mutex_);
    return final_reports_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<v1::JobState> states_;
  std::vector<std::string> errors_;
  std::vector<v1::Report> final_reports_;
};

/// One user requesting /work without a pause, for as long as nobody stops it.
engine::Plan UnboundedClosedPlan() {
  engine::Plan plan = engine::testing::BasicPlan();
  plan.user_classes[0].tasks = {
      engine::testing::Task("t", 1, {engine::testing::Get(plan, "/work")})};
  plan.load.model = engine::ClosedModelPlan{1, 0, {}};
  return plan;
}

class EngineJobExecutorTest : public ::testing::Test {
 protected:
  EngineJobExecutorTest() {
    options_.engine = engine::testing::FakeOptions(backend_, 1);
    options_.engine.clock = clock_;
    options_.tick = 1s;
    options_.checkpoint_interval = 0s;
    options_.retention = 1h;
    options_.shutdown_timeout = 10s;
  }
  int TimelinePoints(EngineJobExecutor& executor) {
    const std::optional<v1::Report> report = executor.Report("job-1");
    return report ? report->timeline_size() : -1;
  }

  FakeBackend backend_;
  std::shared_ptr<engine::ManualClock> clock_ =
      std::make_shared<engine::ManualClock>(engine::TimePoint{} + 1h);
  EngineJobExecutorOptions options_;
  RecordingSink sink_;
};

TEST_F(EngineJobExecutorTest, IntervalsCloseAsTheInjectedClockAdvances) {
  EngineJobExecutor executor(options_, nullptr);
  executor.Start("job-1", UnboundedClosedPlan(), sink_);
  ASSERT_TRUE(WaitUntil([&] { return sink_.Saw(v1::RUNNING); }, 10s));
  ASSERT_TRUE(WaitUntil([&] { return backend_.completed.load() > 0; }, 10s));
  EXPECT_EQ(TimelinePoints(executor), 0);  // real time passes, simulated time does not
  clock_->Advance(1s);
  EXPECT_TRUE(WaitUntil([&] { return TimelinePoints(executor) == 1; }, 10s));
  clock_->Advance(1s);
  EXPECT_TRUE(WaitUntil([&] { return TimelinePoints(executor) == 2; }, 10s));
  ASSERT_TRUE(executor.Stop("job-1", /*immediate=*/false, std::nullopt).ok());
  ASSERT_TRUE(WaitUntil([&] { return sink_.FinalReports().size() == 1; }, 10s));
  EXPECT_EQ(sink_.FinalReports()[0].job().state(), v1::STOPPED);
}

TEST_F(EngineJobExecutorTest, AnEndedJobIsHeldForItsRetentionOnTheInjectedClock) {
  EngineJobExecutor executor(options_, nullptr);
  executor.Start("job-1", UnboundedClosedPlan(), sink_);
  ASSERT_TRUE(WaitUntil([&] { return sink_.Saw(v1::RUNNING); }, 10s));
  ASSERT_TRUE(executor.Stop("job-1", /*immediate=*/true, std::nullopt).ok());
  ASSERT_TRUE(WaitUntil([&] { return sink_.FinalReports().size() == 1; }, 10s));
  // Updates and stops after the end are refused; the live report stays readable.
  EXPECT_EQ(executor.Stop("job-1", false, std::nullopt).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  clock_->Advance(59min);
  // Three supervisor passes of real time: a job dropped before its retention would show here.
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(executor.Snapshot("job-1").has_value());
  clock_->Advance(2min);
  EXPECT_TRUE(WaitUntil([&] { return !executor.Snapshot("job-1").has_value(); }, 10s));
  EXPECT_FALSE(executor.Report("job-1").has_value());
}

TEST_F(EngineJobExecutorTest, UpdatesAreCheckedAgainstTheModelBeforeAnythingIsApplied) {
  EngineJobExecutor executor(options_, nullptr);
  v1::UpdateJobRequest unknown;
  unknown.set_id("nobody");
  unknown.set_target_users(3);
  EXPECT_EQ(executor.Update(unknown).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  executor.Start("job-1", UnboundedClosedPlan(), sink_);
  ASSERT_TRUE(WaitUntil([&] { return sink_.Saw(v1::RUNNING); }, 10s));
  v1::UpdateJobRequest both;
  both.set_id("job-1");
  both.set_target_users(3);
  both.set_arrival_rate(10);  // not an open-model job: nothing may be applied
  const grpc::Status refused = executor.Update(both);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("arrival_rate"), std::string::npos);
  clock_->Advance(1s);
  ASSERT_TRUE(WaitUntil([&] { return TimelinePoints(executor) == 1; }, 10s));
  EXPECT_EQ(executor.Snapshot("job-1")->totals().target_users(), 1u);

  v1::UpdateJobRequest nan;
  nan.set_id("job-1");
  nan.set_arrival_rate(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(executor.Update(nan).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  executor.Shutdown();
}

TEST_F(EngineJobExecutorTest, ShutdownStopsRunningJobsAndDeliversTheirReports) {
  EngineJobExecutor executor(options_, nullptr);
  executor.Start("job-1", UnboundedClosedPlan(), sink_);
  ASSERT_TRUE(WaitUntil([&] { return backend_.completed.load() > 10; }, 10s));
  executor.Shutdown();
  const std::vector<v1::Report> reports = sink_.FinalReports();
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].job().state(), v1::STOPPED);
  EXPECT_GT(reports[0].job().totals().requests(), 10u);
}

}  // namespace
}  // namespace throng::api
