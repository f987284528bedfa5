// Seed workloads run by the engine against the real demo backend on 127.0.0.1:0.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <thread>

#include "backend_fixture.h"
#include "throng/engine/engine.h"
#include "throng/engine/stats.h"
#include "throng/test_support/wait_until.h"

namespace throng::engine {
namespace {

using namespace std::chrono_literals;

using EngineBackendTest = testing::BackendTest;
using testing::AddLogin;
using testing::AddPreparedCredentials;
using testing::AddRequest;
using testing::ExtractJson;
using testing::RequestsOf;
using testing::SetJsonBody;

/// Waits until `condition` holds or `limit` passes; returns its last value.
bool Eventually(const std::function<bool()>& condition, Duration limit = 5s) {
  return test_support::WaitUntil(condition, limit, 10ms);
}

TEST_F(EngineBackendTest, TodoCrudWorkloadFollowsWeightsWithoutFailures) {
  Plan plan = NewPlan("todo");
  UserClassPlan user{"todo", 1, {}, {}, {}, {}, false};
  TaskPlan create{"create", 3, {}};
  auto& post = AddRequest(plan, create.steps, "POST", "/todos/", "create", {201});
  SetJsonBody(post, {{"title", "load test"}, {"completed", false}});
  ExtractJson(post, "todo_ids", "/id", ExtractPlan::Action::kAppend);
  TaskPlan list{"list", 2, {}};
  AddRequest(plan, list.steps, "GET", "/todos/?limit=5", "list", {200});
  // get/update read back one of this user's own ids: anything but 200 would be a failure.
  TaskPlan get{"get", 1, {StepPlan{ListOpPlan{"todo_ids", ListOpPlan::Op::kPickRandom, "id"}, ""}}};
  AddRequest(plan, get.steps, "GET", "/todos/{{id}}", "get", {200});
  get.steps.back().skip_if_empty = "id";
  TaskPlan update{
      "update", 1, {StepPlan{ListOpPlan{"todo_ids", ListOpPlan::Op::kPickRandom, "id"}, ""}}};
  SetJsonBody(AddRequest(plan, update.steps, "PUT", "/todos/{{id}}", "update", {200}),
              {{"completed", true}});
  update.steps.back().skip_if_empty = "id";
  TaskPlan remove{"delete", 1, {StepPlan{ListOpPlan{"todo_ids", ListOpPlan::Op::kPop, "id"}, ""}}};
  AddRequest(plan, remove.steps, "DELETE", "/todos/{{id}}", "delete", {204, 404});
  remove.steps.back().skip_if_empty = "id";
  user.tasks = {create, list, get, update, remove};
  plan.user_classes.push_back(user);
  plan.load.model = PerUserIterationsPlan{20, 110, 0};  // 2200 task runs

  Engine engine(EngineOptions{2, {}, {}});
  auto job = engine.Start(plan);
  ASSERT_TRUE(job->WaitUntilDone(30s));
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted) << job->Status().error;
  const StatsSnapshot snapshot = job->Stats().Snapshot();
  EXPECT_EQ(snapshot.iterations, 2200u);
  EXPECT_EQ(snapshot.Aggregated().failures, 0u);
  const double runs = 2200;
  const std::pair<const char*, double> shares[] = {
      {"create", 3.0 / 8}, {"list", 2.0 / 8}, {"get", 1.0 / 8}, {"update", 1.0 / 8}};
  for (const auto& [name, share] : shares) {
    // get/update skip when the user has no id yet, so they count only as ran.
    EXPECT_NEAR(RequestsOf(snapshot, name) / runs, share, share * 0.1 + 0.01) << name;
  }
}

TEST_F(EngineBackendTest, LoginWithFeederCredentialsReachesTheAccount) {
  Plan plan = NewPlan("auth");
  AddPreparedCredentials(plan, 10);
  UserClassPlan user{"auth", 1, {}, {}, {}, {}, false};
  AddLogin(plan, user);
  TaskPlan me{"me", 5, {}};
  auto& get_me = AddRequest(plan, me.steps, "GET", "/accounts/me", "me", {200});
  get_me.headers = {{"Authorization", Template::Parse("Bearer {{token}}")}};
  get_me.expect.json.push_back(
      JsonEqualsPlan{nlohmann::json::json_pointer("/is_active"), nlohmann::json(true)});
  user.tasks = {me};
  plan.user_classes.push_back(user);
  plan.load.model = PerUserIterationsPlan{10, 20, 0};

  Engine engine(EngineOptions{2, {}, {}});
  auto job = engine.Start(plan);
  ASSERT_TRUE(job->WaitUntilDone(20s));
  const StatsSnapshot snapshot = job->Stats().Snapshot();
  EXPECT_EQ(RequestsOf(snapshot, "login"), 10u);
  EXPECT_EQ(RequestsOf(snapshot, "me"), 200u);
  EXPECT_EQ(snapshot.Aggregated().failures, 0u);
}

TEST_F(EngineBackendTest, WithoutLoginEveryAccountRequestIsAFailure) {
  Plan plan = NewPlan("anonymous");
  UserClassPlan user{"anonymous", 1, {}, {}, {}, {}, false};
  TaskPlan me{"me", 1, {}};
  AddRequest(plan, me.steps, "GET", "/accounts/me", "me");
  user.tasks = {me};
  plan.user_classes.push_back(user);
  plan.load.model = PerUserIterationsPlan{3, 10, 0};

  Engine engine(EngineOptions{2, {}, {}});
  auto job = engine.Start(plan);
  ASSERT_TRUE(job->WaitUntilDone(20s));
  const auto total = job->Stats().Snapshot().Aggregated();
  EXPECT_EQ(total.requests, 30u);
  EXPECT_EQ(total.FailuresOf(FailureKind::kUnexpectedStatus), 30u);
  EXPECT_EQ(total.RequestsWithStatus(401), 30u);
}

TEST_F(EngineBackendTest, RampAndLiveTargetChangeOnARealTarget) {
  Plan plan = NewPlan("ramp");
  UserClassPlan user{"health", 1, {WaitPlan::Kind::kConstant, {20ms, 20ms}}, {}, {}, {}, false};
  TaskPlan health{"health", 1, {}};
  AddRequest(plan, health.steps, "GET", "/health", "health", {200});
  user.tasks = {health};
  plan.user_classes.push_back(user);
  plan.load.model = ClosedModelPlan{20, 40, {}};  // 20 users at 40/s: 0.5 s

  Engine engine(EngineOptions{2, {}, {}});
  const auto start = std::chrono::steady_clock::now();
  auto job = engine.Start(plan);
  ASSERT_TRUE(Eventually([&] { return job->Status().active_users == 20; }, 3s));
  EXPECT_LE(std::chrono::steady_clock::now() - start, 1500ms);  // N/R + 1 s
  job->SetTargetUsers(5);
  ASSERT_TRUE(Eventually([&] { return job->Status().active_users == 5; }));
  job->Stop(false, std::nullopt);
  ASSERT_TRUE(job->WaitUntilDone(10s));
  EXPECT_EQ(job->Phase(), JobPhase::kStopped);
  const auto total = job->Stats().Snapshot().Aggregated();
  EXPECT_GT(total.requests, 20u);
  EXPECT_EQ(total.failures, 0u);
}

TEST_F(EngineBackendTest, RefusedTargetIsCountedWhileAnotherJobKeepsRunning) {
  // A port with nothing listening: bind, read the port, close.
  std::uint16_t dead_port = 0;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(
        io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    dead_port = acceptor.local_endpoint().port();
  }
  Plan healthy = NewPlan("healthy");
  UserClassPlan user{"health", 1, {WaitPlan::Kind::kConstant, {5ms, 5ms}}, {}, {}, {}, false};
  TaskPlan health{"health", 1, {}};
  AddRequest(healthy, health.steps, "GET", "/health", "health", {200});
  user.tasks = {health};
  healthy.user_classes.push_back(user);
  healthy.load.model = ClosedModelPlan{4, 0, {}};
  healthy.load.duration = 1500ms;
  Plan refused = healthy;
  refused.http.port = dead_port;
  refused.load.duration = 1s;

  Engine engine(EngineOptions{2, {}, {}});
  auto good = engine.Start(healthy);
  auto bad = engine.Start(refused);
  ASSERT_TRUE(bad->WaitUntilDone(10s));
  ASSERT_TRUE(good->WaitUntilDone(10s));
  const auto bad_total = bad->Stats().Snapshot().Aggregated();
  EXPECT_GT(bad_total.requests, 0u);
  EXPECT_EQ(bad_total.FailuresOf(FailureKind::kConnectRefused), bad_total.requests);
  const auto good_total = good->Stats().Snapshot().Aggregated();
  EXPECT_GT(good_total.requests, 50u);
  EXPECT_EQ(good_total.failures, 0u);
  EXPECT_EQ(good->Phase(), JobPhase::kCompleted);
}

}  // namespace
}  // namespace throng::engine
