#include "throng/api/service/service.h"

#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include <exception>
#include <mutex>
#include <stdexcept>

#include "throng/api/spec/spec_converter.h"
#include "watch_reactor.h"

namespace throng::api {
namespace {

using grpc::Status;
using grpc::StatusCode;

constexpr const char* kNoExecutor =
    "this daemon runs without a job executor: jobs are validated and registered but not run";

/// Runs `handler` and finishes the reactor with its status; exceptions become INTERNAL so that
/// none escapes into gRPC's threads.
template <typename Handler>
grpc::ServerUnaryReactor* Respond(grpc::CallbackServerContext* context, const char* method,
                                  Handler&& handler) {
  Status status;
  try {
    status = handler();
  } catch (const std::exception& e) {
    spdlog::error("{} failed: {}", method, e.what());
    status = Status(StatusCode::INTERNAL, std::string(method) + ": " + e.what());
  } catch (...) {
    spdlog::error("{} failed with an unknown exception", method);
    status = Status(StatusCode::INTERNAL, std::string(method) + ": internal error");
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

}  // namespace

LoadTesterService::LoadTesterService(JobRegistry& registry, const TargetPolicy& policy,
                                     JobExecutor* executor, ServiceSecurity security)
    : registry_(registry), policy_(policy), executor_(executor), security_(std::move(security)) {}

Status LoadTesterService::Authorize(const grpc::CallbackServerContext* context,
                                    Action action) const {
  if (security_.authorizer == nullptr || context == nullptr) return Status::OK;
  return security_.authorizer->AuthorizeCall(*context, action);
}

void LoadTesterService::BeginShutdown() {
  std::unique_lock lock(shutdown_mutex_);
  shutting_down_ = true;
}

Status LoadTesterService::Submit(const v1::SubmitJobRequest& request, v1::Job& response) {
  std::shared_lock lock(shutdown_mutex_);
  if (shutting_down_) {
    return Status(StatusCode::UNAVAILABLE, "the daemon is shutting down and takes no new jobs");
  }
  engine::Plan plan;
  try {
    plan = ConvertSpec(request.spec(), security_.convert);
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
    response = JobRegistry::Preview(request.spec());
    return Status::OK;
  }
  response = registry_.Create(request.spec());
  spdlog::info("job {} submitted: name={} base_url={}", response.id(), response.spec().name(),
               response.spec().base_url());
  if (executor_ != nullptr) executor_->Start(response.id(), std::move(plan), registry_);
  return Status::OK;
}

Status LoadTesterService::Find(const std::string& id, v1::Job& job) const {
  if (id.empty()) return Status(StatusCode::INVALID_ARGUMENT, "id: required");
  std::optional<v1::Job> found = registry_.Get(id);
  if (!found) return Status(StatusCode::NOT_FOUND, "id: no job '" + id + "'");
  job = std::move(*found);
  return Status::OK;
}

Status LoadTesterService::FindSteerable(const std::string& id, const char* action) const {
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

grpc::ServerUnaryReactor* LoadTesterService::SubmitJob(grpc::CallbackServerContext* context,
                                                       const v1::SubmitJobRequest* request,
                                                       v1::Job* response) {
  return Respond(context, "SubmitJob", [&] {
    if (Status denied = Authorize(context, Action::kControl); !denied.ok()) return denied;
    return Submit(*request, *response);
  });
}

grpc::ServerUnaryReactor* LoadTesterService::GetJob(grpc::CallbackServerContext* context,
                                                    const v1::GetJobRequest* request,
                                                    v1::Job* response) {
  return Respond(context, "GetJob", [&] {
    if (Status denied = Authorize(context, Action::kRead); !denied.ok()) return denied;
    if (Status status = Find(request->id(), *response); !status.ok()) return status;
    if (executor_ != nullptr && !IsFinal(response->state())) {
      if (auto snapshot = executor_->Snapshot(request->id())) {
        *response->mutable_totals() = snapshot->totals();
        *response->mutable_thresholds() = snapshot->thresholds();
      }
    }
    return Status::OK;
  });
}

grpc::ServerUnaryReactor* LoadTesterService::ListJobs(grpc::CallbackServerContext* context,
                                                      const v1::ListJobsRequest* request,
                                                      v1::ListJobsResponse* response) {
  return Respond(context, "ListJobs", [&] {
    if (Status denied = Authorize(context, Action::kRead); !denied.ok()) return denied;
    std::vector<v1::JobState> states;
    for (int state : request->states()) states.push_back(static_cast<v1::JobState>(state));
    absl::StatusOr<JobPage> page =
        registry_.List(states, request->page_size(), request->page_token());
    if (!page.ok()) {
      return Status(StatusCode::INVALID_ARGUMENT, std::string(page.status().message()));
    }
    for (v1::Job& job : page->jobs) *response->add_jobs() = std::move(job);
    response->set_next_page_token(page->next_page_token);
    return Status::OK;
  });
}

grpc::ServerWriteReactor<v1::JobSnapshot>* LoadTesterService::WatchJob(
    grpc::CallbackServerContext* context, const v1::WatchJobRequest* request) {
  Status status;
  std::optional<std::chrono::milliseconds> interval;
  try {
    if (!(status = Authorize(context, Action::kRead)).ok()) {
      // Refused: answered by the FailedWatch below, before anything about the job is read.
    } else if (executor_ == nullptr) {
      status = Status(StatusCode::UNIMPLEMENTED, kNoExecutor);
    } else if (v1::Job job; (status = Find(request->id(), job)).ok()) {
      interval = WatchInterval(*request, status);
    }
  } catch (const std::exception& e) {
    status = Status(StatusCode::INTERNAL, std::string("WatchJob: ") + e.what());
  }
  if (!interval) return new FailedWatch(status);
  return new WatchReactor(request->id(), *interval, *executor_, registry_);
}

grpc::ServerUnaryReactor* LoadTesterService::UpdateJob(grpc::CallbackServerContext* context,
                                                       const v1::UpdateJobRequest* request,
                                                       v1::Job* response) {
  return Respond(context, "UpdateJob", [&] {
    if (Status denied = Authorize(context, Action::kControl); !denied.ok()) return denied;
    Status status = FindSteerable(request->id(), "update");
    if (!status.ok()) return status;
    status = executor_->Update(*request);
    return status.ok() ? Find(request->id(), *response) : status;
  });
}

grpc::ServerUnaryReactor* LoadTesterService::StopJob(grpc::CallbackServerContext* context,
                                                     const v1::StopJobRequest* request,
                                                     v1::Job* response) {
  return Respond(context, "StopJob", [&] {
    if (Status denied = Authorize(context, Action::kControl); !denied.ok()) return denied;
    Status status = FindSteerable(request->id(), "stop");
    if (!status.ok()) return status;
    std::optional<std::chrono::nanoseconds> grace;
    if (request->has_grace_period()) {
      grace = std::chrono::nanoseconds(
          google::protobuf::util::TimeUtil::DurationToNanoseconds(request->grace_period()));
      if (grace->count() < 0) {
        return Status(StatusCode::INVALID_ARGUMENT, "grace_period: must not be negative");
      }
    }
    status = executor_->Stop(request->id(), request->immediate(), grace);
    return status.ok() ? Find(request->id(), *response) : status;
  });
}

grpc::ServerUnaryReactor* LoadTesterService::GetReport(grpc::CallbackServerContext* context,
                                                       const v1::GetReportRequest* request,
                                                       v1::Report* response) {
  return Respond(context, "GetReport", [&] {
    if (Status denied = Authorize(context, Action::kRead); !denied.ok()) return denied;
    v1::Job job;
    if (Status status = Find(request->id(), job); !status.ok()) return status;
    if (auto stored = registry_.FinalReport(request->id())) {
      *response = std::move(*stored);
      return Status::OK;
    }
    if (executor_ != nullptr) {
      if (auto live = executor_->Report(request->id())) {
        // The job ended since FinalReport() above: the registry has stored it by now.
        if (live->final()) {
          if (auto stored = registry_.FinalReport(request->id())) {
            *response = std::move(*stored);
            return Status::OK;
          }
        }
        MergeLiveFields(live->job(), job);
        *live->mutable_job() = std::move(job);
        *response = std::move(*live);
        return Status::OK;
      }
    }
    if (IsFinal(job.state())) {
      // Ended without statistics (interrupted by a crash, or never run): the job is the report.
      *response->mutable_job() = std::move(job);
      response->set_final(true);
      return Status::OK;
    }
    if (executor_ == nullptr) return Status(StatusCode::UNIMPLEMENTED, kNoExecutor);
    return Status(StatusCode::UNAVAILABLE, "job " + request->id() + " has no report yet");
  });
}

}  // namespace throng::api
