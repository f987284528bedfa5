#include "throng/api/service/service.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include "registry_sql.h"
#include "throng/test_support/minimal_spec.h"
#include "throng/test_support/temp_dir.h"

namespace throng::api {
namespace {

namespace fs = std::filesystem;
using grpc::StatusCode;

/// Records what the service asks of it; every job's third snapshot is final.
class FakeExecutor final : public JobExecutor {
 public:
  void Start(const std::string& job_id, engine::Plan plan, JobEventSink& sink) override {
    std::lock_guard lock(mutex_);
    started_.push_back(job_id);
    last_plan_host_ = plan.http.host;
    sink_ = &sink;
    sink.OnStateChanged(job_id, v1::RUNNING);
  }
  grpc::Status Update(const v1::UpdateJobRequest& request) override {
    if (request.has_target_users() && request.target_users() == 0) {
      return grpc::Status(StatusCode::INVALID_ARGUMENT, "target_users: must be at least 1");
    }
    return grpc::Status::OK;
  }
  grpc::Status Stop(const std::string& job_id, bool,
                    std::optional<std::chrono::nanoseconds>) override {
    if (throw_on_stop) throw std::runtime_error("executor exploded");
    std::lock_guard lock(mutex_);
    sink_->OnStateChanged(job_id, v1::STOPPED, "stopped by user");
    return grpc::Status::OK;
  }
  std::optional<v1::JobSnapshot> Snapshot(const std::string& job_id) override {
    v1::JobSnapshot snapshot;
    snapshot.set_id(job_id);
    snapshot.set_state(v1::RUNNING);
    snapshot.mutable_totals()->set_requests(static_cast<std::uint64_t>(++snapshots_));
    snapshot.set_final(snapshots_ >= 3);
    return snapshot;
  }
  bool ReportInto(const std::string&, v1::Report&) override { return false; }
  void Shutdown() override {}

  std::atomic<bool> throw_on_stop{false};

  std::vector<std::string> started() {
    std::lock_guard lock(mutex_);
    return started_;
  }
  std::string last_plan_host() {
    std::lock_guard lock(mutex_);
    return last_plan_host_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> started_;
  std::string last_plan_host_;
  JobEventSink* sink_ = nullptr;
  std::atomic<int> snapshots_{0};
};

v1::JobSpec ValidSpec(const std::string& base_url = "http://127.0.0.1:8000") {
  return test_support::MinimalJobSpec("svc", base_url);
}

/// An in-process server on a loopback port 0 with a client stub.
class ServiceTest : public ::testing::Test {
 protected:
  void Serve(JobExecutor* executor) {
    registry_ = std::make_unique<JobRegistry>(std::make_unique<RegistryStore>(dir_.path()));
    service_ = std::make_unique<LoadTesterService>(*registry_, policy_, executor);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(port, 0);
    stub_ = v1::LoadTester::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                                        grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    stub_.reset();
    if (server_) server_->Shutdown(std::chrono::system_clock::now());
    server_.reset();
    service_.reset();
    registry_.reset();
  }
  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    return context;
  }
  grpc::Status Submit(const v1::JobSpec& spec, v1::Job* job, bool validate_only = false) {
    v1::SubmitJobRequest request;
    *request.mutable_spec() = spec;
    request.set_validate_only(validate_only);
    return stub_->SubmitJob(Context().get(), request, job);
  }
  grpc::Status Stop(const std::string& id, v1::Job* job) {
    v1::StopJobRequest request;
    request.set_id(id);
    return stub_->StopJob(Context().get(), request, job);
  }
  grpc::Status Report(const std::string& id, v1::Report* report) {
    v1::GetReportRequest request;
    request.set_id(id);
    return stub_->GetReport(Context().get(), request, report);
  }

  test_support::TempDir dir_{"throng-service"};  // declared first: outlives the registry
  const TargetPolicy policy_;
  std::unique_ptr<JobRegistry> registry_;
  std::unique_ptr<LoadTesterService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::LoadTester::Stub> stub_;
};

TEST_F(ServiceTest, WithoutExecutorJobsRegisterButSteeringIsUnimplemented) {
  Serve(nullptr);
  v1::Job job;
  ASSERT_TRUE(Submit(ValidSpec(), &job).ok());
  EXPECT_EQ(job.state(), v1::QUEUED);
  EXPECT_EQ(Stop(job.id(), &job).error_code(), StatusCode::UNIMPLEMENTED);
  v1::UpdateJobRequest update;
  update.set_id(job.id());
  EXPECT_EQ(stub_->UpdateJob(Context().get(), update, &job).error_code(),
            StatusCode::UNIMPLEMENTED);
  v1::Report report;
  EXPECT_EQ(Report(job.id(), &report).error_code(), StatusCode::UNIMPLEMENTED);
  v1::WatchJobRequest watch;
  watch.set_id(job.id());
  auto context = Context();
  auto reader = stub_->WatchJob(context.get(), watch);
  v1::JobSnapshot snapshot;
  EXPECT_FALSE(reader->Read(&snapshot));
  EXPECT_EQ(reader->Finish().error_code(), StatusCode::UNIMPLEMENTED);
}

TEST_F(ServiceTest, SubmitStartsTheExecutorWithTheConvertedPlan) {
  FakeExecutor executor;
  Serve(&executor);
  v1::Job job;
  ASSERT_TRUE(Submit(ValidSpec(), &job).ok());
  EXPECT_EQ(executor.started(), std::vector<std::string>{job.id()});
  EXPECT_EQ(executor.last_plan_host(), "127.0.0.1");
  v1::GetJobRequest get;
  get.set_id(job.id());
  ASSERT_TRUE(stub_->GetJob(Context().get(), get, &job).ok());
  EXPECT_EQ(job.state(), v1::RUNNING);
  EXPECT_GT(job.totals().requests(), 0u);  // live totals from the executor
}

TEST_F(ServiceTest, ValidateOnlyStartsAndRegistersNothing) {
  FakeExecutor executor;
  Serve(&executor);
  v1::Job job;
  ASSERT_TRUE(Submit(ValidSpec(), &job, /*validate_only=*/true).ok());
  EXPECT_TRUE(job.id().empty());
  EXPECT_TRUE(executor.started().empty());
  EXPECT_TRUE(registry_->List({}, 0, "")->jobs.empty());
}

TEST_F(ServiceTest, ErrorsCarryStatusAndField) {
  FakeExecutor executor;
  Serve(&executor);
  v1::Job job;
  v1::JobSpec invalid = ValidSpec();
  invalid.clear_name();
  grpc::Status status = Submit(invalid, &job);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("spec.name"), std::string::npos) << status.error_message();

  status = Submit(ValidSpec("http://192.0.2.10:80"), &job);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_NE(status.error_message().find("spec.base_url"), std::string::npos);
  EXPECT_TRUE(executor.started().empty());

  v1::GetJobRequest get;
  EXPECT_EQ(stub_->GetJob(Context().get(), get, &job).error_code(), StatusCode::INVALID_ARGUMENT);
  get.set_id("j-20000101-000009");
  EXPECT_EQ(stub_->GetJob(Context().get(), get, &job).error_code(), StatusCode::NOT_FOUND);

  v1::ListJobsRequest list;
  list.set_page_token("garbage");
  v1::ListJobsResponse response;
  status = stub_->ListJobs(Context().get(), list, &response);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("page_token"), std::string::npos);
}

TEST_F(ServiceTest, StopThenStoppingAgainIsAFailedPrecondition) {
  FakeExecutor executor;
  Serve(&executor);
  v1::Job job;
  ASSERT_TRUE(Submit(ValidSpec(), &job).ok());
  v1::Job stopped;
  ASSERT_TRUE(Stop(job.id(), &stopped).ok());
  EXPECT_EQ(stopped.state(), v1::STOPPED);
  const grpc::Status again = Stop(job.id(), &stopped);
  EXPECT_EQ(again.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(again.error_message().find("STOPPED"), std::string::npos);

  // A stopped job without stored statistics still has a (final) report.
  v1::Report report;
  ASSERT_TRUE(Report(job.id(), &report).ok());
  EXPECT_TRUE(report.final());
  EXPECT_EQ(report.job().id(), job.id());
}

// GetReport sends an ended job's stored report as the registry holds it (no parse on the way);
// stored bytes that are not a well-formed report are never passed on.
TEST_F(ServiceTest, AnEndedJobsStoredReportGoesOutAsStoredAndADamagedOneDoesNot) {
  FakeExecutor executor;
  Serve(&executor);
  v1::Job job;
  ASSERT_TRUE(Submit(ValidSpec(), &job).ok());
  ASSERT_TRUE(Stop(job.id(), &job).ok());
  v1::Report stored;
  stored.set_final(true);
  *stored.mutable_job() = job;
  v1::EndpointStats* row = stored.add_endpoints();
  row->set_name("/only-in-the-stored-report");
  row->set_requests(3);
  row->mutable_latency_histogram()->add_index_delta(900);
  row->mutable_latency_histogram()->add_counts(3);
  registry_->OnFinalReport(job.id(), stored);

  v1::Report report;
  ASSERT_TRUE(Report(job.id(), &report).ok());
  ASSERT_EQ(report.endpoints_size(), 1);
  EXPECT_EQ(report.endpoints(0).name(), "/only-in-the-stored-report");
  EXPECT_EQ(report.endpoints(0).latency_histogram().counts(0), 3u);
  EXPECT_EQ(report.job().id(), job.id());
  EXPECT_TRUE(report.final());

  // Field 2 (endpoints) says 100 bytes follow; 1 does.
  RunRegistrySql(dir_.path(), "UPDATE jobs SET report = x'126401' WHERE id = '" + job.id() + "'");
  v1::Report fallback;
  ASSERT_TRUE(Report(job.id(), &fallback).ok());
  EXPECT_EQ(fallback.endpoints_size(), 0);
  EXPECT_EQ(fallback.job().id(), job.id());
  EXPECT_TRUE(fallback.final());

  EXPECT_EQ(Report("no-such-job", &report).error_code(), StatusCode::NOT_FOUND);
}

TEST_F(ServiceTest, ExecutorErrorsPassThroughAndExceptionsBecomeInternal) {
  FakeExecutor executor;
  Serve(&executor);
  v1::Job job;
  ASSERT_TRUE(Submit(ValidSpec(), &job).ok());
  v1::UpdateJobRequest update;
  update.set_id(job.id());
  update.set_target_users(0);
  EXPECT_EQ(stub_->UpdateJob(Context().get(), update, &job).error_code(),
            StatusCode::INVALID_ARGUMENT);

  executor.throw_on_stop = true;
  const grpc::Status status = Stop(job.id(), &job);
  EXPECT_EQ(status.error_code(), StatusCode::INTERNAL);
  EXPECT_NE(status.error_message().find("executor exploded"), std::string::npos);
}

TEST_F(ServiceTest, WatchStreamsUntilTheFinalSnapshot) {
  FakeExecutor executor;
  Serve(&executor);
  v1::Job job;
  ASSERT_TRUE(Submit(ValidSpec(), &job).ok());
  v1::WatchJobRequest watch;
  watch.set_id(job.id());
  watch.mutable_interval()->set_nanos(100'000'000);
  auto context = Context();
  auto reader = stub_->WatchJob(context.get(), watch);
  std::vector<v1::JobSnapshot> snapshots;
  for (v1::JobSnapshot snapshot; reader->Read(&snapshot);) snapshots.push_back(snapshot);
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(snapshots.size(), 3u);
  EXPECT_FALSE(snapshots[0].final());
  EXPECT_TRUE(snapshots[2].final());
  EXPECT_LT(snapshots[0].totals().requests(), snapshots[2].totals().requests());
}

TEST_F(ServiceTest, WatchRejectsShortIntervalsAndUnknownJobs) {
  FakeExecutor executor;
  Serve(&executor);
  v1::WatchJobRequest watch;
  watch.set_id("j-20000101-000001");
  {
    auto context = Context();
    auto reader = stub_->WatchJob(context.get(), watch);
    v1::JobSnapshot snapshot;
    EXPECT_FALSE(reader->Read(&snapshot));
    EXPECT_EQ(reader->Finish().error_code(), StatusCode::NOT_FOUND);
  }
  v1::Job job;
  ASSERT_TRUE(Submit(ValidSpec(), &job).ok());
  watch.set_id(job.id());
  watch.mutable_interval()->set_nanos(10'000'000);
  auto context = Context();
  auto reader = stub_->WatchJob(context.get(), watch);
  v1::JobSnapshot snapshot;
  EXPECT_FALSE(reader->Read(&snapshot));
  const grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("interval"), std::string::npos);
}

TEST_F(ServiceTest, ShutdownRefusesNewJobs) {
  FakeExecutor executor;
  Serve(&executor);
  service_->BeginShutdown();
  v1::Job job;
  EXPECT_EQ(Submit(ValidSpec(), &job).error_code(), StatusCode::UNAVAILABLE);
  EXPECT_TRUE(executor.started().empty());
}

}  // namespace
}  // namespace throng::api
