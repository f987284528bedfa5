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
                           JobExecutor& executor, const JobRegistry& registry)
    : job_id_(std::move(job_id)), interval_(interval), executor_(executor), registry_(registry) {
  std::lock_guard lock(mutex_);
  WriteNextLocked();
}

v1::JobSnapshot WatchReactor::TakeSnapshot() const {
  if (std::optional<v1::JobSnapshot> live = executor_.Snapshot(job_id_)) return std::move(*live);
  // The executor no longer holds the job: it has ended, so the registry's state is the last word.
  v1::JobSnapshot snapshot;
  snapshot.set_id(job_id_);
  if (std::optional<v1::Job> job = registry_.Get(job_id_)) {
    snapshot.set_state(job->state());
    *snapshot.mutable_totals() = job->totals();
    snapshot.set_verdict(job->verdict());
  }
  *snapshot.mutable_time() = TimeUtil::GetCurrentTime();
  // Final only when the registry says the job ended (not while it is being handed to the
  // executor, just after SubmitJob).
  snapshot.set_final(IsFinal(snapshot.state()));
  return snapshot;
}

void WatchReactor::WriteNextLocked() {
  snapshot_ = TakeSnapshot();
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
