// Plans that used to spin a worker or crash the engine, run against the real demo backend on
// loopback: flows that never wait, rates beyond the maximum, regexes over large bodies.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>

#include "backend_fixture.h"
#include "throng/engine/engine.h"
#include "throng/engine/limits.h"
#include "throng/engine/stats.h"
#include "throng/test_support/wait_until.h"

namespace throng::engine::testing {
namespace {

using namespace std::chrono_literals;

// Waits up to 10 s for `condition` (the engine acts asynchronously).
bool Eventually(const std::function<bool()>& condition) {
  return test_support::WaitUntil(condition, 10s);
}

StepPlan Set(const std::string& name, const std::string& value) {
  return StepPlan{SetVariablesPlan{{{name, Template::Parse(value)}}}, ""};
}

bool HasWarning(const JobStatus& status, const std::string& text) {
  return std::any_of(status.warnings.begin(), status.warnings.end(),
                     [&](const std::string& w) { return w.find(text) != std::string::npos; });
}

class HostilePlansTest : public BackendTest {
 protected:
  /// A closed-model job of `users` users whose only task runs `steps` without any wait.
  Plan NonWaitingPlan(StepList steps, std::uint32_t users = 8) const {
    Plan plan = NewPlan("spin");
    UserClassPlan user{"spin", 1, {}, {}, {}, {TaskPlan{"spin", 1, std::move(steps)}}, false};
    plan.user_classes.push_back(std::move(user));
    plan.load.model = ClosedModelPlan{users, 0, {}};
    return plan;
  }

  /// A healthy job: 2 users, GET /health every 10 ms, unbounded.
  Plan HealthyPlan() const {
    Plan plan = GetPlan("/health");
    plan.user_classes[0].wait = WaitPlan{WaitPlan::Kind::kConstant, {10ms, 10ms}};
    plan.load.model = ClosedModelPlan{2, 0, {}};
    return plan;
  }

  /// Runs `spin` beside a healthy job on ONE worker: the healthy job must progress, an immediate
  /// stop of `spin` must end it promptly, and so must the healthy job's graceful stop.
  void ExpectResponsive(Plan spin) {
    Engine engine(EngineOptions{1, {}, {}});
    auto spinning = engine.Start(std::move(spin));
    auto healthy = engine.Start(HealthyPlan());
    ASSERT_TRUE(Eventually([&] { return RequestsOf(healthy->Stats().Snapshot(), "get") >= 20; }))
        << "a job on the same worker starved";
    const auto asked = std::chrono::steady_clock::now();
    spinning->Stop(true, std::nullopt);
    ASSERT_TRUE(spinning->WaitUntilDone(5s));
    EXPECT_LT(std::chrono::steady_clock::now() - asked, 2s);
    EXPECT_EQ(spinning->Phase(), JobPhase::kStopped);
    const std::uint64_t before = RequestsOf(healthy->Stats().Snapshot(), "get");
    ASSERT_TRUE(
        Eventually([&] { return RequestsOf(healthy->Stats().Snapshot(), "get") >= before + 10; }));
    healthy->Stop(false, std::nullopt);
    ASSERT_TRUE(healthy->WaitUntilDone(5s));
    EXPECT_EQ(healthy->Stats().Snapshot().Aggregated().failures, 0u);
  }
};

TEST_F(HostilePlansTest, SetOnlyTaskIsPacedReportedAndStopsAtOnce) {
  Plan plan = NonWaitingPlan({Set("a", "1"), Set("b", "{{a}}2")});
  Engine engine(EngineOptions{1, {}, {}});
  const auto started = std::chrono::steady_clock::now();
  auto job = engine.Start(plan);
  ASSERT_TRUE(Eventually([&] { return HasWarning(job->Status(), "task spin sends no request"); }))
      << "no warning";
  // 8 users paced to one such iteration per second each: the second round of 8 needs >= 1 s.
  ASSERT_TRUE(
      Eventually([&] { return job->Stats().Snapshot().iterations_without_requests >= 16; }));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 900ms);
  const StatsSnapshot snapshot = job->Stats().Snapshot();
  EXPECT_LE(snapshot.iterations_without_requests, 8u * 4);  // never millions
  EXPECT_EQ(snapshot.iterations, snapshot.iterations_without_requests);
  job->Stop(true, std::nullopt);
  ASSERT_TRUE(job->WaitUntilDone(2s));
  ExpectResponsive(std::move(plan));
}

TEST_F(HostilePlansTest, TaskWhoseOnlyRequestIsSkippedKeepsItsWorkerResponsive) {
  Plan plan = NonWaitingPlan({});
  StepList& steps = plan.user_classes[0].tasks[0].steps;
  AddRequest(plan, steps, "GET", "/health", "skipped", {200});
  steps.back().skip_if_empty = "never_set";
  ExpectResponsive(std::move(plan));
}

TEST_F(HostilePlansTest, HugeRepeatOfSetKeepsItsWorkerResponsive) {
  // 4 billion rounds: one iteration never ends; the user must still yield and obey the stop.
  Plan plan = NonWaitingPlan({StepPlan{RepeatPlan{4'000'000'000u, {Set("a", "{{a}}")}}, ""}}, 2);
  ExpectResponsive(std::move(plan));
}

TEST_F(HostilePlansTest, RatesBeyondTheMaximumAreRefused) {
  Engine engine(EngineOptions{1, {}, {}});
  Plan open = GetPlan("/health");
  open.load.model = OpenModelPlan{1e308, {}, 1, 4, 0};
  open.load.duration = 1s;
  try {
    engine.Start(open);
    ADD_FAILURE() << "rate 1e308 was accepted";
  } catch (const JobError& e) {
    EXPECT_NE(std::string(e.what()).find("load.open.rate"), std::string::npos) << e.what();
  }
  std::get<OpenModelPlan>(open.load.model).rate = 10;
  std::get<OpenModelPlan>(open.load.model).stages = {{1s, 1e12, "steep"}};
  EXPECT_THROW(engine.Start(open), JobError);

  Plan closed = GetPlan("/health");
  closed.load.model = ClosedModelPlan{2, 1e308, {}};
  EXPECT_THROW(engine.Start(closed), JobError);

  // At the maximum the job runs, sheds what its 4 users cannot take and ends on time, while a
  // healthy job on the same worker keeps going.
  Plan at_max = GetPlan("/health");
  at_max.load.model = OpenModelPlan{kMaxArrivalRate, {}, 1, 4, 0};
  at_max.load.duration = 1s;
  auto healthy = engine.Start(HealthyPlan());
  const auto started = std::chrono::steady_clock::now();
  auto job = engine.Start(at_max);
  EXPECT_THROW(job->SetArrivalRate(1e308), JobError);
  ASSERT_TRUE(job->WaitUntilDone(10s));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 8s);
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted);
  const StatsSnapshot snapshot = job->Stats().Snapshot();
  EXPECT_GT(snapshot.dropped_iterations, 0u);
  EXPECT_GT(snapshot.Aggregated().requests, 0u);
  EXPECT_GT(RequestsOf(healthy->Stats().Snapshot(), "get"), 0u);
  healthy->Stop(true, std::nullopt);
  ASSERT_TRUE(healthy->WaitUntilDone(5s));
}

TEST_F(HostilePlansTest, RegexesOverA30KiBBodyAndABacktrackingPatternEndFast) {
  const std::string long_title = "<" + std::string(30'000, 'x') + ">";
  const std::string evil_title = std::string(30, 'a') + "b";
  Plan plan = GetPlan("/health");
  for (const std::string* title : {&long_title, &evil_title}) {
    const std::string tag = title == &long_title ? "long" : "evil";
    RequestPlan& create = AddRequest(plan, plan.setup, "POST", "/todos/", "create", {201});
    SetJsonBody(create, {{"title", *title}});
    ExtractJson(create, tag + "_id", "/id");
    RequestPlan& get =
        AddRequest(plan, plan.setup, "GET", "/todos/{{" + tag + "_id}}", "get_todo", {200});
    ExtractPlan extract;
    extract.var = tag;
    extract.source = ExtractPlan::Source::kRegex;
    extract.expression = tag == "long" ? "<(.*)>" : "(a+)+$";
    extract.required = tag == "long";
    get.extract.push_back(std::move(extract));
  }
  plan.load.model = PerUserIterationsPlan{1, 1, 0};
  Engine engine(EngineOptions{1, {}, {}});
  const auto started = std::chrono::steady_clock::now();
  auto job = engine.Start(std::move(plan));
  ASSERT_TRUE(job->WaitUntilDone(10s));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted) << job->Status().error;
  const auto& variables = job->GetPlan().variables;
  ASSERT_TRUE(variables.count("long"));
  EXPECT_EQ(variables.at("long"), std::string(30'000, 'x'));
  EXPECT_FALSE(variables.count("evil"));  // no match: the body does not end in a's
}

TEST_F(HostilePlansTest, RequestsInFlightWhenTheLoadEndsAreCountedAsUnfinished) {
  SetFaults(R"({"latency_ms": 3000})");
  Plan plan = GetPlan("/todos/");
  plan.load.model = ClosedModelPlan{2, 0, {}};
  plan.load.duration = 300ms;
  plan.load.graceful_stop = 200ms;
  Engine engine(EngineOptions{1, {}, {}});
  auto job = engine.Start(std::move(plan));
  ASSERT_TRUE(job->WaitUntilDone(5s));
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted);
  const EndpointStats total = job->Stats().Snapshot().Aggregated();
  EXPECT_EQ(total.requests, 2u);
  EXPECT_EQ(total.FailuresOf(FailureKind::kUnfinished), 2u);
  EXPECT_EQ(total.failures, 2u);
  ClearFaults();
}

}  // namespace
}  // namespace throng::engine::testing
