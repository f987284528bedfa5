// The seam between the gRPC service and whatever runs jobs (the load engine).
#pragma once

#include <grpcpp/support/status.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "throng/api/common/job_event_sink.h"
#include "throng/engine/plan.h"
#include "throng/v1/job.pb.h"
#include "throng/v1/load_tester.pb.h"

namespace throng::api {

/// Runs jobs. The service calls it from gRPC callback threads, so every method must be
/// thread-safe and return promptly (start work on the executor's own threads). Job ids passed to
/// Update/Stop/Snapshot/Report are ids the executor was given in Start.
class JobExecutor {
 public:
  virtual ~JobExecutor() = default;

  /// Starts job `job_id`. The executor reports every state change, starting from QUEUED, through
  /// `sink`, which outlives the executor.
  virtual void Start(const std::string& job_id, engine::Plan plan, JobEventSink& sink) = 0;
  /// Applies target users / arrival rate / pause. FAILED_PRECONDITION when the job's state does not
  /// allow it (e.g. it has ended), INVALID_ARGUMENT naming the field when a value does not fit.
  virtual grpc::Status Update(const v1::UpdateJobRequest& request) = 0;
  /// Stops the job; `grace` overrides the job's graceful_stop. Returns once stopping has begun.
  virtual grpc::Status Stop(const std::string& job_id, bool immediate,
                            std::optional<std::chrono::nanoseconds> grace) = 0;
  /// The job's current snapshot; nullopt when the executor no longer holds the job.
  virtual std::optional<v1::JobSnapshot> Snapshot(const std::string& job_id) = 0;
  /// Builds the job's report (final once it has ended) into `into`, which is empty and may live
  /// on an arena (see ReportArena): the report is not built elsewhere and copied. False when the
  /// executor no longer holds the job.
  virtual bool ReportInto(const std::string& job_id, v1::Report& into) = 0;
  /// The same, as a value on the heap; nullopt when the executor no longer holds the job.
  std::optional<v1::Report> Report(const std::string& job_id) {
    v1::Report report;
    if (!ReportInto(job_id, report)) return std::nullopt;
    return report;
  }
  /// Stops every job gracefully and blocks until they have ended and reported. Called once, at
  /// daemon shutdown.
  virtual void Shutdown() = 0;
};

}  // namespace throng::api
