// SpecLimits: each bound refuses with SpecLimitError naming the field and the flag, before
// anything large is built.
#include "throng/api/spec/spec_limits.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

#include "throng/api/spec/spec_converter.h"

namespace throng::api {
namespace {

using Clock = std::chrono::steady_clock;

v1::JobSpec SmallSpec() {
  v1::JobSpec spec;
  const auto status = google::protobuf::util::JsonStringToMessage(
      R"json({"name": "small", "baseUrl": "http://127.0.0.1:8080",
              "userClasses": [{"name": "u", "tasks": [{"name": "t", "steps": [
                {"request": {"name": "home", "path": "/"}}]}]}],
              "load": {"closed": {"users": 2}, "duration": "10s"}})json",
      &spec);
  EXPECT_TRUE(status.ok()) << status.message();
  return spec;
}

/// Converts `spec` with `limits`; the SpecLimitError's path and flag, or "" when it converts.
std::string LimitHit(const v1::JobSpec& spec, const SpecLimits& limits = {}) {
  try {
    ConvertSpec(spec, ConvertOptions{limits});
  } catch (const SpecLimitError& e) {
    return e.field_path() + " " + e.limit();
  }
  return "";
}

TEST(SpecLimitsTest, TheSmallSpecFitsTheDefaults) {
  EXPECT_EQ(LimitHit(SmallSpec()), "");
  EXPECT_NO_THROW(ConvertSpec(SmallSpec()));
}

TEST(SpecLimitsTest, FourBillionUsersAreRefusedNamingTheFieldAndTheFlag) {
  v1::JobSpec spec = SmallSpec();
  spec.mutable_load()->mutable_closed()->set_users(4'000'000'000u);
  EXPECT_EQ(LimitHit(spec), "spec.load.closed.users --max-users-per-job");
  try {
    ConvertSpec(spec);
  } catch (const SpecLimitError& e) {
    EXPECT_NE(std::string(e.what()).find("100000 users"), std::string::npos) << e.what();
  }
  spec = SmallSpec();
  spec.mutable_load()->mutable_closed()->add_stages()->set_users(200'000);
  EXPECT_EQ(LimitHit(spec), "spec.load.closed.stages[0].users --max-users-per-job");
}

TEST(SpecLimitsTest, ATenMillionRowFeederIsRefusedAtOnce) {
  v1::JobSpec spec = SmallSpec();
  v1::Feeder* feeder = spec.add_feeders();
  feeder->set_name("rows");
  feeder->mutable_generated()->set_count(10'000'000);
  (*feeder->mutable_generated()->mutable_columns())["n"] = "{{row_index}}";
  const Clock::time_point start = Clock::now();
  EXPECT_EQ(LimitHit(spec), "spec.feeders[0].generated.count --max-feeder-rows");
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(100));
}

TEST(SpecLimitsTest, RequestNamesBucketsAndLabelLengthsAreBounded) {
  v1::JobSpec spec = SmallSpec();
  v1::Task* task = spec.mutable_user_classes(0)->mutable_tasks(0);
  for (int i = 0; i < 5; ++i) {
    task->add_steps()->mutable_request()->set_name("name " + std::to_string(i));
    task->mutable_steps(task->steps_size() - 1)->mutable_request()->set_path("/");
  }
  SpecLimits limits;
  limits.max_request_names = 5;
  EXPECT_EQ(LimitHit(spec, limits), "spec.user_classes --max-request-names");
  limits.max_request_names = 6;
  EXPECT_EQ(LimitHit(spec, limits), "");

  spec = SmallSpec();
  for (int i = 1; i <= 65; ++i) spec.add_histogram_buckets(i);
  EXPECT_EQ(LimitHit(spec), "spec.histogram_buckets --max-histogram-buckets");

  spec = SmallSpec();
  spec.set_name(std::string(64 << 10, 'n'));
  EXPECT_EQ(LimitHit(spec), "spec.name --max-label-length");
  spec = SmallSpec();
  spec.mutable_user_classes(0)->mutable_tasks(0)->mutable_steps(0)->mutable_request()->set_name(
      std::string(300, 'r'));
  EXPECT_EQ(LimitHit(spec), "spec.user_classes --max-label-length");
}

TEST(SpecLimitsTest, HundredYearDurationsAreRefused) {
  v1::JobSpec spec = SmallSpec();
  spec.mutable_load()->mutable_duration()->set_seconds(100LL * 365 * 24 * 3600);
  EXPECT_EQ(LimitHit(spec), "spec.load.duration --max-job-duration");
  spec = SmallSpec();
  spec.mutable_load()->mutable_graceful_stop()->set_seconds(30LL * 24 * 3600);
  EXPECT_EQ(LimitHit(spec), "spec.load.graceful_stop --max-job-duration");
}

TEST(SpecLimitsTest, SpecSizeAndNestingDepthAreBounded) {
  v1::JobSpec spec = SmallSpec();
  (*spec.mutable_variables())["big"] = std::string(2 << 20, 'x');
  EXPECT_EQ(LimitHit(spec), "spec --max-spec-bytes");

  spec = SmallSpec();
  google::protobuf::Value* value = spec.mutable_user_classes(0)
                                       ->mutable_tasks(0)
                                       ->mutable_steps(0)
                                       ->mutable_request()
                                       ->mutable_json();
  for (int i = 0; i < 40; ++i) value = value->mutable_list_value()->add_values();
  value->set_string_value("deep");
  EXPECT_EQ(LimitHit(spec), "spec --max-nesting-depth");
  SpecLimits limits;
  limits.max_nesting_depth = 100;
  EXPECT_EQ(LimitHit(spec, limits), "");
}

TEST(SpecVariablesTest, ATemplateNamingAnUndefinedVariableIsRefusedAtItsField) {
  v1::JobSpec spec = SmallSpec();
  spec.mutable_user_classes(0)->mutable_tasks(0)->mutable_steps(0)->mutable_request()->set_path(
      "/{{unknown}}");
  try {
    ConvertSpec(spec);
    ADD_FAILURE() << "{{unknown}} was accepted";
  } catch (const SpecError& e) {
    EXPECT_EQ(e.field_path(), "spec.user_classes[0].tasks[0].steps[0].request.path");
    EXPECT_NE(e.message().find("unknown variable \"unknown\""), std::string::npos);
  }
  (*spec.mutable_variables())["unknown"] = "now known";
  EXPECT_NO_THROW(ConvertSpec(spec));
}

TEST(SpecVariablesTest, RepeatIndexIsDefinedByARepeat) {
  v1::JobSpec spec = SmallSpec();
  v1::Task* task = spec.mutable_user_classes(0)->mutable_tasks(0);
  task->mutable_steps(0)->mutable_request()->set_path("/{{repeat_index}}");
  EXPECT_THROW(ConvertSpec(spec), SpecError) << "no repeat sets {{repeat_index}}";
  task->mutable_steps(0)->mutable_request()->set_path("/items/");
  v1::Repeat* repeat = task->add_steps()->mutable_repeat();
  repeat->set_count(2);
  v1::Request* inner = repeat->add_steps()->mutable_request();
  inner->set_name("inner");
  inner->set_path("/items/{{repeat_index}}");
  EXPECT_NO_THROW(ConvertSpec(spec));
}

}  // namespace
}  // namespace throng::api
