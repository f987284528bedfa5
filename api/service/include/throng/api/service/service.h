// The LoadTester gRPC service (callback API).
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <shared_mutex>

#include "throng/api/executor/job_executor.h"
#include "throng/api/registry/job_registry.h"
#include "throng/api/service/authorizer.h"
#include "throng/api/service/target_policy.h"
#include "throng/api/spec/spec_converter.h"
#include "throng/v1/load_tester.grpc.pb.h"

namespace throng::api {

class JobAdmission;

/// The daemon's settings for the service: who may call (authorizer), what a spec may ask for
/// and read (convert: limits and policy) and the daemon-wide limits (docs/limits.md,
/// docs/security.md). Plain value type; the authorizer must outlive the service.
struct ServiceOptions {
  /// Asked first by every RPC, streams included; null allows every call (tests, and the daemon
  /// without --auth-token-file, which it permits on loopback only).
  const Authorizer* authorizer = nullptr;
  /// Per-spec limits and what submitted specs may read (--allow-env, --feeder-dir), handed to
  /// ConvertSpec.
  ConvertOptions convert;
  /// --max-users-per-daemon: peak users summed over jobs that have not ended.
  std::uint64_t max_users_per_daemon = 200'000;
  /// Jobs running or queued at once (--max-running-jobs + --max-queued-jobs).
  std::size_t max_jobs_held = 8 + 256;
  /// --max-list-bytes: a ListJobs page stops before its jobs exceed this many bytes.
  std::size_t max_list_bytes = 3 * 1024 * 1024;
  /// --job-history / --job-history-age: ended jobs kept (newest first) and for how long (0: no
  /// age bound); older ones are forgotten at the next SubmitJob or ListJobs.
  std::size_t job_history = 1000;
  std::chrono::seconds job_history_age{0};
};

/// Implements throng.v1.LoadTester over a JobRegistry, a TargetPolicy and a JobExecutor. Without an
/// executor (no engine in this build) jobs are validated and registered but not run, and
/// WatchJob/UpdateJob/StopJob answer UNIMPLEMENTED; GetReport still serves stored final reports.
/// No exception escapes an RPC. Thread-safe; the referenced objects (the authorizer included)
/// must outlive the service.
class LoadTesterService final : public v1::LoadTester::CallbackService {
 public:
  LoadTesterService(JobRegistry& registry, const TargetPolicy& policy, JobExecutor* executor,
                    ServiceOptions options = {});
  ~LoadTesterService() override;

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
  grpc::ServerUnaryReactor* DeleteJob(grpc::CallbackServerContext* context,
                                      const v1::DeleteJobRequest* request,
                                      v1::DeleteJobResponse* response) override;

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
  const ServiceOptions options_;
  std::unique_ptr<JobAdmission> admission_;
  std::shared_mutex shutdown_mutex_;
  bool shutting_down_ = false;
};

}  // namespace throng::api
