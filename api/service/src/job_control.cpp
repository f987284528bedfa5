#include "throng/api/service/job_control.h"

#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include <mutex>

#include "job_admission.h"
#include "raw_message.h"
#include "throng/api/spec/spec_redaction.h"

namespace throng::api {
namespace {

using google::protobuf::util::TimeUtil;
using grpc::Status;
using grpc::StatusCode;

constexpr const char* kNoExecutor =
    "this daemon runs without a job executor: jobs are validated and registered but not run";

}  // namespace

JobControl::JobControl(JobRegistry& registry, const TargetPolicy& policy, JobExecutor* executor,
                       ServiceOptions options)
    : registry_(registry),
      policy_(policy),
      executor_(executor),
      options_(std::move(options)),
      admission_(std::make_unique<JobAdmission>(registry_, options_)) {}

JobControl::~JobControl() = default;

void JobControl::BeginShutdown() {
  std::unique_lock lock(shutdown_mutex_);
  shutting_down_ = true;
}

Status JobControl::Submit(const v1::SubmitJobRequest& request, v1::Job& job) {
  std::shared_lock lock(shutdown_mutex_);
  if (shutting_down_) {
    return Status(StatusCode::UNAVAILABLE, "the daemon is shutting down and takes no new jobs");
  }
  engine::Plan plan;
  try {
    plan = ConvertSpec(request.spec(), options_.convert);
  } catch (const SpecLimitError& e) {
    return Status(StatusCode::RESOURCE_EXHAUSTED, e.what());
  } catch (const SpecError& e) {
    return Status(StatusCode::INVALID_ARGUMENT, e.what());
  }
  // Checked on the converted plan so the host is the one the engine will connect to.
  if (auto denial = policy_.Denial(plan.http.host)) {
    return Status(StatusCode::PERMISSION_DENIED, "spec.base_url: " + *denial);
  }
  // And again at every connect, on the addresses resolved then (DNS rebinding, redirects).
  plan.http.target_guard = &policy_;
  if (request.validate_only()) {
    job = JobRegistry::Preview(request.spec());
    return Status::OK;
  }
  Status admitted = admission_->Admit(PeakUsers(plan), [&] {
    job = registry_.Create(request.spec());
    return job.id();
  });
  if (!admitted.ok()) return admitted;
  registry_.PruneEnded(options_.job_history, options_.job_history_age);
  spdlog::info("job {} submitted: name={} base_url={}", job.id(), job.spec().name(),
               job.spec().base_url());
  if (executor_ != nullptr) executor_->Start(job.id(), std::move(plan), registry_);
  return Status::OK;
}

Status JobControl::Find(const std::string& id, v1::Job& job) const {
  if (id.empty()) return Status(StatusCode::INVALID_ARGUMENT, "id: required");
  std::optional<v1::Job> found = registry_.Get(id);
  if (!found) return Status(StatusCode::NOT_FOUND, "id: no job '" + id + "'");
  job = std::move(*found);
  return Status::OK;
}

Status JobControl::FindSteerable(const std::string& id, const char* action) const {
  if (executor_ == nullptr) return Status(StatusCode::UNIMPLEMENTED, kNoExecutor);
  v1::Job job;
  if (Status status = Find(id, job); !status.ok()) return status;
  if (IsFinal(job.state())) {
    return Status(StatusCode::FAILED_PRECONDITION, "cannot " + std::string(action) + " job " + id +
                                                       ": it has already ended (" +
                                                       v1::JobState_Name(job.state()) + ")");
  }
  return Status::OK;
}

Status JobControl::Get(const std::string& id, v1::Job& job) const {
  if (Status status = Find(id, job); !status.ok()) return status;
  if (executor_ != nullptr && !IsFinal(job.state())) {
    if (auto snapshot = executor_->Snapshot(id)) {
      *job.mutable_totals() = snapshot->totals();
      *job.mutable_thresholds() = snapshot->thresholds();
    }
  }
  return Status::OK;
}

Status JobControl::List(const v1::ListJobsRequest& request, v1::ListJobsResponse& response) const {
  registry_.PruneEnded(options_.job_history, options_.job_history_age);
  std::vector<v1::JobState> states;
  for (int state : request.states()) states.push_back(static_cast<v1::JobState>(state));
  absl::StatusOr<JobPage> page =
      registry_.List(states, request.page_size(), request.page_token(), options_.max_list_bytes);
  if (!page.ok()) return Status(StatusCode::INVALID_ARGUMENT, std::string(page.status().message()));
  for (v1::Job& job : page->jobs) *response.add_jobs() = std::move(job);
  response.set_next_page_token(page->next_page_token);
  return Status::OK;
}

Status JobControl::Update(const v1::UpdateJobRequest& request, v1::Job& job) {
  Status status = FindSteerable(request.id(), "update");
  if (!status.ok()) return status;
  if (request.has_target_users()) {
    status = admission_->Resize(request.id(), request.target_users());
    if (!status.ok()) return status;
  }
  status = executor_->Update(request);
  return status.ok() ? Find(request.id(), job) : status;
}

Status JobControl::Stop(const v1::StopJobRequest& request, v1::Job& job) {
  Status status = FindSteerable(request.id(), "stop");
  if (!status.ok()) return status;
  std::optional<std::chrono::nanoseconds> grace;
  if (request.has_grace_period()) {
    grace = std::chrono::nanoseconds(TimeUtil::DurationToNanoseconds(request.grace_period()));
    if (grace->count() < 0) {
      return Status(StatusCode::INVALID_ARGUMENT, "grace_period: must not be negative");
    }
  }
  status = executor_->Stop(request.id(), request.immediate(), grace);
  return status.ok() ? Find(request.id(), job) : status;
}

std::optional<std::string> JobControl::StoredFinalReport(const std::string& id) const {
  std::optional<std::string> stored = registry_.FinalReportBytes(id);
  if (stored && !WellFormed(*stored, *v1::Report::descriptor())) {
    spdlog::warn("job {}: its stored report is damaged; answering without it", id);
    return std::nullopt;
  }
  return stored;
}

Status JobControl::Report(const std::string& id, v1::Report& report) const {
  v1::Job job;
  if (Status status = Find(id, job); !status.ok()) return status;
  if (registry_.FinalReportInto(id, report)) return Status::OK;
  // Built straight into `report`: GetReport's response lives on a ReportArena.
  if (executor_ != nullptr && executor_->ReportInto(id, report)) {
    // The job ended since FinalReport() above: the registry has stored it by now.
    if (report.final()) {
      if (auto stored = registry_.FinalReport(id)) {  // rare: a copy keeps `report` if none
        report = std::move(*stored);
        return Status::OK;
      }
    }
    MergeLiveFields(report.job(), job);
    RedactSetupVariables(job.spec(), *report.mutable_setup_variables());
    *report.mutable_job() = std::move(job);
    return Status::OK;
  }
  if (IsFinal(job.state())) {
    // Ended without statistics (interrupted by a crash, or never run): the job is the report.
    *report.mutable_job() = std::move(job);
    report.set_final(true);
    return Status::OK;
  }
  if (executor_ == nullptr) return Status(StatusCode::UNIMPLEMENTED, kNoExecutor);
  return Status(StatusCode::UNAVAILABLE, "job " + id + " has no report yet");
}

Status JobControl::Delete(const std::string& id) {
  if (id.empty()) return Status(StatusCode::INVALID_ARGUMENT, "id: required");
  const absl::Status deleted = registry_.Delete(id);
  if (absl::IsNotFound(deleted))
    return Status(StatusCode::NOT_FOUND, std::string(deleted.message()));
  if (!deleted.ok()) return Status(StatusCode::FAILED_PRECONDITION, std::string(deleted.message()));
  spdlog::info("job {} deleted", id);
  return Status::OK;
}

Status JobControl::CheckWatchable(const std::string& id) const {
  if (executor_ == nullptr) return Status(StatusCode::UNIMPLEMENTED, kNoExecutor);
  v1::Job job;
  return Find(id, job);
}

v1::JobSnapshot JobControl::Snapshot(const std::string& id) const {
  if (executor_ != nullptr) {
    if (std::optional<v1::JobSnapshot> live = executor_->Snapshot(id)) return std::move(*live);
  }
  // The executor no longer holds the job: it has ended, so the registry's state is the last word.
  v1::JobSnapshot snapshot;
  snapshot.set_id(id);
  if (std::optional<v1::Job> job = registry_.Get(id)) {
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

}  // namespace throng::api
