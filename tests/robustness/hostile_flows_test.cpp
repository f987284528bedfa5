// Flows that used to spin an engine worker forever or crash throngd, run against the real daemon
// and demo backend: tasks that never wait (only `set`, a request always skipped, a huge `repeat`
// of `set`) and regular expressions over bodies that broke std::regex. Each stops when told, lets
// other jobs start, lets the daemon end on SIGTERM, and keeps health and a healthy job going.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

#include "job_wait.h"
#include "robustness_fixture.h"

namespace throng::robustness_test {
namespace {

/// How long an immediate stop of a spinning job may take (the supervisor polls every 100 ms).
constexpr auto kPromptStop = 3s;
/// How long SIGTERM may take with a spinning job running (its 1 s graceful stop, then the gRPC
/// server's 2 s grace).
constexpr auto kPromptExit = 6s;

/// 4 closed users for 60 s whose only task is `fill`ed in, with no wait between iterations.
/// graceful_stop is 1 s: a user inside a never-ending iteration (the repeat) is cut off then.
v1::JobSpec SpinSpec(const std::string& name, const std::string& base_url,
                     const std::function<void(v1::JobSpec&, v1::Task&)>& fill) {
  v1::JobSpec spec;
  spec.set_name(name);
  spec.set_base_url(base_url);
  v1::UserClass* user = spec.add_user_classes();
  user->set_name("spinner");
  fill(spec, *user->add_tasks());
  spec.mutable_load()->mutable_closed()->set_users(4);
  spec.mutable_load()->mutable_duration()->set_seconds(60);
  spec.mutable_load()->mutable_graceful_stop()->set_seconds(1);
  return spec;
}

void SetOnly(v1::JobSpec& /*spec*/, v1::Task& task) {
  (*task.add_steps()->mutable_set()->mutable_values())["a"] = "1";
  (*task.add_steps()->mutable_set()->mutable_values())["b"] = "{{a}}2";
}

void OnlyRequestSkipped(v1::JobSpec& spec, v1::Task& task) {
  (*spec.mutable_variables())["never"] = "";  // defined, and always empty
  v1::Step* step = task.add_steps();
  step->set_skip_if_empty("never");
  step->mutable_request()->set_path("/items/");
}

void HugeRepeatOfSet(v1::JobSpec& spec, v1::Task& task) {
  (*spec.mutable_variables())["b"] = "x";
  v1::Repeat* repeat = task.add_steps()->mutable_repeat();
  repeat->set_count(4'000'000'000u);  // one iteration that never ends
  (*repeat->add_steps()->mutable_set()->mutable_values())["a"] = "{{b}}";
}

struct SpinCase {
  const char* name;
  void (*fill)(v1::JobSpec&, v1::Task&);
};

class SpinningFlowRobustness : public Robust, public ::testing::WithParamInterface<SpinCase> {
 protected:
  /// Waits up to 5 s for job `id` to be RUNNING; its last state.
  v1::JobState WaitRunning(const std::string& id) {
    v1::JobState state = v1::JOB_STATE_UNSPECIFIED;
    test_support::WaitUntil(
        [&] { return (state = daemon_test::GetJob(daemon(), id).state()) == v1::RUNNING; }, 5s,
        50ms);
    return state;
  }
};

TEST_P(SpinningFlowRobustness, StopsAtOnceLetsOthersStartAndTheDaemonEnds) {
  StartDaemon({"--threads", "1"});  // one worker: the spinning users share it with every job
  const v1::JobSpec spin = SpinSpec(GetParam().name, BaseUrl(), GetParam().fill);
  const std::string first = daemon_test::SubmitOk(daemon(), spin);
  ASSERT_EQ(WaitRunning(first), v1::RUNNING);
  ExpectResponsive();

  const std::string second = daemon_test::SubmitOk(daemon(), spin);
  EXPECT_EQ(WaitRunning(second), v1::RUNNING) << "the second job is stuck";
  ExpectResponsive();

  v1::StopJobRequest stop;
  stop.set_id(first);
  stop.set_immediate(true);
  v1::Job stopping;
  const auto asked = std::chrono::steady_clock::now();
  ASSERT_TRUE(daemon().stub->StopJob(daemon_test::Context().get(), stop, &stopping).ok());
  const v1::Job stopped = WaitForEnd(first, 10s);
  EXPECT_EQ(stopped.state(), v1::STOPPED) << stopped.ShortDebugString();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, kPromptStop);

  ExpectHealthyJobReported();
  // SIGTERM with the second job still spinning.
  const auto signalled = std::chrono::steady_clock::now();
  EXPECT_EQ(daemon().Stop(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, kPromptExit);
}

INSTANTIATE_TEST_SUITE_P(NonWaitingTasks, SpinningFlowRobustness,
                         ::testing::Values(SpinCase{"set_only", SetOnly},
                                           SpinCase{"only_request_skipped", OnlyRequestSkipped},
                                           SpinCase{"huge_repeat_of_set", HugeRepeatOfSet}),
                         [](const auto& info) { return std::string(info.param.name); });

class RegexRobustness : public Robust {};

/// Creates a todo titled `title` (remembering its id as `var`_id), then reads it back and runs
/// `regex` over the body into `var`.
void AddTitleRegexSteps(v1::Task& task, const std::string& var, const std::string& title,
                        const std::string& regex, bool required) {
  v1::Request* create = task.add_steps()->mutable_request();
  create->set_name("create " + var);
  create->set_method("POST");
  create->set_path("/todos/");
  (*create->mutable_json()->mutable_struct_value()->mutable_fields())["title"].set_string_value(
      title);
  create->mutable_expect()->add_status(201);
  v1::Extract* id = create->add_extract();
  id->set_var(var + "_id");
  id->set_json_pointer("/id");
  id->set_required(true);
  v1::Request* read = task.add_steps()->mutable_request();
  read->set_name("read " + var);
  read->set_path("/todos/{{" + var + "_id}}");
  v1::Extract* extract = read->add_extract();
  extract->set_var(var);
  extract->set_regex(regex);
  extract->set_required(required);
}

TEST_F(RegexRobustness, BacktrackingAndGreedyPatternsOverLargeBodiesEndWithTheirReport) {
  StartDaemon();
  v1::JobSpec spec;
  spec.set_name("regexes");
  spec.set_base_url(BaseUrl());
  v1::UserClass* user = spec.add_user_classes();
  user->set_name("reader");
  v1::Task* task = user->add_tasks();
  // std::regex recursed once per character here: a 30 KB body took the daemon down. Required,
  // so a failure to match shows as a failed request.
  AddTitleRegexSteps(*task, "long", "a" + std::string(30'000, 'x') + "b", "a(.*)b", true);
  // Exponential backtracking for a backtracking engine: the body does not end in a's (no match).
  AddTitleRegexSteps(*task, "evil", std::string(30, 'a') + "b", "(a+)+$", false);
  spec.mutable_load()->mutable_per_user_iterations()->set_users(2);
  spec.mutable_load()->mutable_per_user_iterations()->set_iterations(3);
  const auto started = std::chrono::steady_clock::now();
  const std::string id = daemon_test::SubmitOk(daemon(), spec);
  ExpectResponsive();
  const v1::Report report = daemon_test::WaitForFinalReport(daemon(), id);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(report.job().state(), v1::COMPLETED) << report.job().ShortDebugString();
  EXPECT_EQ(report.aggregated().requests(), 2u * 3 * 4);
  EXPECT_EQ(report.aggregated().failures(), 0u) << "the long body's required match failed";
  ExpectHealthyJobReported();
}

}  // namespace
}  // namespace throng::robustness_test
