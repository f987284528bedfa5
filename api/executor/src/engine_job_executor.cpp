#include "throng/api/executor/engine_job_executor.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <stdexcept>
#include <variant>
#include <vector>

#include "supervised_job.h"
#include "throng/engine/limits.h"

namespace throng::api {
namespace {

using grpc::Status;
using grpc::StatusCode;
using SteadyClock = std::chrono::steady_clock;

/// How often the supervisor looks at the jobs: phase changes show within this delay.
constexpr auto kPollPeriod = std::chrono::milliseconds(100);
/// At shutdown, how long jobs stopped at once (after the graceful timeout) get to end.
constexpr auto kImmediateStopWait = std::chrono::seconds(30);

const char* ModelName(const engine::LoadPlan& load) {
  if (std::holds_alternative<engine::ClosedModelPlan>(load.model)) return "closed";
  if (std::holds_alternative<engine::OpenModelPlan>(load.model)) return "open";
  if (std::holds_alternative<engine::PerUserIterationsPlan>(load.model)) {
    return "per_user_iterations";
  }
  return "shared_iterations";
}

/// Checks an update against the job's load model before anything is applied, so that an
/// update is applied whole or not at all.
Status CheckUpdate(const v1::UpdateJobRequest& request, const engine::Plan& plan) {
  if (!request.has_target_users() && !request.has_arrival_rate() && !request.has_paused()) {
    return Status(StatusCode::INVALID_ARGUMENT,
                  "nothing to update: set target_users, arrival_rate or paused");
  }
  if (request.has_arrival_rate() &&
      (!std::isfinite(request.arrival_rate()) || request.arrival_rate() < 0 ||
       request.arrival_rate() > engine::kMaxArrivalRate)) {
    return Status(StatusCode::INVALID_ARGUMENT,
                  "arrival_rate: must be a number from 0 to " +
                      std::to_string(static_cast<long long>(engine::kMaxArrivalRate)) +
                      " per second");
  }
  const bool closed = std::holds_alternative<engine::ClosedModelPlan>(plan.load.model);
  const bool open = std::holds_alternative<engine::OpenModelPlan>(plan.load.model);
  if (request.has_target_users() && !closed) {
    return Status(StatusCode::FAILED_PRECONDITION,
                  std::string("target_users: only a closed-model job has a user target; job ") +
                      request.id() + " uses the " + ModelName(plan.load) + " model");
  }
  if (request.has_arrival_rate() && !open) {
    return Status(StatusCode::FAILED_PRECONDITION,
                  std::string("arrival_rate: only an open-model job has an arrival rate; job ") +
                      request.id() + " uses the " + ModelName(plan.load) + " model");
  }
  return Status::OK;
}

Status NotHeld(const std::string& job_id) {
  return Status(StatusCode::FAILED_PRECONDITION, "job " + job_id + " is not running");
}

}  // namespace

EngineJobExecutor::EngineJobExecutor(EngineJobExecutorOptions options,
                                     std::shared_ptr<JobMetricsCollectable> metrics)
    : options_(std::move(options)), metrics_(std::move(metrics)), engine_(options_.engine) {
  if (options_.tick <= std::chrono::nanoseconds::zero()) {
    throw std::invalid_argument("EngineJobExecutorOptions::tick must be positive");
  }
  supervisor_ = std::thread([this] { Supervise(); });
}

EngineJobExecutor::~EngineJobExecutor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  supervisor_.join();
  std::lock_guard lock(mutex_);
  for (const auto& [id, job] : jobs_) {
    // The series' callbacks read the job; nothing may scrape them once the engine is gone.
    if (metrics_) metrics_->Remove(id);
    if (!job->Delivered()) job->Job().Stop(/*immediate=*/true);
  }
  // engine_ is destroyed next: it waits for the stopped jobs.
}

void EngineJobExecutor::Start(const std::string& job_id, engine::Plan plan, JobEventSink& sink) {
  std::shared_ptr<engine::RunningJob> running;
  try {
    running = engine_.Start(std::move(plan));
  } catch (const engine::JobError& e) {
    spdlog::warn("job {} cannot start: {}", job_id, e.what());
    sink.OnStateChanged(job_id, v1::FAILED, e.what(), v1::VERDICT_NONE);
    return;
  }
  try {
    auto job = std::make_shared<SupervisedJob>(job_id, running, sink, options_.tick,
                                               options_.checkpoint_interval, Now());
    if (metrics_) metrics_->Add(job_id, job->MetricsSource());
    std::lock_guard lock(mutex_);
    jobs_[job_id] = std::move(job);
    all_delivered_ = false;
  } catch (const std::exception& e) {
    // Nobody would supervise it: stop the engine job rather than let it run unseen.
    running->Stop(/*immediate=*/true);
    spdlog::error("job {} could not be supervised: {}", job_id, e.what());
    sink.OnStateChanged(job_id, v1::FAILED, std::string("internal error: ") + e.what(),
                        v1::VERDICT_NONE);
    return;
  }
  changed_.notify_all();
}

std::shared_ptr<SupervisedJob> EngineJobExecutor::Find(const std::string& job_id) const {
  std::lock_guard lock(mutex_);
  const auto it = jobs_.find(job_id);
  return it == jobs_.end() ? nullptr : it->second;
}

Status EngineJobExecutor::Update(const v1::UpdateJobRequest& request) {
  std::shared_ptr<SupervisedJob> job = Find(request.id());
  if (!job || job->Delivered()) return NotHeld(request.id());
  engine::RunningJob& running = job->Job();
  if (const engine::JobPhase phase = running.Phase();
      phase == engine::JobPhase::kStopping || engine::IsFinal(phase)) {
    return Status(StatusCode::FAILED_PRECONDITION,
                  "job " + request.id() + " is stopping: it takes no more updates");
  }
  if (Status status = CheckUpdate(request, running.GetPlan()); !status.ok()) return status;
  try {
    if (request.has_target_users()) running.SetTargetUsers(request.target_users());
    if (request.has_arrival_rate()) running.SetArrivalRate(request.arrival_rate());
    if (request.has_paused()) request.paused() ? running.Pause() : running.Resume();
  } catch (const engine::JobError& e) {
    return Status(StatusCode::FAILED_PRECONDITION, e.what());
  }
  spdlog::info("job {} updated: {}", request.id(), request.ShortDebugString());
  return Status::OK;
}

Status EngineJobExecutor::Stop(const std::string& job_id, bool immediate,
                               std::optional<std::chrono::nanoseconds> grace) {
  std::shared_ptr<SupervisedJob> job = Find(job_id);
  // A job whose engine has ended is not running, also while its final report is being handed to
  // the registry (a client may already see that report).
  if (!job || job->Delivered() || engine::IsFinal(job->Job().Phase())) return NotHeld(job_id);
  job->Job().Stop(immediate, grace);
  spdlog::info("job {}: {} stop requested", job_id, immediate ? "immediate" : "graceful");
  return Status::OK;
}

std::optional<v1::JobSnapshot> EngineJobExecutor::Snapshot(const std::string& job_id) {
  std::shared_ptr<SupervisedJob> job = Find(job_id);
  if (!job) return std::nullopt;
  return job->Snapshot();
}

bool EngineJobExecutor::ReportInto(const std::string& job_id, v1::Report& into) {
  std::shared_ptr<SupervisedJob> job = Find(job_id);
  if (!job) return false;
  job->ReportInto(into);
  return true;
}

void EngineJobExecutor::Shutdown() {
  std::vector<std::shared_ptr<SupervisedJob>> jobs;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, job] : jobs_) jobs.push_back(job);
  }
  for (const auto& job : jobs) {
    if (!job->Delivered()) job->Job().Stop(/*immediate=*/false);
  }
  std::unique_lock lock(mutex_);
  if (changed_.wait_for(lock, options_.shutdown_timeout, [this] { return all_delivered_; })) {
    return;
  }
  spdlog::error(
      "shutdown: jobs still running after {} s are stopped at once",
      std::chrono::duration_cast<std::chrono::seconds>(options_.shutdown_timeout).count());
  for (const auto& job : jobs) {
    if (!job->Delivered()) job->Job().Stop(/*immediate=*/true);
  }
  // An immediate stop cancels in-flight requests; teardown steps still run, within their timeouts.
  if (!changed_.wait_for(lock, kImmediateStopWait, [this] { return all_delivered_; })) {
    spdlog::error("shutdown: some jobs did not end; they stay without a final report");
  }
}

SteadyClock::time_point EngineJobExecutor::Now() const {
  return options_.engine.clock ? options_.engine.clock->Now() : SteadyClock::now();
}

void EngineJobExecutor::Supervise() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    PollAll();
    lock.lock();
    changed_.wait_for(lock, kPollPeriod, [this] { return stopping_; });
  }
}

void EngineJobExecutor::PollAll() {
  std::vector<std::shared_ptr<SupervisedJob>> jobs;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, job] : jobs_) jobs.push_back(job);
  }
  const auto now = Now();
  bool all_delivered = true;
  std::vector<std::string> expired;
  for (const auto& job : jobs) {
    const bool was_delivered = job->Delivered();
    bool delivered = was_delivered;
    try {
      delivered = job->Poll(now);
    } catch (const std::exception& e) {
      // One job's trouble must not take the daemon (and every other job) down.
      spdlog::error("job {}: supervision failed: {}", job->Id(), e.what());
    }
    if (!delivered) {
      all_delivered = false;
    } else if (!was_delivered) {
      if (metrics_) metrics_->MarkFinished(job->Id(), now);
    } else if (now - job->DeliveredAt() >= options_.retention) {
      expired.push_back(job->Id());
    }
  }
  // Series of finished jobs go after their retention even when nobody scrapes /metrics.
  if (metrics_) metrics_->Prune();
  const std::size_t polled = jobs.size();
  jobs.clear();  // the expired jobs' last references: freed here, before the trim below
  std::unique_lock lock(mutex_);
  for (const std::string& id : expired) jobs_.erase(id);
  if (!expired.empty()) {
    lock.unlock();
    // A job's statistics are many small blocks: hand the freed pages back to the system, so RSS
    // returns to its idle figure once finished jobs are gone.
    malloc_trim(0);
    lock.lock();
  }
  // A job started during this pass has not been polled yet. Decided under the lock Start takes,
  // so this pass's stale answer cannot overwrite a job started meanwhile.
  const bool now_all_delivered = all_delivered && jobs_.size() == polled - expired.size();
  if (now_all_delivered != all_delivered_) {
    all_delivered_ = now_all_delivered;
    changed_.notify_all();
  }
}

}  // namespace throng::api
