// The LoadTester gRPC service (callback API).
#pragma once

#include <grpcpp/grpcpp.h>

#include <shared_mutex>

#include "throng/api/executor/job_executor.h"
#include "throng/api/registry/job_registry.h"
#include "throng/api/service/authorizer.h"
#include "throng/api/service/target_policy.h"
#include "throng/api/spec/spec_converter.h"
#include "throng/v1/load_tester.grpc.pb.h"

namespace throng::api {

/// Implements throng.v1.LoadTester over a JobRegistry, a TargetPolicy and a JobExecutor. Without an
/// executor (no engine in this build) jobs are validated and registered but not run, and
/// WatchJob/UpdateJob/StopJob answer UNIMPLEMENTED; GetReport still serves stored final reports.
/// The daemon's security settings for the service.
struct ServiceSecurity {
  /// Asked first by every RPC, streams included; null allows every call (tests, and the daemon
  /// without --auth-token-file, which it permits on loopback only).
  const Authorizer* authorizer = nullptr;
  /// What submitted specs may read (--allow-env, --feeder-dir).
  ConvertOptions convert;
};

/// No exception escapes an RPC. Thread-safe; the referenced objects (the authorizer included)
/// must outlive the service.
class LoadTesterService final : public v1::LoadTester::CallbackService {
 public:
  LoadTesterService(JobRegistry& registry, const TargetPolicy& policy, JobExecutor* executor,
                    ServiceSecurity security = {});

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
  grpc::Status Authorize(const grpc::CallbackServerContext* context, Action action) const;

  JobRegistry& registry_;
  const TargetPolicy& policy_;
  JobExecutor* executor_;
  const ServiceSecurity security_;
  std::shared_mutex shutdown_mutex_;
  bool shutting_down_ = false;
};

}  // namespace throng::api
