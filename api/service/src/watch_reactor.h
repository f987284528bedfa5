// Server-streaming reactors behind LoadTester.WatchJob.
#pragma once

#include <grpcpp/alarm.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "throng/api/service/job_control.h"

namespace throng::api {

/// The request's interval (default 1 s), or nullopt with INVALID_ARGUMENT in `status` when it is
/// below 100 ms.
std::optional<std::chrono::milliseconds> WatchInterval(const v1::WatchJobRequest& request,
                                                       grpc::Status& status);

/// Answers a WatchJob that cannot start with `status`. Deletes itself when done.
class FailedWatch final : public grpc::ServerWriteReactor<v1::JobSnapshot> {
 public:
  explicit FailedWatch(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

/// Writes the job's snapshot at once and then every `interval` until a final snapshot has been
/// written (or the client goes away). Owns itself: deleted in OnDone. Write completions, alarm
/// callbacks and cancellation arrive on gRPC threads; `mutex_` orders them and the reactor
/// finishes exactly once, never while an alarm is pending.
class WatchReactor final : public grpc::ServerWriteReactor<v1::JobSnapshot> {
 public:
  WatchReactor(std::string job_id, std::chrono::milliseconds interval, const JobControl& control);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override { delete this; }

 private:
  /// Builds and writes the next snapshot. Requires `mutex_` held.
  void WriteNextLocked();
  /// Called from the alarm: the interval has passed (`ok`) or the alarm was cancelled.
  void OnAlarm(bool ok);

  const std::string job_id_;
  const std::chrono::milliseconds interval_;
  const JobControl& control_;
  std::mutex mutex_;
  grpc::Alarm alarm_;
  v1::JobSnapshot snapshot_;  // must stay alive until its write completes
  bool alarm_pending_ = false;
  bool cancelled_ = false;
  bool final_written_ = false;
};

}  // namespace throng::api
