// The seam through which a running job reports back to whoever keeps the daemon's jobs.
#pragma once

#include <string>

#include "throng/api/common/serialized_report.h"
#include "throng/v1/job.pb.h"

namespace throng::api {

/// What a job reports back while it runs. The JobRegistry implements it. Thread-safe.
class JobEventSink {
 public:
  virtual ~JobEventSink() = default;
  /// The job entered `state`. `error` explains FAILED/STOPPED/ABORTED; `verdict` is final once the
  /// job has ended. Each call is persisted.
  virtual void OnStateChanged(const std::string& job_id, v1::JobState state,
                              const std::string& error = {},
                              v1::Verdict verdict = v1::VERDICT_UNSPECIFIED) = 0;
  /// The job has ended: its final state, error and verdict are in `report.job()`; the state
  /// change and the report are applied together, so nobody sees one without the other. Called
  /// once, instead of OnStateChanged for the final state.
  virtual void OnFinalReport(const std::string& job_id, const v1::Report& report) = 0;
  /// A running job's report so far (not final), sent every checkpoint interval so that a crash
  /// loses at most one interval of figures. Ignored once the job has ended. Default: dropped.
  virtual void OnCheckpoint(const std::string& /*job_id*/, const v1::Report& /*report*/) {}
  /// OnFinalReport with the report serialized, as the executor sends it. Default: parsed, then
  /// OnFinalReport; the registry stores the bytes as they are.
  virtual void OnSerializedFinalReport(const std::string& job_id, const SerializedReport& report) {
    OnFinalReport(job_id, report.Parse());
  }
  /// OnCheckpoint with the report serialized, as the executor sends it. Default: parsed, then
  /// OnCheckpoint.
  virtual void OnSerializedCheckpoint(const std::string& job_id, const SerializedReport& report) {
    OnCheckpoint(job_id, report.Parse());
  }
};

}  // namespace throng::api
