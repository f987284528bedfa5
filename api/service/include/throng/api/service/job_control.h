// The control plane's rules, independent of the transport: gRPC's LoadTesterService and the
// HTTP JSON API both call JobControl, so every check exists once.
#pragma once

#include <grpcpp/support/status.h>

#include <memory>
#include <shared_mutex>
#include <string>

#include "throng/api/executor/job_executor.h"
#include "throng/api/registry/job_registry.h"
#include "throng/api/service/service_options.h"
#include "throng/api/service/target_policy.h"
#include "throng/api/spec/spec_converter.h"
#include "throng/v1/load_tester.pb.h"

namespace throng::api {

class JobAdmission;

/// Submits, lists, reads, steers and reports jobs over a JobRegistry, a TargetPolicy and a
/// JobExecutor (null: jobs are validated and registered but not run; steering answers
/// UNIMPLEMENTED), within the limits of ServiceOptions (its authorizer is not used here).
/// Authentication is the transport's job (it knows where the token is); every method here assumes
/// the caller may act. Errors are grpc::Status with the offending field path in the message
/// ("spec.load.closed.users: must be > 0"); no exception escapes except from allocation.
/// Thread-safe; the referenced objects must outlive it.
class JobControl {
 public:
  JobControl(JobRegistry& registry, const TargetPolicy& policy, JobExecutor* executor,
             ServiceOptions options);
  ~JobControl();

  /// From now on Submit answers UNAVAILABLE. Returns once no Submit is between its check and
  /// starting the job, so a following JobExecutor::Shutdown sees every accepted job.
  void BeginShutdown();

  /// Validates the spec (INVALID_ARGUMENT with the field path), checks the target policy
  /// (PERMISSION_DENIED naming spec.base_url), then registers and starts the job, or with
  /// validate_only answers the job it would create.
  grpc::Status Submit(const v1::SubmitJobRequest& request, v1::Job& job);
  /// The job with live totals and thresholds while it runs.
  grpc::Status Get(const std::string& id, v1::Job& job) const;
  grpc::Status List(const v1::ListJobsRequest& request, v1::ListJobsResponse& response) const;
  /// Target users, arrival rate, pause; answers the job after the change.
  grpc::Status Update(const v1::UpdateJobRequest& request, v1::Job& job);
  grpc::Status Stop(const v1::StopJobRequest& request, v1::Job& job);
  /// The final report once stored, else the live one, built into `report` (empty; it may live on
  /// an arena, as GetReport's response does); a job that ended without statistics is its own
  /// report.
  grpc::Status Report(const std::string& id, v1::Report& report) const;
  /// Job `id`'s stored final report as stored (a serialized v1::Report), for a transport that
  /// sends it on without parsing it; nullopt while there is none or when the stored bytes are not
  /// a well-formed report (Report() then answers as it can).
  std::optional<std::string> StoredFinalReport(const std::string& id) const;
  /// Puts into `report` the real values of job `id`'s setup variables (Report shows secrets as
  /// "***"), which only the executor holds, in memory, until it forgets the ended job
  /// (--finished-job-retention). FAILED_PRECONDITION when the job is not a setup-only job that
  /// has ended, or the executor no longer holds it. For an operator's fleet run only.
  grpc::Status RevealSetupVariables(const std::string& id, v1::Report& report) const;
  /// Forgets an ended job and its report (FAILED_PRECONDITION while it runs).
  grpc::Status Delete(const std::string& id);

  /// OK when `id` can be watched (an executor exists and the job does).
  grpc::Status CheckWatchable(const std::string& id) const;
  /// The job's snapshot now: live from the executor, else from the registry (final once the
  /// registry says the job ended).
  v1::JobSnapshot Snapshot(const std::string& id) const;

 private:
  /// Copies job `id` into `job`; NOT_FOUND / INVALID_ARGUMENT naming the id otherwise.
  grpc::Status Find(const std::string& id, v1::Job& job) const;
  /// OK when job `id` exists, has not ended and an executor runs it; else the status to answer.
  grpc::Status FindSteerable(const std::string& id, const char* action) const;

  JobRegistry& registry_;
  const TargetPolicy& policy_;
  JobExecutor* executor_;
  const ServiceOptions options_;
  std::unique_ptr<JobAdmission> admission_;
  std::shared_mutex shutdown_mutex_;
  bool shutting_down_ = false;
};

}  // namespace throng::api
