// The real throngd binary on loopback ports, driven through a real gRPC client.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <regex>

#include "throng/test_support/child_process.h"
#include "throng/test_support/http_test_client.h"
#include "throng/test_support/listening_address.h"
#include "throng/test_support/temp_dir.h"
#include "throng/v1/load_tester.grpc.pb.h"

namespace throng {
namespace {

namespace fs = std::filesystem;
using test_support::ChildProcess;
using namespace std::chrono_literals;

constexpr auto kStartTimeout = 10s;
constexpr auto kRpcTimeout = 5s;

using test_support::TempDir;

/// A running throngd with a client stub on its gRPC port.
struct Daemon {
  explicit Daemon(const fs::path& data_dir, std::vector<std::string> extra_args = {}) {
    std::vector<std::string> args = {"--grpc-listen", "127.0.0.1:0", "--metrics-listen",
                                     "127.0.0.1:0",   "--data-dir",  data_dir.string()};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    child = std::make_unique<ChildProcess>(THRONGD_PATH, args);
    const std::string grpc_line =
        child->WaitForLine(std::regex(R"(^grpc listening on 127\.0\.0\.1:(\d+)$)"), kStartTimeout);
    grpc_port = std::stoi(grpc_line.substr(grpc_line.rfind(':') + 1));
    metrics_port = test_support::WaitForListening(*child, kStartTimeout).port;
    channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port),
                                  grpc::InsecureChannelCredentials());
    stub = v1::LoadTester::NewStub(channel);
  }

  /// SIGTERM and the exit code. The client goes first: gRPC holds a server's shutdown open, up to
  /// its grace period, while idle clients stay connected.
  int Stop() {
    stub.reset();
    channel.reset();
    child->Signal(SIGTERM);
    return child->Wait(10s);
  }

  std::unique_ptr<ChildProcess> child;
  int grpc_port = 0;
  uint16_t metrics_port = 0;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::LoadTester::Stub> stub;
};

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + kRpcTimeout);
  return context;
}

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

/// A loopback port nothing listens on: bound, read, released.
uint16_t UnusedPort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

grpc::Status Submit(Daemon& daemon, const v1::JobSpec& spec, v1::Job* job) {
  v1::SubmitJobRequest request;
  *request.mutable_spec() = spec;
  return daemon.stub->SubmitJob(Context().get(), request, job);
}

/// grpc.health.v1.Health/Check for the whole server, through a generic stub (the health proto's
/// generated code is not installed). Returns the raw ServingStatus (1 = SERVING).
int HealthStatus(Daemon& daemon) {
  grpc::GenericStub stub(daemon.channel);
  auto context = Context();
  grpc::ByteBuffer request;  // HealthCheckRequest{service: ""} encodes as no bytes
  grpc::Slice empty("");
  request = grpc::ByteBuffer(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(context.get(), "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                 &response, [&](grpc::Status status) { done.set_value(status); });
  const grpc::Status status = done.get_future().get();
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const auto& slice : slices)
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  // HealthCheckResponse: field 1 (status) as a varint.
  if (bytes.size() != 2 || bytes[0] != 0x08) return -1;
  return bytes[1];
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

TEST(ThrongdTest, SteeringWithoutAnEngineIsUnimplemented) {
  TempDir data;
  Daemon daemon(data.path());
  v1::StopJobRequest stop;
  stop.set_id("j-20260101-000001");
  v1::Job job;
  EXPECT_EQ(daemon.stub->StopJob(Context().get(), stop, &job).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
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
  const fs::path file = data.path() / "metrics.txt";
  std::ofstream(file) << response.body;
  const std::string command = "/usr/bin/promtool check metrics < " + file.string() + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  EXPECT_EQ(pclose(pipe), 0) << output;
  EXPECT_EQ(daemon.Stop(), 0);
}

}  // namespace
}  // namespace throng
