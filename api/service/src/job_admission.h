// Daemon-wide bounds on the jobs that have not ended: total users and jobs held (running or
// queued).
#pragma once

#include <grpcpp/support/status.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "throng/api/registry/job_registry.h"
#include "throng/api/service/service_options.h"
#include "throng/engine/plan.h"

namespace throng::api {

/// The peak users a plan asks for (closed: the largest target or stage; open: max_users;
/// iteration models: users).
std::uint64_t PeakUsers(const engine::Plan& plan);

/// Counts the users and jobs of every job that has not ended (as the registry says) against
/// ServiceOptions' daemon-wide limits. Thread-safe: Admit holds its lock while the caller
/// registers the job, so concurrent submits cannot both take the last place.
class JobAdmission {
 public:
  JobAdmission(const JobRegistry& registry, const ServiceOptions& options);

  /// OK and `register_job()` (which returns the new job's id) called under the lock, or
  /// RESOURCE_EXHAUSTED naming the limit.
  template <class Register>
  grpc::Status Admit(std::uint64_t users, Register&& register_job) {
    std::lock_guard lock(mutex_);
    if (grpc::Status status = CheckLocked(users, std::string()); !status.ok()) return status;
    held_[register_job()] = users;
    return grpc::Status::OK;
  }
  /// OK when job `id` may change to `users` (UpdateJob's target_users); records the new figure.
  grpc::Status Resize(const std::string& id, std::uint64_t users);

 private:
  /// Drops ended jobs, then checks one more job of `users` (replacing `id`'s figure if given).
  grpc::Status CheckLocked(std::uint64_t users, const std::string& id);

  const JobRegistry& registry_;
  const ServiceOptions& options_;
  std::mutex mutex_;
  std::map<std::string, std::uint64_t> held_;  // guarded by mutex_: job id -> peak users
};

}  // namespace throng::api
