// Iteration executors against the real demo backend on 127.0.0.1:0: seed 004's locker flow as
// per-user iterations (1000 users, at most 50 at a time) and shared iterations. Logins and
// concurrency are counted at the backend, not taken from the engine's word.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "backend_fixture.h"
#include "throng/engine/engine.h"
#include "throng/engine/stats.h"

namespace throng::engine {
namespace {

using namespace std::chrono_literals;
using IterationsTest = testing::BackendTest;
using testing::RequestsOf;

constexpr char kTokenHeader[] = "Bearer {{token}}";

RequestPlan& WithToken(RequestPlan& request) {
  request.headers.push_back({"Authorization", Template::Parse(kTokenHeader)});
  return request;
}

/// Seed 004 as examples/scenarios/lockers.yaml writes it: `users` accounts created in setup and
/// removed in teardown; each user logs in once, lists the free lockers, holds a random one,
/// thinks `think`, confirms or releases it (50/50) and views its lockers.
Plan LockerPlan(Plan plan, std::uint32_t users, std::uint32_t concurrency, DurationRange think) {
  plan.variables["password"] = "lockerpass123";
  FeederPlan accounts{"accounts", FeederPlan::Mode::kUnique, {"username"}, {}};
  for (std::uint32_t i = 0; i < users; ++i) {
    accounts.rows.push_back({"locker_user_" + std::to_string(i)});
  }
  plan.feeders.push_back(std::move(accounts));

  RepeatPlan create{users, {}};
  RequestPlan& add = testing::AddRequest(plan, create.steps, "POST", "/admin/users",
                                         "setup POST /admin/users", {201, 409});
  add.body = JsonBodyPlan{
      nlohmann::json{{"username", ""}, {"password", ""}},
      {{nlohmann::json::json_pointer("/username"), Template::Parse("locker_user_{{repeat_index}}")},
       {nlohmann::json::json_pointer("/password"), Template::Parse("{{password}}")}}};
  plan.setup.push_back({std::move(create), ""});

  RepeatPlan remove{users, {}};
  testing::AddRequest(plan, remove.steps, "DELETE", "/admin/users/locker_user_{{repeat_index}}",
                      "teardown DELETE /admin/users/[username]", {204, 404});
  plan.teardown.push_back({std::move(remove), ""});

  UserClassPlan user{"LockerUser", 1, {}, {}, {}, {TaskPlan{"reserve", 1, {}}}, true};
  RequestPlan& login =
      testing::AddRequest(plan, user.on_start, "POST", "/auth/token", "POST /auth/token", {200});
  login.body = FormBodyPlan{{{"username", Template::Parse("{{feed:accounts.username}}")},
                             {"password", Template::Parse("{{password}}")}}};
  testing::ExtractJson(login, "token", "/access_token");

  StepList& steps = user.tasks[0].steps;
  WithToken(
      testing::AddRequest(plan, steps, "GET", "/lockers/available", "GET /lockers/available"));
  steps.push_back({SetVariablesPlan{{{"locker_id", Template::Parse("{{randint:1:200}}")}}}, ""});
  WithToken(testing::AddRequest(plan, steps, "POST", "/lockers/{{locker_id}}/hold",
                                "POST /lockers/[id]/hold", {200, 409}));
  steps.push_back({ThinkPlan{think}, ""});
  ChoicePlan choice;
  for (const char* action : {"confirm", "release"}) {
    BranchPlan branch{action, 1, {}};
    WithToken(testing::AddRequest(plan, branch.steps, "POST",
                                  std::string("/lockers/{{locker_id}}/") + action,
                                  std::string("POST /lockers/[id]/") + action, {200, 409}));
    choice.branches.push_back(std::move(branch));
  }
  steps.push_back({std::move(choice), ""});
  WithToken(testing::AddRequest(plan, steps, "GET", "/lockers/me", "GET /lockers/me"));
  plan.user_classes.push_back(std::move(user));
  plan.load.model = PerUserIterationsPlan{users, 1, concurrency};
  return plan;
}

/// Samples the engine's active-user gauge until the job ends; returns the most it saw.
std::int64_t MostActiveUsers(const RunningJob& job, Duration limit) {
  std::int64_t most = 0;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!job.WaitUntilDone(10ms) && std::chrono::steady_clock::now() < deadline) {
    most = std::max(most, job.Stats().Snapshot().active_users);
  }
  return most;
}

TEST_F(IterationsTest, LockerFlowRunsOncePerUserWithAtMostFiftyAtATime) {
  constexpr std::uint32_t kUsers = 1000;
  constexpr std::uint32_t kConcurrency = 50;
  // Every locker call takes 20 ms, so users spend most of their flow inside a request and the
  // backend's in-flight high-water mark shows how many ran at once. Admin routes (setup,
  // teardown) are exempt. Think time is 0.5-2 s in the seed, scaled down 50x here.
  SetFaults(R"({"latency_ms": 20})");
  Plan plan = LockerPlan(NewPlan("lockers"), kUsers, kConcurrency, {10ms, 40ms});
  Engine engine(EngineOptions{2, {}, {}});
  auto job = engine.Start(plan);
  const std::int64_t engine_most = MostActiveUsers(*job, 60s);
  ASSERT_TRUE(job->WaitUntilDone(1s));
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted) << job->Status().error;

  const StatsSnapshot snapshot = job->Stats().Snapshot();
  const auto total = snapshot.Aggregated();
  const double logins = BackendRequests("/auth/token", "POST", 200);
  const double most_in_flight = BackendMetric("demo_http_requests_in_flight_max");
  std::printf(
      "seed 004 lockers, %u users, at most %u at a time: %.0f logins at the backend (%.0f "
      "login requests in all), %.0f flows finished (GET /lockers/me), most requests in "
      "flight at the backend %.0f, most active users in the engine %lld; %llu requests, "
      "%llu failures, elapsed %.1f s\n",
      kUsers, kConcurrency, logins, BackendRequests("/auth/token", "POST"),
      BackendRequests("/lockers/me", "GET"), most_in_flight, static_cast<long long>(engine_most),
      static_cast<unsigned long long>(total.requests),
      static_cast<unsigned long long>(total.failures),
      std::chrono::duration<double>(job->Status().elapsed).count());
  RecordProperty("most_in_flight", std::to_string(most_in_flight));

  // Exactly 1000 logins, each user's flow once, nothing failed.
  EXPECT_EQ(logins, double{kUsers});
  EXPECT_EQ(BackendRequests("/auth/token", "POST"), double{kUsers});
  EXPECT_EQ(BackendRequests("/lockers/me", "GET"), double{kUsers});
  EXPECT_EQ(snapshot.iterations, kUsers);
  EXPECT_EQ(RequestsOf(snapshot, "POST /auth/token"), kUsers);
  EXPECT_EQ(RequestsOf(snapshot, "POST /lockers/[id]/confirm") +
                RequestsOf(snapshot, "POST /lockers/[id]/release"),
            kUsers);
  EXPECT_EQ(total.failures, 0u);
  // Never more than 50 at once, and the limit was reached (so a broken limit would show).
  EXPECT_LE(most_in_flight, double{kConcurrency});
  EXPECT_GE(most_in_flight, kConcurrency * 0.8);
  EXPECT_LE(engine_most, kConcurrency);
  // Accounts created before the load and removed after it, counted by {{repeat_index}} alone: no
  // request besides the admin calls (the old counting trick sent a GET /health after each).
  EXPECT_EQ(BackendRequests("/health", "GET"), 0.0);
  // Accounts created before the load and removed after it.
  EXPECT_EQ(BackendRequests("/admin/users", "POST", 201), double{kUsers});
  EXPECT_EQ(BackendRequests("/admin/users/{username}", "DELETE", 204), double{kUsers});
}

TEST_F(IterationsTest, SharedIterationsAreSpreadOverTheUsersAndEndTheJob) {
  constexpr std::uint32_t kUsers = 10;
  constexpr std::uint32_t kIterations = 500;
  SetFaults(R"({"latency_ms": 20})");  // 500 x 20 ms: about 1 s over 10 users, 10 s for one
  Plan plan = GetPlan("/todos/?limit=1");
  plan.load.model = SharedIterationsPlan{kUsers, kIterations};
  plan.load.duration = std::nullopt;  // ends when the iterations are done
  Engine engine(EngineOptions{2, {}, {}});
  auto job = engine.Start(plan);
  ASSERT_TRUE(job->WaitUntilDone(30s));
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted) << job->Status().error;

  const StatsSnapshot snapshot = job->Stats().Snapshot();
  const double at_backend = BackendRequests("/todos/", "GET");
  const double most_in_flight = BackendMetric("demo_http_requests_in_flight_max");
  std::printf(
      "shared iterations, %u over %u users: %llu iterations, %.0f requests at the backend, "
      "most in flight %.0f, elapsed %.2f s\n",
      kIterations, kUsers, static_cast<unsigned long long>(snapshot.iterations), at_backend,
      most_in_flight, std::chrono::duration<double>(job->Status().elapsed).count());
  EXPECT_EQ(snapshot.iterations, kIterations);
  EXPECT_EQ(at_backend, double{kIterations});
  EXPECT_EQ(snapshot.Aggregated().failures, 0u);
  // The users shared the work: all of them had a request in flight at once, never more.
  EXPECT_LE(most_in_flight, double{kUsers});
  EXPECT_GE(most_in_flight, kUsers * 0.8);
}

}  // namespace
}  // namespace throng::engine
