// Reading a job's state and report from a real throngd, with bounded waits.
#pragma once

#include <chrono>
#include <string>

#include "daemon_fixture.h"
#include "throng/test_support/wait_until.h"

namespace throng::daemon_test {

inline v1::Job GetJob(Daemon& daemon, const std::string& id) {
  v1::GetJobRequest request;
  request.set_id(id);
  v1::Job job;
  const grpc::Status status = daemon.stub->GetJob(Context().get(), request, &job);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return job;
}

inline grpc::Status GetReport(Daemon& daemon, const std::string& id, v1::Report& report) {
  v1::GetReportRequest request;
  request.set_id(id);
  return daemon.stub->GetReport(Context().get(), request, &report);
}

/// Submits `spec` and returns the job's id ("" with a test failure when refused).
inline std::string SubmitOk(Daemon& daemon, const v1::JobSpec& spec) {
  v1::Job job;
  const grpc::Status status = Submit(daemon, spec, &job);
  EXPECT_TRUE(status.ok()) << status.error_code() << ": " << status.error_message();
  return job.id();
}

/// Waits (at most `timeout`) for the job's final report and returns it (a test failure and the
/// last report seen when it does not come).
inline v1::Report WaitForFinalReport(Daemon& daemon, const std::string& id,
                                     std::chrono::seconds timeout = std::chrono::seconds(15)) {
  v1::Report report;
  const bool ended = test_support::WaitUntil(
      [&] {
        report.Clear();
        return GetReport(daemon, id, report).ok() && report.final();
      },
      timeout);
  EXPECT_TRUE(ended) << "job " << id << " did not end: " << report.job().ShortDebugString();
  return report;
}

/// The report row's failures of `kind` (its lower-case name, e.g. "invalid_header").
inline std::uint64_t FailuresOfKind(const v1::Report& report, const std::string& kind) {
  std::uint64_t failures = 0;
  for (const v1::EndpointStats& endpoint : report.endpoints()) {
    const auto it = endpoint.failures_by_kind().find(kind);
    if (it != endpoint.failures_by_kind().end()) failures += it->second;
  }
  return failures;
}

}  // namespace throng::daemon_test
