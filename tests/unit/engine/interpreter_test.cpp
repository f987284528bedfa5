// The scenario interpreter run by the engine against an in-process fake sender.
#include <gtest/gtest.h>

#include "fake_sender.h"
#include "plan_builders.h"
#include "throng/engine/engine.h"
#include "throng/engine/stats.h"

namespace throng::engine {
namespace {

using namespace std::chrono_literals;
using testing::BasicPlan;
using testing::FakeBackend;
using testing::FakeOptions;
using testing::Get;
using testing::PerUser;
using testing::Task;

std::shared_ptr<RunningJob> RunToEnd(Engine& engine, Plan plan) {
  auto job = engine.Start(std::move(plan));
  EXPECT_TRUE(job->WaitUntilDone(20s));
  return job;
}

TEST(InterpreterTest, WeightedTasksFollowTheirWeights) {
  FakeBackend backend;
  Engine engine(FakeOptions(backend));
  Plan plan = BasicPlan();
  auto& user = plan.user_classes[0];
  user.tasks = {Task("a", 3, {Get(plan, "/a")}), Task("b", 1, {Get(plan, "/b")})};
  PerUser(plan, 4, 1000);
  auto job = RunToEnd(engine, std::move(plan));
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted);
  const int a = backend.Count("/a");
  const int b = backend.Count("/b");
  EXPECT_EQ(a + b, 4000);
  EXPECT_NEAR(a / 4000.0, 0.75, 0.03);
  EXPECT_EQ(job->Stats().Snapshot().iterations, 4000u);
}

TEST(InterpreterTest, RequestsWithoutPlaceholdersAreRenderedOncePerJob) {
  FakeBackend backend;
  Engine engine(FakeOptions(backend));
  Plan plan = BasicPlan();
  plan.user_classes[0].tasks = {
      Task("t", 1, {Get(plan, "/plain"), Get(plan, "/user/{{user_index}}", "templated")})};
  PerUser(plan, 3, 5);
  auto job = RunToEnd(engine, std::move(plan));
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted);
  EXPECT_EQ(backend.Count("/plain"), 15);
  EXPECT_EQ(backend.Count("/user/0") + backend.Count("/user/1") + backend.Count("/user/2"), 15);
  std::lock_guard lock(backend.mutex);
  EXPECT_EQ(backend.fixed_sends, 15);           // every /plain send and no templated one
  EXPECT_EQ(backend.fixed_objects.size(), 1u);  // one rendering shared by the three users
}

TEST(InterpreterTest, SequentialTasksRunInOrder) {
  FakeBackend backend;
  Engine engine(FakeOptions(backend, 1));
  Plan plan = BasicPlan();
  auto& user = plan.user_classes[0];
  user.sequential = true;
  user.tasks = {Task("a", 1, {Get(plan, "/a")}), Task("b", 5, {Get(plan, "/b")})};
  PerUser(plan, 1, 4);
  RunToEnd(engine, std::move(plan));
  EXPECT_EQ(backend.Targets(), (std::vector<std::string>{"/a", "/b", "/a", "/b"}));
}

TEST(InterpreterTest, OnStartThenIterationsThenOnStopPerUser) {
  FakeBackend backend;
  Engine engine(FakeOptions(backend));
  Plan plan = BasicPlan();
  auto& user = plan.user_classes[0];
  user.on_start = {Get(plan, "/start/{{user_index}}", "start")};
  user.on_stop = {Get(plan, "/stop/{{user_index}}", "stop")};
  user.tasks = {Task("t", 1, {Get(plan, "/task/{{user_index}}", "task")})};
  PerUser(plan, 6, 3, 2);
  auto job = RunToEnd(engine, std::move(plan));
  std::map<std::string, std::vector<std::string>> per_user;
  for (const auto& target : backend.Targets()) {
    const auto slash = target.rfind('/');
    per_user[target.substr(slash + 1)].push_back(target.substr(0, slash));
  }
  ASSERT_EQ(per_user.size(), 6u);
  for (const auto& [index, sequence] : per_user) {
    EXPECT_EQ(sequence, (std::vector<std::string>{"/start", "/task", "/task", "/task", "/stop"}))
        << "user " << index;
  }
  EXPECT_EQ(job->Stats().Snapshot().iterations, 18u);
}

TEST(InterpreterTest, ChoiceRepeatAndSkipIfEmpty) {
  FakeBackend backend;
  Engine engine(FakeOptions(backend));
  Plan plan = BasicPlan();
  ChoicePlan choice;
  choice.branches = {BranchPlan{"x", 1, {Get(plan, "/x")}}, BranchPlan{"y", 4, {Get(plan, "/y")}}};
  RepeatPlan repeat{3, {Get(plan, "/r")}};
  plan.user_classes[0].tasks = {Task("t", 1,
                                     {StepPlan{choice, ""}, StepPlan{repeat, ""},
                                      testing::Skippable(Get(plan, "/never"), "missing")})};
  PerUser(plan, 2, 1000);
  RunToEnd(engine, std::move(plan));
  EXPECT_EQ(backend.Count("/r"), 6000);
  EXPECT_EQ(backend.Count("/never"), 0);
  EXPECT_EQ(backend.Count("/x") + backend.Count("/y"), 2000);
  EXPECT_NEAR(backend.Count("/y") / 2000.0, 0.8, 0.04);
}

TEST(InterpreterTest, ExtractionsAndListOpsFlowThroughTheUser) {
  FakeBackend backend;
  std::atomic<int> next_id{0};
  backend.handler = [&](const HttpRequest& request) {
    HttpResponse response;
    response.status = 200;
    if (request.target == "/create") {
      response.status = 201;
      response.body = "{\"id\": " + std::to_string(++next_id) + "}";
    }
    return response;
  };
  Engine engine(FakeOptions(backend, 1));
  Plan plan = BasicPlan();
  StepPlan create = Get(plan, "/create");
  auto& request = std::get<RequestPlan>(create.action);
  request.expect.statuses = {201};
  request.extract.push_back(ExtractPlan{"ids", ExtractPlan::Source::kJsonPointer, "/id",
                                        ExtractPlan::Action::kAppend, true, nullptr});
  auto& user = plan.user_classes[0];
  user.sequential = true;
  user.tasks = {
      Task("create", 1, {create, create, create}),
      Task("pick", 1,
           {StepPlan{ListOpPlan{"ids", ListOpPlan::Op::kPop, "id"}, ""}, Get(plan, "/get/{{id}}"),
            StepPlan{ListOpPlan{"ids", ListOpPlan::Op::kPickRandom, "other"}, ""},
            StepPlan{ListOpPlan{"ids", ListOpPlan::Op::kRemove, "other"}, ""},
            Get(plan, "/left/{{len:ids}}"),
            StepPlan{SetVariablesPlan{{{"greeting", Template::Parse("hi-{{id}}")}}}, ""},
            Get(plan, "/say/{{greeting}}"),
            StepPlan{ListOpPlan{"ids", ListOpPlan::Op::kClear, ""}, ""},
            StepPlan{ListOpPlan{"ids", ListOpPlan::Op::kPop, "id"}, ""},
            testing::Skippable(Get(plan, "/gone/{{id}}"), "id")}),
  };
  PerUser(plan, 1, 2);
  auto job = RunToEnd(engine, std::move(plan));
  EXPECT_EQ(backend.Targets(), (std::vector<std::string>{"/create", "/create", "/create", "/get/3",
                                                         "/left/1", "/say/hi-3"}));
  EXPECT_EQ(job->Stats().Snapshot().Aggregated().failures, 0u);
}

TEST(InterpreterTest, UnexpectedStatusIsCountedAsAFailure) {
  FakeBackend backend;
  backend.handler = [](const HttpRequest&) {
    HttpResponse response;
    response.status = 401;
    return response;
  };
  Engine engine(FakeOptions(backend));
  Plan plan = BasicPlan();
  plan.user_classes[0].tasks = {Task("t", 1, {Get(plan, "/me")})};
  PerUser(plan, 2, 5);
  auto job = RunToEnd(engine, std::move(plan));
  const auto total = job->Stats().Snapshot().Aggregated();
  EXPECT_EQ(total.requests, 10u);
  EXPECT_EQ(total.failures, 10u);
  EXPECT_EQ(total.FailuresOf(FailureKind::kUnexpectedStatus), 10u);
}

TEST(InterpreterTest, UserClassesAreSplitByWeightDeterministically) {
  FakeBackend backend;
  Engine engine(FakeOptions(backend));
  Plan plan = BasicPlan();
  plan.user_classes[0].weight = 3;
  plan.user_classes[0].tasks = {Task("a", 1, {Get(plan, "/a")})};
  UserClassPlan other;
  other.name = "other";
  other.weight = 1;
  other.tasks = {Task("b", 1, {Get(plan, "/b")})};
  plan.user_classes.push_back(other);
  PerUser(plan, 10, 1);
  RunToEnd(engine, std::move(plan));
  // 10 users at 3:1 -> 7 or 8 of the first class, never a lopsided split.
  EXPECT_GE(backend.Count("/a"), 7);
  EXPECT_LE(backend.Count("/a"), 8);
  EXPECT_EQ(backend.Count("/a") + backend.Count("/b"), 10);
}

}  // namespace
}  // namespace throng::engine
