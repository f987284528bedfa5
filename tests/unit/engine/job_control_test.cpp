// Job lifecycle and live control: stop, target changes, pause, setup/teardown, start errors.
#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "fake_sender.h"
#include "plan_builders.h"
#include "throng/engine/engine.h"
#include "throng/engine/stats.h"
#include "throng/test_support/wait_until.h"

namespace throng::engine {
namespace {

using namespace std::chrono_literals;
using testing::BasicPlan;
using testing::FakeBackend;
using testing::FakeOptions;
using testing::Get;
using testing::Task;

// The engine acts asynchronously: wait for what a test needs, up to 10 s.
bool Eventually(const std::function<bool()>& condition) {
  return test_support::WaitUntil(condition, 10s, 10ms);
}

Plan ClosedPlan(std::uint32_t users) {
  Plan plan = BasicPlan();
  plan.user_classes[0].tasks = {Task("t", 1, {Get(plan, "/work")})};
  plan.user_classes[0].wait = WaitPlan{WaitPlan::Kind::kConstant, {10ms, 10ms}};
  plan.load.model = ClosedModelPlan{users, 0, {}};
  plan.load.duration = std::nullopt;  // unbounded: the test stops it
  return plan;
}

TEST(JobControlTest, GracefulStopLetsInFlightRequestsFinish) {
  FakeBackend backend;
  backend.delay = 300ms;
  Engine engine(FakeOptions(backend));
  auto job = engine.Start(ClosedPlan(4));
  ASSERT_TRUE(Eventually([&] { return backend.in_flight.load() == 4; }));
  job->Stop(false, 5s);
  ASSERT_TRUE(job->WaitUntilDone(10s));
  EXPECT_EQ(job->Phase(), JobPhase::kStopped);
  EXPECT_EQ(backend.closed_mid_request.load(), 0);
  const auto total = job->Stats().Snapshot().Aggregated();
  EXPECT_EQ(total.requests, static_cast<std::uint64_t>(backend.Targets().size()));
  EXPECT_EQ(total.failures, 0u);
}

TEST(JobControlTest, GraceRunningOutCancelsInFlightRequests) {
  FakeBackend backend;
  backend.delay = 5s;
  Engine engine(FakeOptions(backend));
  auto job = engine.Start(ClosedPlan(2));
  ASSERT_TRUE(Eventually([&] { return backend.in_flight.load() == 2; }));
  job->Stop(false, 100ms);
  ASSERT_TRUE(job->WaitUntilDone(3s));
  EXPECT_EQ(backend.closed_mid_request.load(), 2);
  // Cut short by the stop: counted as unfinished, never silently dropped.
  const auto total = job->Stats().Snapshot().Aggregated();
  EXPECT_EQ(total.requests, 2u);
  EXPECT_EQ(total.FailuresOf(FailureKind::kUnfinished), 2u);
  EXPECT_EQ(total.failures, 2u);
}

TEST(JobControlTest, ImmediateStopCancelsNow) {
  FakeBackend backend;
  backend.delay = 5s;
  Engine engine(FakeOptions(backend));
  auto job = engine.Start(ClosedPlan(3));
  ASSERT_TRUE(Eventually([&] { return backend.in_flight.load() == 3; }));
  job->Stop(true, std::nullopt);
  ASSERT_TRUE(job->WaitUntilDone(3s));
  EXPECT_EQ(job->Phase(), JobPhase::kStopped);
  EXPECT_EQ(backend.closed_mid_request.load(), 3);
  EXPECT_EQ(job->Stats().Snapshot().Aggregated().FailuresOf(FailureKind::kUnfinished), 3u);
  EXPECT_EQ(job->Status().active_users, 0u);
}

TEST(JobControlTest, SetTargetUsersScalesUpAndDown) {
  FakeBackend backend;
  Engine engine(FakeOptions(backend));
  auto job = engine.Start(ClosedPlan(2));
  ASSERT_TRUE(Eventually([&] { return job->Status().active_users == 2; }));
  job->SetTargetUsers(7);
  ASSERT_TRUE(Eventually([&] { return job->Status().active_users == 7; }));
  // The stats gauge follows the users' own start, a moment after the controller's count.
  EXPECT_TRUE(Eventually([&] { return job->Stats().Snapshot().active_users == 7; }));
  job->SetTargetUsers(1);
  ASSERT_TRUE(Eventually([&] { return job->Status().active_users == 1; }));
  EXPECT_TRUE(Eventually([&] { return job->Status().target_users == 1; }));
  job->Stop(false, std::nullopt);
  ASSERT_TRUE(job->WaitUntilDone(5s));
}

TEST(JobControlTest, PauseStopsNewIterationsAndResumeContinues) {
  FakeBackend backend;
  Engine engine(FakeOptions(backend));
  auto job = engine.Start(ClosedPlan(3));
  ASSERT_TRUE(Eventually([&] { return backend.completed.load() > 20; }));
  job->Pause();
  ASSERT_TRUE(Eventually([&] { return job->Phase() == JobPhase::kPaused; }));
  const int paused_at = backend.completed.load();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(backend.completed.load(), paused_at);
  job->Resume();
  ASSERT_TRUE(Eventually([&] { return backend.completed.load() > paused_at + 20; }));
  EXPECT_EQ(job->Phase(), JobPhase::kRunning);
  job->Stop(false, std::nullopt);
  ASSERT_TRUE(job->WaitUntilDone(5s));
}

TEST(JobControlTest, DurationEndsTheJobAsCompleted) {
  FakeBackend backend;
  Engine engine(FakeOptions(backend));
  Plan plan = ClosedPlan(2);
  plan.load.duration = 300ms;
  auto job = engine.Start(std::move(plan));
  ASSERT_TRUE(job->WaitUntilDone(5s));
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted);
  EXPECT_GT(backend.completed.load(), 0);
  EXPECT_DOUBLE_EQ(job->Status().progress, 1.0);
}

TEST(JobControlTest, RampStartsUsersAtTheSpawnRate) {
  FakeBackend backend;
  Engine engine(FakeOptions(backend));
  Plan plan = ClosedPlan(10);
  std::get<ClosedModelPlan>(plan.load.model).spawn_rate = 20;  // all 10 at 0.5 s
  const auto start = std::chrono::steady_clock::now();
  auto job = engine.Start(std::move(plan));
  ASSERT_TRUE(Eventually([&] { return job->Status().active_users == 10; }));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 400ms);  // not all at once
  job->Stop(true, std::nullopt);
  ASSERT_TRUE(job->WaitUntilDone(5s));
}

TEST(JobControlTest, SetupValuesBecomeJobVariablesAndTeardownRuns) {
  FakeBackend backend;
  backend.handler = [](const HttpRequest& request) {
    HttpResponse response;
    response.status = 200;
    if (request.target == "/setup") response.body = "{\"token\": \"abc\"}";
    return response;
  };
  Engine engine(FakeOptions(backend));
  Plan plan = BasicPlan();
  StepPlan setup = Get(plan, "/setup");
  std::get<RequestPlan>(setup.action)
      .extract.push_back(ExtractPlan{"token", ExtractPlan::Source::kJsonPointer, "/token",
                                     ExtractPlan::Action::kSet, true, nullptr});
  plan.setup = {setup};
  plan.teardown = {Get(plan, "/teardown/{{token}}")};
  plan.user_classes[0].tasks = {Task("t", 1, {Get(plan, "/use/{{token}}")})};
  testing::PerUser(plan, 3, 2);
  auto job = engine.Start(std::move(plan));
  ASSERT_TRUE(job->WaitUntilDone(5s));
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted);
  const auto targets = backend.Targets();
  ASSERT_GE(targets.size(), 2u);
  EXPECT_EQ(targets.front(), "/setup");
  EXPECT_EQ(targets.back(), "/teardown/abc");
  EXPECT_EQ(backend.Count("/use/abc"), 6);
}

TEST(JobControlTest, FailingSetupFailsTheJobBeforeAnyLoad) {
  FakeBackend backend;
  backend.handler = [](const HttpRequest& request) {
    HttpResponse response;
    response.status = request.target == "/setup" ? 500 : 200;
    return response;
  };
  Engine engine(FakeOptions(backend));
  Plan plan = ClosedPlan(2);
  plan.setup = {Get(plan, "/setup")};
  plan.teardown = {Get(plan, "/teardown")};
  auto job = engine.Start(std::move(plan));
  ASSERT_TRUE(job->WaitUntilDone(5s));
  EXPECT_EQ(job->Phase(), JobPhase::kFailed);
  EXPECT_NE(job->Status().error.find("setup failed"), std::string::npos) << job->Status().error;
  EXPECT_EQ(backend.Count("/work"), 0);
  EXPECT_EQ(backend.Count("/teardown"), 1);
}

TEST(JobControlTest, AbortEndsAsAbortedWithTheReason) {
  FakeBackend backend;
  Engine engine(FakeOptions(backend));
  auto job = engine.Start(ClosedPlan(2));
  ASSERT_TRUE(Eventually([&] { return backend.completed.load() > 0; }));
  job->Abort("threshold p(95) < 1ms crossed");
  ASSERT_TRUE(job->WaitUntilDone(5s));
  EXPECT_EQ(job->Phase(), JobPhase::kAborted);
  EXPECT_EQ(job->Status().error, "threshold p(95) < 1ms crossed");
}

TEST(JobControlTest, StartErrorsAreClear) {
  FakeBackend backend;
  Engine engine(FakeOptions(backend));
  Plan open = ClosedPlan(1);
  open.load.model = OpenModelPlan{10, {}, 1, 0, 0};  // max_users 0
  EXPECT_THROW(engine.Start(open), JobError);

  Plan feeder = ClosedPlan(5);
  feeder.feeders.push_back(
      FeederPlan{"creds", FeederPlan::Mode::kUnique, {"user"}, {{"a"}, {"b"}}});
  try {
    engine.Start(feeder);
    ADD_FAILURE() << "a unique feeder with 2 rows cannot serve 5 users";
  } catch (const JobError& e) {
    EXPECT_NE(std::string(e.what()).find("creds"), std::string::npos) << e.what();
  }

  Plan iterations = ClosedPlan(1);
  testing::PerUser(iterations, 1, 1);
  auto job = engine.Start(iterations);
  EXPECT_THROW(job->SetTargetUsers(3), JobError);
  EXPECT_THROW(job->SetArrivalRate(3), JobError);
  EXPECT_TRUE(job->WaitUntilDone(5s));
}

TEST(JobControlTest, EngineDestructionStopsRunningJobs) {
  FakeBackend backend;
  backend.delay = 10s;
  std::shared_ptr<RunningJob> job;
  {
    Engine engine(FakeOptions(backend));
    job = engine.Start(ClosedPlan(2));
    ASSERT_TRUE(Eventually([&] { return backend.in_flight.load() == 2; }));
  }
  EXPECT_EQ(job->Phase(), JobPhase::kStopped);
}

}  // namespace
}  // namespace throng::engine
