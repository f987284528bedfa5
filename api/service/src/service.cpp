#include "throng/api/service/service.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <optional>
#include <stdexcept>
#include <string>

#include "raw_message.h"
#include "throng/api/common/report_arena.h"
#include "watch_reactor.h"

namespace throng::api {
namespace {

using grpc::Status;
using grpc::StatusCode;

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
                                     JobExecutor* executor, ServiceOptions options)
    : authorizer_(options.authorizer), control_(registry, policy, executor, std::move(options)) {}

Status LoadTesterService::Authorize(const grpc::CallbackServerContext* context,
                                    Action action) const {
  if (authorizer_ == nullptr || context == nullptr) return Status::OK;
  return authorizer_->AuthorizeCall(*context, action);
}

void LoadTesterService::BeginShutdown() { control_.BeginShutdown(); }

grpc::ServerUnaryReactor* LoadTesterService::SubmitJob(grpc::CallbackServerContext* context,
                                                       const grpc::ByteBuffer* request,
                                                       grpc::ByteBuffer* response) {
  return Respond(context, "SubmitJob", [&] {
    if (Status denied = Authorize(context, Action::kControl); !denied.ok()) return denied;
    v1::SubmitJobRequest parsed;
    if (Status undecodable = ParseRequest(*request, parsed); !undecodable.ok()) return undecodable;
    v1::Job job;
    if (Status status = control_.Submit(parsed, job); !status.ok()) return status;
    return SerializeResponse(job, *response);
  });
}

grpc::ServerUnaryReactor* LoadTesterService::GetJob(grpc::CallbackServerContext* context,
                                                    const v1::GetJobRequest* request,
                                                    v1::Job* response) {
  return Respond(context, "GetJob", [&] {
    if (Status denied = Authorize(context, Action::kRead); !denied.ok()) return denied;
    return control_.Get(request->id(), *response);
  });
}

grpc::ServerUnaryReactor* LoadTesterService::ListJobs(grpc::CallbackServerContext* context,
                                                      const v1::ListJobsRequest* request,
                                                      v1::ListJobsResponse* response) {
  return Respond(context, "ListJobs", [&] {
    if (Status denied = Authorize(context, Action::kRead); !denied.ok()) return denied;
    return control_.List(*request, *response);
  });
}

grpc::ServerWriteReactor<v1::JobSnapshot>* LoadTesterService::WatchJob(
    grpc::CallbackServerContext* context, const v1::WatchJobRequest* request) {
  Status status;
  std::optional<std::chrono::milliseconds> interval;
  try {
    // A refused call is answered by the FailedWatch below, before anything about the job is read.
    if ((status = Authorize(context, Action::kRead)).ok() &&
        (status = control_.CheckWatchable(request->id())).ok()) {
      interval = WatchInterval(*request, status);
    }
  } catch (const std::exception& e) {
    status = Status(StatusCode::INTERNAL, std::string("WatchJob: ") + e.what());
  }
  if (!interval) return new FailedWatch(status);
  return new WatchReactor(request->id(), *interval, control_);
}

grpc::ServerUnaryReactor* LoadTesterService::UpdateJob(grpc::CallbackServerContext* context,
                                                       const v1::UpdateJobRequest* request,
                                                       v1::Job* response) {
  return Respond(context, "UpdateJob", [&] {
    if (Status denied = Authorize(context, Action::kControl); !denied.ok()) return denied;
    return control_.Update(*request, *response);
  });
}

grpc::ServerUnaryReactor* LoadTesterService::StopJob(grpc::CallbackServerContext* context,
                                                     const v1::StopJobRequest* request,
                                                     v1::Job* response) {
  return Respond(context, "StopJob", [&] {
    if (Status denied = Authorize(context, Action::kControl); !denied.ok()) return denied;
    return control_.Stop(*request, *response);
  });
}

grpc::ServerUnaryReactor* LoadTesterService::GetReport(grpc::CallbackServerContext* context,
                                                       const grpc::ByteBuffer* request,
                                                       grpc::ByteBuffer* response) {
  return Respond(context, "GetReport", [&] {
    v1::GetReportRequest parsed;
    if (Status undecodable = ParseRequest(*request, parsed); !undecodable.ok()) return undecodable;
    const bool reveal = parsed.reveal_setup_variables();
    if (Status denied = Authorize(context, reveal ? Action::kControl : Action::kRead);
        !denied.ok()) {
      return denied;
    }
    if (!reveal) {
      if (const std::optional<std::string> stored = control_.StoredFinalReport(parsed.id())) {
        grpc::Slice slice(*stored);
        grpc::ByteBuffer bytes(&slice, 1);
        response->Swap(&bytes);
        return Status::OK;
      }
    }
    ReportArena arena;
    v1::Report& report = *arena.Create<v1::Report>();
    Status status = control_.Report(parsed.id(), report);
    if (status.ok() && reveal) status = control_.RevealSetupVariables(parsed.id(), report);
    return status.ok() ? SerializeResponse(report, *response) : status;
  });
}

grpc::ServerUnaryReactor* LoadTesterService::DeleteJob(grpc::CallbackServerContext* context,
                                                       const v1::DeleteJobRequest* request,
                                                       v1::DeleteJobResponse* /*response*/) {
  return Respond(context, "DeleteJob", [&] {
    if (Status denied = Authorize(context, Action::kControl); !denied.ok()) return denied;
    return control_.Delete(request->id());
  });
}

}  // namespace throng::api
