#include "throng/api/executor/queueing_job_executor.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <utility>
#include <vector>

#include "throng/api/common/job_messages.h"

namespace throng::api {
namespace {

constexpr const char* kStoppedWhileQueued = "stopped while queued: the job never ran";

}  // namespace

QueueingJobExecutor::QueueingJobExecutor(std::unique_ptr<JobExecutor> inner,
                                         std::size_t max_running)
    : inner_(std::move(inner)), max_running_(max_running) {
  if (!inner_) throw std::invalid_argument("QueueingJobExecutor needs an inner executor");
  if (max_running_ < 1) throw std::invalid_argument("max_running must be >= 1");
}

QueueingJobExecutor::~QueueingJobExecutor() = default;

void QueueingJobExecutor::Start(const std::string& job_id, engine::Plan plan, JobEventSink& sink) {
  {
    std::lock_guard lock(mutex_);
    sinks_[job_id] = &sink;
    if (running_.size() >= max_running_ || shutting_down_) {
      queue_.push_back(Queued{job_id, std::move(plan)});
      spdlog::info("job {} queued: {} jobs run (--max-running-jobs {}), {} wait", job_id,
                   running_.size(), max_running_, queue_.size());
      // Reported under the lock so a concurrent Release cannot start it before it is QUEUED.
      sink.OnStateChanged(job_id, v1::QUEUED);
      return;
    }
    running_.insert(job_id);
  }
  inner_->Start(job_id, std::move(plan), *this);
}

bool QueueingJobExecutor::IsQueued(const std::string& job_id) const {
  std::lock_guard lock(mutex_);
  return std::any_of(queue_.begin(), queue_.end(),
                     [&](const Queued& queued) { return queued.id == job_id; });
}

grpc::Status QueueingJobExecutor::Update(const v1::UpdateJobRequest& request) {
  if (IsQueued(request.id())) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "job " + request.id() + " is queued: it takes updates once it runs");
  }
  return inner_->Update(request);
}

grpc::Status QueueingJobExecutor::Stop(const std::string& job_id, bool immediate,
                                       std::optional<std::chrono::nanoseconds> grace) {
  JobEventSink* sink = nullptr;
  {
    std::lock_guard lock(mutex_);
    const auto it = std::find_if(queue_.begin(), queue_.end(),
                                 [&](const Queued& queued) { return queued.id == job_id; });
    if (it != queue_.end()) {
      queue_.erase(it);
      sink = sinks_[job_id];
      sinks_.erase(job_id);
    }
  }
  if (sink == nullptr) return inner_->Stop(job_id, immediate, grace);
  sink->OnStateChanged(job_id, v1::STOPPED, kStoppedWhileQueued, v1::VERDICT_NONE);
  return grpc::Status::OK;
}

std::optional<v1::JobSnapshot> QueueingJobExecutor::Snapshot(const std::string& job_id) {
  return inner_->Snapshot(job_id);
}

bool QueueingJobExecutor::ReportInto(const std::string& job_id, v1::Report& into) {
  return inner_->ReportInto(job_id, into);
}

void QueueingJobExecutor::Shutdown() {
  std::deque<Queued> queued;
  std::map<std::string, JobEventSink*> sinks;
  {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
    queued.swap(queue_);
    for (const Queued& job : queued) sinks.emplace(job.id, sinks_[job.id]);
  }
  for (const Queued& job : queued) {
    sinks[job.id]->OnStateChanged(job.id, v1::STOPPED, "the daemon shut down before the job ran",
                                  v1::VERDICT_NONE);
  }
  inner_->Shutdown();
}

std::size_t QueueingJobExecutor::QueuedCount() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

JobEventSink* QueueingJobExecutor::SinkOf(const std::string& job_id) const {
  std::lock_guard lock(mutex_);
  const auto it = sinks_.find(job_id);
  return it == sinks_.end() ? nullptr : it->second;
}

void QueueingJobExecutor::OnStateChanged(const std::string& job_id, v1::JobState state,
                                         const std::string& error, v1::Verdict verdict) {
  if (JobEventSink* sink = SinkOf(job_id)) sink->OnStateChanged(job_id, state, error, verdict);
  // A job that fails to start ends here, without a final report.
  if (IsFinal(state)) Release(job_id);
}

void QueueingJobExecutor::OnFinalReport(const std::string& job_id, const v1::Report& report) {
  if (JobEventSink* sink = SinkOf(job_id)) sink->OnFinalReport(job_id, report);
  Release(job_id);
}

void QueueingJobExecutor::OnCheckpoint(const std::string& job_id, const v1::Report& report) {
  if (JobEventSink* sink = SinkOf(job_id)) sink->OnCheckpoint(job_id, report);
}

void QueueingJobExecutor::OnSerializedFinalReport(const std::string& job_id,
                                                  const SerializedReport& report) {
  if (JobEventSink* sink = SinkOf(job_id)) sink->OnSerializedFinalReport(job_id, report);
  Release(job_id);
}

void QueueingJobExecutor::OnSerializedCheckpoint(const std::string& job_id,
                                                 const SerializedReport& report) {
  if (JobEventSink* sink = SinkOf(job_id)) sink->OnSerializedCheckpoint(job_id, report);
}

void QueueingJobExecutor::Release(const std::string& job_id) {
  std::vector<Queued> to_start;
  {
    std::lock_guard lock(mutex_);
    if (running_.erase(job_id) == 0) return;
    sinks_.erase(job_id);
    while (!shutting_down_ && !queue_.empty() && running_.size() < max_running_) {
      running_.insert(queue_.front().id);
      to_start.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
  }
  for (Queued& job : to_start) {
    spdlog::info("job {} leaves the queue and starts", job.id);
    inner_->Start(job.id, std::move(job.plan), *this);
  }
}

}  // namespace throng::api
