#include "job_admission.h"

#include <algorithm>
#include <variant>

#include "throng/api/common/job_messages.h"

namespace throng::api {
namespace {

struct PeakUsersOf {
  std::uint64_t operator()(const engine::ClosedModelPlan& closed) const {
    std::uint64_t peak = closed.users;
    for (const auto& stage : closed.stages) peak = std::max<std::uint64_t>(peak, stage.users);
    return peak;
  }
  std::uint64_t operator()(const engine::OpenModelPlan& open) const { return open.max_users; }
  std::uint64_t operator()(const engine::PerUserIterationsPlan& model) const { return model.users; }
  std::uint64_t operator()(const engine::SharedIterationsPlan& model) const { return model.users; }
};

grpc::Status Exhausted(const std::string& message) {
  return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, message);
}

}  // namespace

std::uint64_t PeakUsers(const engine::Plan& plan) {
  return std::visit(PeakUsersOf{}, plan.load.model);
}

JobAdmission::JobAdmission(const JobRegistry& registry, const ServiceOptions& options)
    : registry_(registry), options_(options) {}

grpc::Status JobAdmission::Resize(const std::string& id, std::uint64_t users) {
  if (users > options_.convert.limits.max_users_per_job) {
    return Exhausted("target_users: " + std::to_string(users) +
                     " exceeds the limit --max-users-per-job (" +
                     std::to_string(options_.convert.limits.max_users_per_job) + " users)");
  }
  std::lock_guard lock(mutex_);
  if (grpc::Status status = CheckLocked(users, id); !status.ok()) return status;
  held_[id] = users;
  return grpc::Status::OK;
}

grpc::Status JobAdmission::CheckLocked(std::uint64_t users, const std::string& id) {
  std::erase_if(held_, [&](const auto& entry) {
    const std::optional<v1::Job> job = registry_.Get(entry.first);
    return !job || IsFinal(job->state());
  });
  std::uint64_t total = users;
  for (const auto& [held_id, held_users] : held_) total += held_id == id ? 0 : held_users;
  if (total > options_.max_users_per_daemon) {
    return Exhausted(std::string(id.empty() ? "spec.load" : "target_users") + ": " +
                     std::to_string(users) + " users would make " + std::to_string(total) +
                     " on this daemon, beyond the limit --max-users-per-daemon (" +
                     std::to_string(options_.max_users_per_daemon) + " users)");
  }
  if (id.empty() && held_.size() >= options_.max_jobs_held) {
    return Exhausted("spec: " + std::to_string(held_.size()) +
                     " jobs are running or queued, the limit --max-queued-jobs plus "
                     "--max-running-jobs (" +
                     std::to_string(options_.max_jobs_held) + " jobs)");
  }
  return grpc::Status::OK;
}

}  // namespace throng::api
