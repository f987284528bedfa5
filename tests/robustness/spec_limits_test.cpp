// Oversized specs are refused at submit (and by UpdateJob) naming the field and the limit, fast,
// while the daemon stays responsive and a healthy job beside them reports.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "robustness_fixture.h"

namespace throng::robustness_test {
namespace {

/// Submits `spec` (validate_only when asked); the status, which must come back within 1 s.
grpc::Status SubmitTimed(daemon_test::Daemon& daemon, const v1::JobSpec& spec,
                         bool validate_only = false) {
  v1::SubmitJobRequest request;
  *request.mutable_spec() = spec;
  request.set_validate_only(validate_only);
  v1::Job job;
  const auto start = std::chrono::steady_clock::now();
  const grpc::Status status = daemon.stub->SubmitJob(daemon_test::Context().get(), request, &job);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "SubmitJob took over 1 s";
  return status;
}

void ExpectRefused(const grpc::Status& status, grpc::StatusCode code, const std::string& field,
                   const std::string& flag) {
  EXPECT_EQ(status.error_code(), code) << status.error_message();
  EXPECT_NE(status.error_message().find(field), std::string::npos) << status.error_message();
  EXPECT_NE(status.error_message().find(flag), std::string::npos) << status.error_message();
}

/// Gives the first request of `spec` a JSON body of `levels` lists nested in each other.
void NestJsonBody(v1::JobSpec& spec, int levels) {
  google::protobuf::Value* value = spec.mutable_user_classes(0)
                                       ->mutable_tasks(0)
                                       ->mutable_steps(0)
                                       ->mutable_request()
                                       ->mutable_json();
  for (int i = 0; i < levels; ++i) value = value->mutable_list_value()->add_values();
  value->set_string_value("deep");
}

class SpecLimitsRobustness : public Robust {};

TEST_F(SpecLimitsRobustness, FourBillionUsersAreRefusedAtSubmitAndByUpdate) {
  StartDaemon();
  ExpectRefused(SubmitTimed(daemon(), ItemsSpec("huge", BaseUrl(), 4'000'000'000u, 5)),
                grpc::StatusCode::RESOURCE_EXHAUSTED, "spec.load.closed.users",
                "--max-users-per-job");
  ExpectResponsive();
  v1::UpdateJobRequest update;
  update.set_id(healthy_id());
  update.set_target_users(4'000'000'000u);
  v1::Job job;
  const grpc::Status status = daemon().stub->UpdateJob(daemon_test::Context().get(), update, &job);
  ExpectRefused(status, grpc::StatusCode::RESOURCE_EXHAUSTED, "target_users",
                "--max-users-per-job");
  ExpectHealthyJobReported();
}

TEST_F(SpecLimitsRobustness, UsersPerDaemonCountEveryJobThatHasNotEnded) {
  StartDaemon({"--max-users-per-daemon", "10"});
  // The healthy job holds 2 of the 10.
  ExpectRefused(SubmitTimed(daemon(), ItemsSpec("nine", BaseUrl(), 9, 1)),
                grpc::StatusCode::RESOURCE_EXHAUSTED, "spec.load", "--max-users-per-daemon");
  ExpectResponsive();
  ExpectHealthyJobReported();
  v1::Job job;
  EXPECT_TRUE(daemon_test::Submit(daemon(), ItemsSpec("nine", BaseUrl(), 9, 1), &job).ok())
      << "the healthy job's users were released when it ended";
}

TEST_F(SpecLimitsRobustness, ATenMillionRowFeederIsRefusedWithoutBuildingIt) {
  StartDaemon();
  v1::JobSpec spec = ItemsSpec("rows", BaseUrl(), 1, 1);
  v1::Feeder* feeder = spec.add_feeders();
  feeder->set_name("users");
  feeder->mutable_generated()->set_count(10'000'000);
  (*feeder->mutable_generated()->mutable_columns())["name"] = "user_{{row_index}}";
  const long rss_before = RssKiB(daemon().child->pid());
  ExpectRefused(SubmitTimed(daemon(), spec, /*validate_only=*/true),
                grpc::StatusCode::RESOURCE_EXHAUSTED, "spec.feeders[0].generated.count",
                "--max-feeder-rows");
  EXPECT_LT(RssKiB(daemon().child->pid()) - rss_before, 50 * 1024) << "KiB held by the refusal";
  ExpectHealthyJobReported();
}

TEST_F(SpecLimitsRobustness, NamesBucketsDurationsAndNestingAreBounded) {
  StartDaemon();
  v1::JobSpec spec = ItemsSpec(std::string(64 << 10, 'n'), BaseUrl(), 1, 1);
  ExpectRefused(SubmitTimed(daemon(), spec), grpc::StatusCode::RESOURCE_EXHAUSTED, "spec.name",
                "--max-label-length");

  spec = ItemsSpec("names", BaseUrl(), 1, 1);
  v1::Task* task = spec.mutable_user_classes(0)->mutable_tasks(0);
  for (int i = 0; i < 1000; ++i) {
    v1::Request* request = task->add_steps()->mutable_request();
    request->set_name("name " + std::to_string(i));
    request->set_path("/items/");
  }
  ExpectRefused(SubmitTimed(daemon(), spec), grpc::StatusCode::RESOURCE_EXHAUSTED,
                "spec.user_classes", "--max-request-names");

  spec = ItemsSpec("buckets", BaseUrl(), 1, 1);
  for (int i = 1; i <= 10'000; ++i) spec.add_histogram_buckets(i);
  ExpectRefused(SubmitTimed(daemon(), spec), grpc::StatusCode::RESOURCE_EXHAUSTED,
                "spec.histogram_buckets", "--max-histogram-buckets");

  spec = ItemsSpec("century", BaseUrl(), 1, 100LL * 365 * 24 * 3600);
  ExpectRefused(SubmitTimed(daemon(), spec), grpc::StatusCode::RESOURCE_EXHAUSTED,
                "spec.load.duration", "--max-job-duration");

  spec = ItemsSpec("deep", BaseUrl(), 1, 1);
  NestJsonBody(spec, 45);
  ExpectRefused(SubmitTimed(daemon(), spec), grpc::StatusCode::RESOURCE_EXHAUSTED, "spec",
                "--max-nesting-depth");

  spec = ItemsSpec("big", BaseUrl(), 1, 1);
  (*spec.mutable_variables())["big"] = std::string(3 << 20, 'x');
  ExpectRefused(SubmitTimed(daemon(), spec), grpc::StatusCode::RESOURCE_EXHAUSTED, "spec",
                "--max-spec-bytes");
  ExpectHealthyJobReported();
}

TEST_F(SpecLimitsRobustness, NestingPastProtobufsParseLimitIsRefusedNamingTheLimit) {
  StartDaemon();
  v1::JobSpec spec = ItemsSpec("deeper than protobuf parses", BaseUrl(), 1, 1);
  // 120 JSON levels are 240 nested messages: past the parser's 100, so the service itself must
  // decode the request to answer with more than gRPC's empty status.
  NestJsonBody(spec, 120);
  const grpc::Status status = SubmitTimed(daemon(), spec);
  ExpectRefused(status, grpc::StatusCode::RESOURCE_EXHAUSTED, "nested more than 100 levels",
                "--max-nesting-depth");
  ExpectResponsive();
  ExpectHealthyJobReported();
}

TEST_F(SpecLimitsRobustness, AnOpenModelRateOf1e308IsRefusedNamingTheMaximum) {
  StartDaemon();
  v1::JobSpec spec = ItemsSpec("flood", BaseUrl(), 1, 1);
  spec.mutable_load()->mutable_open()->set_rate(1e308);
  spec.mutable_load()->mutable_open()->set_max_users(4);
  ExpectRefused(SubmitTimed(daemon(), spec), grpc::StatusCode::INVALID_ARGUMENT,
                "spec.load.open.rate", "at most 1000000 per second");
  ExpectResponsive();
  ExpectHealthyJobReported();
}

TEST_F(SpecLimitsRobustness, AThousandUserClassesWithTheirOwnNamesAreRefused) {
  StartDaemon();
  v1::JobSpec spec = ItemsSpec("classes", BaseUrl(), 1000, 1);
  for (int i = 1; i < 1000; ++i) {
    v1::UserClass* user = spec.add_user_classes();
    *user = spec.user_classes(0);
    user->set_name("class " + std::to_string(i));
    user->mutable_tasks(0)->mutable_steps(0)->mutable_request()->set_name("name " +
                                                                          std::to_string(i));
  }
  ExpectRefused(SubmitTimed(daemon(), spec), grpc::StatusCode::RESOURCE_EXHAUSTED,
                "spec.user_classes", "--max-request-names");
  ExpectResponsive();
  ExpectHealthyJobReported();
}

TEST_F(SpecLimitsRobustness, AnUnknownVariableIsRefusedAtSubmitNamingTheField) {
  StartDaemon();
  v1::JobSpec spec = ItemsSpec("unknown", BaseUrl(), 1, 1);
  spec.mutable_user_classes(0)->mutable_tasks(0)->mutable_steps(0)->mutable_request()->set_path(
      "/items/{{unknown}}");
  ExpectRefused(SubmitTimed(daemon(), spec), grpc::StatusCode::INVALID_ARGUMENT,
                "spec.user_classes[0].tasks[0].steps[0].request.path",
                "unknown variable \"unknown\"");
  ExpectResponsive();
  ExpectHealthyJobReported();
}

TEST_F(SpecLimitsRobustness, AMegabyteJobNameAndCenturyLongDurationsAreRefused) {
  StartDaemon();
  ExpectRefused(SubmitTimed(daemon(), ItemsSpec(std::string(1'000'000, 'n'), BaseUrl(), 1, 1)),
                grpc::StatusCode::RESOURCE_EXHAUSTED, "spec.name", "--max-label-length");
  constexpr std::int64_t kCentury = 100LL * 365 * 24 * 3600;
  v1::JobSpec spec = ItemsSpec("graceful", BaseUrl(), 1, 1);
  spec.mutable_load()->mutable_graceful_stop()->set_seconds(kCentury);
  ExpectRefused(SubmitTimed(daemon(), spec), grpc::StatusCode::RESOURCE_EXHAUSTED,
                "spec.load.graceful_stop", "--max-job-duration");
  spec = ItemsSpec("stage", BaseUrl(), 1, 1);
  spec.mutable_load()->clear_duration();
  v1::UserStage* stage = spec.mutable_load()->mutable_closed()->add_stages();
  stage->set_users(1);
  stage->mutable_duration()->set_seconds(kCentury);
  ExpectRefused(SubmitTimed(daemon(), spec), grpc::StatusCode::RESOURCE_EXHAUSTED,
                "spec.load.closed.stages[0].duration", "--max-job-duration");
  spec = ItemsSpec("abort delay", BaseUrl(), 1, 1);
  v1::Threshold* threshold = spec.add_thresholds();
  threshold->set_expr("p(95) < 1s");
  threshold->mutable_abort_delay()->set_seconds(kCentury);
  ExpectRefused(SubmitTimed(daemon(), spec), grpc::StatusCode::RESOURCE_EXHAUSTED,
                "spec.thresholds[0].abort_delay", "--max-job-duration");
  ExpectResponsive();
  ExpectHealthyJobReported();
}

}  // namespace
}  // namespace throng::robustness_test
