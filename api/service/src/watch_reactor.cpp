#include "watch_reactor.h"

#include <google/protobuf/util/time_util.h>

namespace throng::api {

using google::protobuf::util::TimeUtil;

std::optional<std::chrono::milliseconds> WatchInterval(const v1::WatchJobRequest& request,
                                                       grpc::Status& status) {
  if (!request.has_interval()) return std::chrono::milliseconds(1000);
  const std::chrono::milliseconds interval(TimeUtil::DurationToMilliseconds(request.interval()));
  if (interval < std::chrono::milliseconds(100)) {
    status = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "interval: must be at least 100ms");
    return std::nullopt;
  }
  return interval;
}

WatchReactor::WatchReactor(std::string job_id, std::chrono::milliseconds interval,
                           const JobControl& control)
    : job_id_(std::move(job_id)), interval_(interval), control_(control) {
  std::lock_guard lock(mutex_);
  WriteNextLocked();
}

void WatchReactor::WriteNextLocked() {
  snapshot_ = control_.Snapshot(job_id_);
  final_written_ = snapshot_.final();
  StartWrite(&snapshot_);
}

void WatchReactor::OnWriteDone(bool ok) {
  std::unique_lock lock(mutex_);
  if (!ok || cancelled_ || final_written_) {
    const grpc::Status status = final_written_ && ok
                                    ? grpc::Status::OK
                                    : grpc::Status(grpc::StatusCode::CANCELLED, "watch cancelled");
    lock.unlock();
    Finish(status);  // last touch of `this`: OnDone may delete it right after
    return;
  }
  alarm_pending_ = true;
  alarm_.Set(std::chrono::system_clock::now() + interval_, [this](bool fired) { OnAlarm(fired); });
}

void WatchReactor::OnAlarm(bool ok) {
  std::unique_lock lock(mutex_);
  alarm_pending_ = false;
  if (!ok || cancelled_) {
    lock.unlock();
    Finish(grpc::Status(grpc::StatusCode::CANCELLED, "watch cancelled"));
    return;
  }
  WriteNextLocked();
}

void WatchReactor::OnCancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  // A pending alarm finishes the stream from its callback; a pending write from OnWriteDone.
  if (alarm_pending_) alarm_.Cancel();
}

}  // namespace throng::api
