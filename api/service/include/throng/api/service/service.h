// The LoadTester gRPC service (callback API).
#pragma once

#include <grpcpp/grpcpp.h>

#include "throng/api/executor/job_executor.h"
#include "throng/api/registry/job_registry.h"
#include "throng/api/service/authorizer.h"
#include "throng/api/service/job_control.h"
#include "throng/api/service/service_options.h"
#include "throng/api/service/target_policy.h"
#include "throng/api/spec/spec_converter.h"
#include "throng/v1/load_tester.grpc.pb.h"

namespace throng::api {

/// Implements throng.v1.LoadTester: checks each call's token, then calls its JobControl over a
/// JobRegistry, a TargetPolicy and a JobExecutor. Without an executor (no engine in this build)
/// jobs are validated and registered but not run, and WatchJob/UpdateJob/StopJob answer
/// UNIMPLEMENTED; GetReport still serves stored final reports. No exception escapes an RPC.
/// Thread-safe; the referenced objects (the authorizer included) must outlive the service.
/// SubmitJob is registered raw: the service decodes the request itself, so a spec nested past
/// protobuf's parse limit is answered with a status naming the limit (gRPC's own decoding would
/// answer with an empty one).
/// GetReport is raw too: an ended job's stored report goes out as the bytes the registry holds
/// (no parse, no copy into a message; a 200-endpoint report is megabytes as a message), and a
/// running job's report is built on a ReportArena of the call's own, whose mapped blocks go
/// back to the system after the call instead of leaving holes in a long-running daemon's heap.
class LoadTesterService final
    : public v1::LoadTester::WithRawCallbackMethod_SubmitJob<
          v1::LoadTester::WithRawCallbackMethod_GetReport<v1::LoadTester::CallbackService>> {
 public:
  LoadTesterService(JobRegistry& registry, const TargetPolicy& policy, JobExecutor* executor,
                    ServiceOptions options = {});

  /// From now on SubmitJob answers UNAVAILABLE. Returns once no SubmitJob is between its check and
  /// starting the job, so a following JobExecutor::Shutdown sees every accepted job.
  void BeginShutdown();

  /// The rules every RPC applies, for the other transports (the HTTP API) to call: one instance,
  /// so both see the same jobs, shutdown and limits.
  JobControl& control() { return control_; }

  /// The registered SubmitJob: decodes `request` (see raw_message.h), then JobControl::Submit.
  grpc::ServerUnaryReactor* SubmitJob(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
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
  /// The registered GetReport: decodes `request`, then the stored report's bytes or a report
  /// built by JobControl::Report on an arena.
  grpc::ServerUnaryReactor* GetReport(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* DeleteJob(grpc::CallbackServerContext* context,
                                      const v1::DeleteJobRequest* request,
                                      v1::DeleteJobResponse* response) override;

 private:
  grpc::Status Authorize(const grpc::CallbackServerContext* context, Action action) const;

  const Authorizer* const authorizer_;
  JobControl control_;
};

}  // namespace throng::api
