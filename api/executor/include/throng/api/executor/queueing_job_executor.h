// A JobExecutor decorator that bounds how many jobs run at once; the rest wait QUEUED.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "throng/api/executor/job_executor.h"

namespace throng::api {

/// Runs at most `max_running` jobs on `inner` at a time (the --max-running-jobs limit). Jobs
/// started beyond it are reported QUEUED and start in submission order as running jobs end; a
/// queued job can be stopped (it ends STOPPED with no statistics). Owns `inner`. Thread-safe;
/// it is also the event sink `inner` reports to, forwarding every event to the job's own sink.
class QueueingJobExecutor final : public JobExecutor, private JobEventSink {
 public:
  /// Throws std::invalid_argument unless `inner` is non-null and `max_running` >= 1.
  QueueingJobExecutor(std::unique_ptr<JobExecutor> inner, std::size_t max_running);
  ~QueueingJobExecutor() override;

  void Start(const std::string& job_id, engine::Plan plan, JobEventSink& sink) override;
  grpc::Status Update(const v1::UpdateJobRequest& request) override;
  grpc::Status Stop(const std::string& job_id, bool immediate,
                    std::optional<std::chrono::nanoseconds> grace) override;
  std::optional<v1::JobSnapshot> Snapshot(const std::string& job_id) override;
  bool ReportInto(const std::string& job_id, v1::Report& into) override;
  void Shutdown() override;

  /// Jobs waiting for a slot (for tests and logs).
  std::size_t QueuedCount() const;

 private:
  struct Queued {
    std::string id;
    engine::Plan plan;
  };

  void OnStateChanged(const std::string& job_id, v1::JobState state, const std::string& error,
                      v1::Verdict verdict) override;
  void OnFinalReport(const std::string& job_id, const v1::Report& report) override;
  void OnCheckpoint(const std::string& job_id, const v1::Report& report) override;
  void OnSerializedFinalReport(const std::string& job_id, const SerializedReport& report) override;
  void OnSerializedCheckpoint(const std::string& job_id, const SerializedReport& report) override;
  /// The sink job `job_id` was started with; null once it has ended.
  JobEventSink* SinkOf(const std::string& job_id) const;
  /// Job `job_id` ended: frees its slot and starts queued jobs while slots are free.
  void Release(const std::string& job_id);
  bool IsQueued(const std::string& job_id) const;

  const std::unique_ptr<JobExecutor> inner_;
  const std::size_t max_running_;
  mutable std::mutex mutex_;
  std::deque<Queued> queue_;                    // guarded by mutex_
  std::set<std::string> running_;               // guarded by mutex_
  std::map<std::string, JobEventSink*> sinks_;  // guarded by mutex_
  bool shutting_down_ = false;                  // guarded by mutex_
};

}  // namespace throng::api
