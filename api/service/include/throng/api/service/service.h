// The LoadTester gRPC service (callback API).
#pragma once

#include <grpcpp/grpcpp.h>

#include <shared_mutex>

#include "throng/api/executor/job_executor.h"
#include "throng/api/registry/job_registry.h"
#include "throng/api/service/target_policy.h"
#include "throng/v1/load_tester.grpc.pb.h"

namespace throng::api {

/// Implements throng.v1.LoadTester over a JobRegistry, a TargetPolicy and a JobExecutor. Without an
/// executor (no engine in this build) jobs are validated and registered but not run, and
/// WatchJob/UpdateJob/StopJob answer UNIMPLEMENTED; GetReport still serves stored final reports.
/// No exception escapes an RPC. Thread-safe; the referenced objects must outlive the service.
class LoadTesterService final : public v1::LoadTester::CallbackService {
 public:
  LoadTesterService(JobRegistry& registry, const TargetPolicy& policy, JobExecutor* executor);

  /// From now on SubmitJob answers UNAVAILABLE. Returns once no SubmitJob is between its check and
  /// starting the job, so a following JobExecutor::Shutdown sees every accepted job.
  void BeginShutdown();

  grpc::ServerUnaryReactor* SubmitJob(grpc::CallbackServerContext* context,
                                      const v1::SubmitJobRequest* request,
                                      v1::Job* response) override;
  grpc::ServerUnaryReactor* GetJob(grpc::CallbackServerContext* context,
                                   const v1::GetJobRequest* request, v1::Job* response) override;
  grpc::ServerUnaryReactor* ListJobs(grpc::CallbackServerContext* context,
                                     const v1::ListJobsRequest* request,
                                     v1::ListJobsResponse* response) override;
  grpc::ServerWriteReactor<v1::JobSnapshot>* WatchJob(grpc::CallbackServerContext* context,
                                                      const v1::WatchJobRequest* request) override;
  grpc::ServerUnaryReactor* UpdateJob(grpc::CallbackServerContext* context,
                                      const v1::UpdateJobRequest* request,
                                      v1::Job* response) override;
  grpc::ServerUnaryReactor* StopJob(grpc::CallbackServerContext* context,
                                    const v1::StopJobRequest* request, v1::Job* response) override;
  grpc::ServerUnaryReactor* GetReport(grpc::CallbackServerContext* context,
                                      const v1::GetReportRequest* request,
                                      v1::Report* response) override;

 private:
  grpc::Status Submit(const v1::SubmitJobRequest& request, v1::Job& response);
  /// Copies job `id` into `job`; NOT_FOUND / INVALID_ARGUMENT naming the id otherwise.
  grpc::Status Find(const std::string& id, v1::Job& job) const;
  /// OK when job `id` exists, has not ended and an executor runs it; else the status to answer.
  grpc::Status FindSteerable(const std::string& id, const char* action) const;

  JobRegistry& registry_;
  const TargetPolicy& policy_;
  JobExecutor* executor_;
  std::shared_mutex shutdown_mutex_;
  bool shutting_down_ = false;
};

}  // namespace throng::api
