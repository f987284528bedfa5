// Fleet segments on the engine: striped users and rows, setup-only and teardown-only jobs, and
// the shared start instant.
#include <gtest/gtest.h>

#include <set>

#include "fake_sender.h"
#include "plan_builders.h"
#include "throng/engine/engine.h"

namespace throng::engine {
namespace {

using namespace std::chrono_literals;
using testing::BasicPlan;
using testing::FakeBackend;
using testing::FakeOptions;
using testing::Get;
using testing::Task;

Plan LoginPlan(std::uint32_t users, ExecutionSegment segment) {
  Plan plan = BasicPlan();
  FeederPlan accounts{"accounts", FeederPlan::Mode::kUnique, {"name"}, {}};
  for (std::uint32_t row = 0; row < users; ++row) accounts.rows.push_back({std::to_string(row)});
  plan.feeders = {accounts};
  plan.user_classes[0].tasks = {
      Task("login", 1, {Get(plan, "/login/{{feed:accounts.name}}/{{user_index}}", "login")})};
  testing::PerUser(plan, users, 1, 5);
  plan.load.segment = segment;
  return plan;
}

TEST(FleetJobTest, ThreeSegmentsLogInEveryAccountOnceWithFleetWideUserIndices) {
  FakeBackend backend;
  Engine engine(FakeOptions(backend));
  std::vector<std::shared_ptr<RunningJob>> jobs;
  for (std::uint32_t index = 0; index < 3; ++index) {
    jobs.push_back(engine.Start(LoginPlan(100, {index, 3})));
  }
  for (const auto& job : jobs) {
    ASSERT_TRUE(job->WaitUntilDone(10s));
    EXPECT_EQ(job->Phase(), JobPhase::kCompleted) << job->Status().error;
  }
  const std::vector<std::string> targets = backend.Targets();
  const std::set<std::string> distinct(targets.begin(), targets.end());
  EXPECT_EQ(targets.size(), 100u);
  EXPECT_EQ(distinct.size(), 100u);
  // Every account once and every fleet-wide user index 0..99 once: like one daemon's 100 users.
  std::set<std::string> accounts;
  std::set<std::string> indices;
  for (const std::string& target : targets) {
    const std::size_t slash = target.rfind('/');
    accounts.insert(target.substr(7, slash - 7));
    indices.insert(target.substr(slash + 1));
  }
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(accounts.count(std::to_string(i)), 1u) << i;
    EXPECT_EQ(indices.count(std::to_string(i)), 1u) << i;
  }
  EXPECT_EQ(jobs[0]->Status().target_users, 34u);
  EXPECT_EQ(jobs[2]->Status().target_users, 33u);
}

TEST(FleetJobTest, SetupOnlyRunsSetupAndReturnsItsVariables) {
  FakeBackend backend;
  backend.handler = [](const HttpRequest&) {
    HttpResponse response;
    response.status = 200;
    response.body = "{\"token\": \"abc\"}";
    return response;
  };
  Engine engine(FakeOptions(backend));
  Plan plan = LoginPlan(10, {});
  StepPlan setup = Get(plan, "/setup");
  std::get<RequestPlan>(setup.action)
      .extract.push_back(ExtractPlan{"token", ExtractPlan::Source::kJsonPointer, "/token",
                                     ExtractPlan::Action::kSet, true, nullptr});
  plan.setup = {setup};
  plan.teardown = {Get(plan, "/teardown")};
  plan.phases = JobPhases::kSetupOnly;
  auto job = engine.Start(std::move(plan));
  ASSERT_TRUE(job->WaitUntilDone(5s));
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted);
  EXPECT_EQ(backend.Targets(), std::vector<std::string>{"/setup"});
  EXPECT_EQ(job->Status().setup_variables, (std::map<std::string, std::string>{{"token", "abc"}}));
}

TEST(FleetJobTest, TeardownOnlyRunsTeardownWithTheGivenVariables) {
  FakeBackend backend;
  Engine engine(FakeOptions(backend));
  Plan plan = LoginPlan(10, {});
  plan.setup = {Get(plan, "/setup")};
  plan.teardown = {Get(plan, "/teardown/{{token}}")};
  plan.variables["token"] = "abc";
  plan.phases = JobPhases::kTeardownOnly;
  auto job = engine.Start(std::move(plan));
  ASSERT_TRUE(job->WaitUntilDone(5s));
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted);
  EXPECT_EQ(backend.Targets(), std::vector<std::string>{"/teardown/abc"});
}

TEST(FleetJobTest, TheLoadWaitsForItsStartInstantAndAStopCutsTheWait) {
  FakeBackend backend;
  Engine engine(FakeOptions(backend));
  Plan plan = LoginPlan(3, {});
  const auto start_at = std::chrono::system_clock::now() + 600ms;
  plan.load_start_at = start_at;
  auto job = engine.Start(std::move(plan));
  ASSERT_TRUE(job->WaitUntilDone(5s));
  EXPECT_GE(job->Status().ended_at, start_at);
  EXPECT_EQ(backend.Targets().size(), 3u);

  Plan later = LoginPlan(3, {});
  later.load_start_at = std::chrono::system_clock::now() + 1h;
  auto waiting = engine.Start(std::move(later));
  EXPECT_FALSE(waiting->WaitUntilDone(200ms));
  EXPECT_EQ(waiting->Phase(), JobPhase::kStarting);
  waiting->Stop(false, std::nullopt);
  ASSERT_TRUE(waiting->WaitUntilDone(5s));
  EXPECT_EQ(waiting->Phase(), JobPhase::kStopped);
  EXPECT_EQ(backend.Targets().size(), 3u);  // the waiting job sent nothing
}

}  // namespace
}  // namespace throng::engine
