// The real throngd binary on loopback ports, driven through a real gRPC client.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "daemon_fixture.h"
#include "promtool.h"
#include "throng/test_support/child_process.h"
#include "throng/test_support/http_test_client.h"
#include "throng/test_support/temp_dir.h"
#include "throng/v1/load_tester.grpc.pb.h"

namespace throng {
namespace {

using daemon_test::Context;
using daemon_test::Daemon;
using daemon_test::HealthStatus;
using daemon_test::Submit;
using daemon_test::UnusedPort;
using test_support::ChildProcess;
using test_support::TempDir;
using namespace std::chrono_literals;

v1::JobSpec ValidSpec(const std::string& base_url) {
  v1::JobSpec spec;
  spec.set_name("smoke");
  spec.set_base_url(base_url);
  (*spec.mutable_headers())["Authorization"] = "Bearer do-not-store-me";
  v1::UserClass* user = spec.add_user_classes();
  user->set_name("reader");
  user->add_tasks()->add_steps()->mutable_request()->set_path("/health");
  spec.mutable_load()->mutable_closed()->set_users(1);
  spec.mutable_load()->mutable_duration()->set_seconds(1);
  return spec;
}

TEST(ThrongdTest, ServesHealthAndRegistersJobsAcrossRestarts) {
  TempDir data;
  const std::string base_url = "http://127.0.0.1:" + std::to_string(UnusedPort());
  std::string id;
  {
    Daemon daemon(data.path());
    EXPECT_EQ(HealthStatus(daemon), 1);

    v1::Job job;
    const grpc::Status status = Submit(daemon, ValidSpec(base_url), &job);
    ASSERT_TRUE(status.ok()) << status.error_code() << ": " << status.error_message();
    id = job.id();
    EXPECT_TRUE(std::regex_match(id, std::regex(R"(j-\d{8}-\d{6})"))) << id;
    EXPECT_EQ(job.spec().headers().at("Authorization"), "***");

    v1::GetJobRequest get;
    get.set_id(id);
    v1::Job fetched;
    ASSERT_TRUE(daemon.stub->GetJob(Context().get(), get, &fetched).ok());
    EXPECT_EQ(fetched.spec().name(), "smoke");
    EXPECT_EQ(fetched.spec().base_url(), base_url);

    v1::ListJobsResponse list;
    ASSERT_TRUE(daemon.stub->ListJobs(Context().get(), v1::ListJobsRequest(), &list).ok());
    ASSERT_EQ(list.jobs_size(), 1);
    EXPECT_EQ(list.jobs(0).id(), id);

    get.set_id("j-19990101-000001");
    const grpc::Status missing = daemon.stub->GetJob(Context().get(), get, &fetched);
    EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);

    EXPECT_EQ(daemon.Stop(), 0);
    EXPECT_EQ(daemon.child->Stderr().find("do-not-store-me"), std::string::npos);
  }
  Daemon restarted(data.path());
  v1::ListJobsResponse list;
  ASSERT_TRUE(restarted.stub->ListJobs(Context().get(), v1::ListJobsRequest(), &list).ok());
  ASSERT_EQ(list.jobs_size(), 1);
  EXPECT_EQ(list.jobs(0).id(), id);
  EXPECT_TRUE(list.jobs(0).state() == v1::STOPPED || list.jobs(0).state() == v1::COMPLETED)
      << v1::JobState_Name(list.jobs(0).state());
  EXPECT_EQ(restarted.Stop(), 0);
}

TEST(ThrongdTest, InvalidSpecNamesTheField) {
  TempDir data;
  Daemon daemon(data.path());
  v1::JobSpec spec = ValidSpec("http://127.0.0.1:1");
  spec.mutable_user_classes(0)->mutable_tasks(0)->mutable_steps(0)->mutable_request()->set_path("");
  v1::Job job;
  const grpc::Status status = Submit(daemon, spec, &job);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("spec.user_classes[0].tasks[0].steps[0]"),
            std::string::npos)
      << status.error_message();

  v1::ListJobsResponse list;
  ASSERT_TRUE(daemon.stub->ListJobs(Context().get(), v1::ListJobsRequest(), &list).ok());
  EXPECT_EQ(list.jobs_size(), 0);  // nothing half-registered
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(ThrongdTest, TargetOutsideTheAllowListIsRefused) {
  TempDir data;
  Daemon daemon(data.path());
  v1::Job job;
  // TEST-NET-2: never contacted, the refusal comes before any request.
  const grpc::Status status = Submit(daemon, ValidSpec("http://198.51.100.7"), &job);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(status.error_message().find("198.51.100.7"), std::string::npos)
      << status.error_message();
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(ThrongdTest, AllowTargetFlagOpensAnotherNetwork) {
  TempDir data;
  Daemon daemon(data.path(), {"--allow-target", "198.51.100.0/24"});
  v1::SubmitJobRequest request;
  *request.mutable_spec() = ValidSpec("http://198.51.100.7");
  request.set_validate_only(true);  // accepted, but nothing runs and nothing is registered
  v1::Job job;
  const grpc::Status status = daemon.stub->SubmitJob(Context().get(), request, &job);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(job.id().empty());
  // The explicit list replaces the loopback default.
  EXPECT_EQ(Submit(daemon, ValidSpec("http://127.0.0.1:1"), &job).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(ThrongdTest, TakenPortIsOneClearErrorAndExitCode3) {
  TempDir data;
  Daemon first(data.path());
  TempDir other_data;
  ChildProcess second(
      THRONGD_PATH, {"--grpc-listen", "127.0.0.1:" + std::to_string(first.grpc_port),
                     "--metrics-listen", "127.0.0.1:0", "--data-dir", other_data.path().string()});
  EXPECT_EQ(second.Wait(15s), 3);
  const std::string err = second.Stderr();
  EXPECT_NE(err.find("--grpc-listen 127.0.0.1:" + std::to_string(first.grpc_port)),
            std::string::npos)
      << err;
  EXPECT_EQ(err.find("terminate called"), std::string::npos) << err;
  EXPECT_EQ(first.Stop(), 0);
}

TEST(ThrongdTest, BadFlagExitsWith2) {
  ChildProcess child(THRONGD_PATH, {"--log-level", "loud"});
  EXPECT_EQ(child.Wait(10s), 2);
  EXPECT_NE(child.Stderr().find("--log-level"), std::string::npos) << child.Stderr();
}

TEST(ThrongdTest, MalformedListenAddressExitsWith2LikeOtherBadFlags) {
  TempDir data;
  for (const std::string flag : {"--grpc-listen", "--metrics-listen"}) {
    ChildProcess child(THRONGD_PATH,
                       {flag, "localhost-without-port", "--data-dir", data.path().string()});
    EXPECT_EQ(child.Wait(10s), 2) << flag;
    EXPECT_NE(child.Stderr().find(flag + ": 'localhost-without-port' is not host:port"),
              std::string::npos)
        << child.Stderr();
  }
}

TEST(ThrongdTest, MetricsPassPromtool) {
  TempDir data;
  Daemon daemon(data.path());
  const auto response = test_support::Request("127.0.0.1", daemon.metrics_port, "GET", "/metrics");
  ASSERT_EQ(response.status, 200);
  for (const char* name :
       {"throngd_build_info{", "process_cpu_seconds_total ", "process_resident_memory_bytes ",
        "process_open_fds ", "process_start_time_seconds "}) {
    EXPECT_NE(response.body.find(name), std::string::npos) << name;
  }
  const daemon_test::PromtoolResult promtool =
      daemon_test::PromtoolCheckMetrics(response.body, data.path());
  EXPECT_EQ(promtool.status, 0) << promtool.output;
  EXPECT_EQ(daemon.Stop(), 0);
}

}  // namespace
}  // namespace throng
