#include "job_routes.h"

#include "event_stream.h"
#include "http_errors.h"
#include "proto_json.h"
#include "report_download.h"
#include "spec_body.h"
#include "throng/api/common/report_arena.h"

namespace throng::api::http {
namespace {

Reply StatusReply(const grpc::Status& status) { return {StatusResponse(status), nullptr}; }

/// A body that is empty or "{}"-like is allowed where every field is optional.
bool Blank(const std::string& body) {
  return body.find_first_not_of(" \t\r\n") == std::string::npos;
}

grpc::Status ParseStates(const RequestTarget& target, v1::ListJobsRequest& request) {
  const auto [begin, end] = target.all.equal_range("state");
  for (auto it = begin; it != end; ++it) {
    v1::JobState state;
    if (!v1::JobState_Parse(it->second, &state)) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "state: unknown job state '" + it->second + "'");
    }
    request.add_states(state);
  }
  return grpc::Status::OK;
}

}  // namespace

Reply JsonReply(beast_http::status status, std::string json) {
  return {MakeResponse(status, "application/json", std::move(json)), nullptr};
}

Reply MethodNotAllowed(const char* allow) {
  Reply reply{ErrorResponse(beast_http::status::method_not_allowed, "METHOD_NOT_ALLOWED",
                            std::string("allowed: ") + allow),
              nullptr};
  reply.response.set(beast_http::field::allow, allow);
  return reply;
}

Reply JobRoutes::Handle(const Request& request, const RequestTarget& target) const {
  const auto& segments = target.segments;
  const auto method = request.method();
  if (segments.size() == 3) {
    if (method == beast_http::verb::get) return List(target);
    if (method == beast_http::verb::post) return Submit(request, target);
    return MethodNotAllowed("GET, POST");
  }
  const std::string& id = segments[3];
  if (segments.size() == 4) {
    if (method == beast_http::verb::get) return Get(id);
    if (method == beast_http::verb::patch) return Update(request, id);
    if (method == beast_http::verb::delete_) return Delete(id);
    return MethodNotAllowed("GET, PATCH, DELETE");
  }
  if (segments.size() == 5 && segments[4] == "stop") {
    if (method == beast_http::verb::post) return Stop(request, id);
    return MethodNotAllowed("POST");
  }
  if (segments.size() == 5 && segments[4] == "report") {
    if (method == beast_http::verb::get) return Report(id, target);
    return MethodNotAllowed("GET");
  }
  if (segments.size() == 5 && segments[4] == "events") {
    if (method == beast_http::verb::get) return Events(id);
    return MethodNotAllowed("GET");
  }
  return {
      ErrorResponse(beast_http::status::not_found, "NOT_FOUND", "no such route: " + target.path),
      nullptr};
}

Reply JobRoutes::List(const RequestTarget& target) const {
  v1::ListJobsRequest request;
  if (grpc::Status status = ParseStates(target, request); !status.ok()) {
    return StatusReply(status);
  }
  if (auto size = target.Param("page_size")) {
    try {
      const unsigned long value = std::stoul(*size);
      if (value > 1000000) throw std::out_of_range("page_size");
      request.set_page_size(static_cast<std::uint32_t>(value));
    } catch (const std::exception&) {
      return StatusReply(
          grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "page_size: expected a whole number"));
    }
  }
  if (auto token = target.Param("page_token")) request.set_page_token(*token);
  v1::ListJobsResponse response;
  if (grpc::Status status = control_.List(request, response); !status.ok()) {
    return StatusReply(status);
  }
  return JsonReply(beast_http::status::ok, ToJson(response));
}

Reply JobRoutes::Submit(const Request& request, const RequestTarget& target) const {
  v1::SubmitJobRequest submit;
  if (auto error = ParseSpecBody(request.body(), target, *submit.mutable_spec())) {
    return {ErrorResponse(beast_http::status::bad_request, "INVALID_ARGUMENT", error->message,
                          error->field),
            nullptr};
  }
  const std::string validate_only = target.Param("validate_only").value_or("false");
  if (validate_only != "true" && validate_only != "false") {
    return StatusReply(
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "validate_only: expected true or false"));
  }
  submit.set_validate_only(validate_only == "true");
  v1::Job job;
  if (grpc::Status status = control_.Submit(submit, job); !status.ok()) {
    return StatusReply(status);
  }
  Reply reply = JsonReply(
      submit.validate_only() ? beast_http::status::ok : beast_http::status::created, ToJson(job));
  if (!submit.validate_only()) {
    reply.response.set(beast_http::field::location, "/api/v1/jobs/" + job.id());
  }
  return reply;
}

Reply JobRoutes::Get(const std::string& id) const {
  v1::Job job;
  if (grpc::Status status = control_.Get(id, job); !status.ok()) return StatusReply(status);
  return JsonReply(beast_http::status::ok, ToJson(job));
}

Reply JobRoutes::Update(const Request& request, const std::string& id) const {
  v1::UpdateJobRequest update;
  if (grpc::Status status = FromJson(request.body(), update, "body"); !status.ok()) {
    return StatusReply(status);
  }
  if (!update.id().empty() && update.id() != id) {
    return StatusReply(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                    "id: the body names another job than the path"));
  }
  update.set_id(id);
  v1::Job job;
  if (grpc::Status status = control_.Update(update, job); !status.ok()) {
    return StatusReply(status);
  }
  return JsonReply(beast_http::status::ok, ToJson(job));
}

Reply JobRoutes::Stop(const Request& request, const std::string& id) const {
  v1::StopJobRequest stop;
  if (!Blank(request.body())) {
    if (grpc::Status status = FromJson(request.body(), stop, "body"); !status.ok()) {
      return StatusReply(status);
    }
  }
  stop.set_id(id);
  v1::Job job;
  if (grpc::Status status = control_.Stop(stop, job); !status.ok()) return StatusReply(status);
  return JsonReply(beast_http::status::ok, ToJson(job));
}

Reply JobRoutes::Delete(const std::string& id) const {
  if (grpc::Status status = control_.Delete(id); !status.ok()) return StatusReply(status);
  return JsonReply(beast_http::status::ok, "{}");
}

Reply JobRoutes::Report(const std::string& id, const RequestTarget& target) const {
  ReportArena arena;  // a running job's report is thousands of messages: keep them off the heap
  v1::Report& report = *arena.Create<v1::Report>();
  if (grpc::Status status = control_.Report(id, report); !status.ok()) {
    return StatusReply(status);
  }
  const std::string format = target.Param("format").value_or("");
  if (format.empty()) return JsonReply(beast_http::status::ok, ToJson(report));
  std::optional<Response> download = ReportDownload(report, format);
  if (!download) {
    return StatusReply(
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "format: expected json, html or csv"));
  }
  return {std::move(*download), nullptr};
}

Reply JobRoutes::Events(const std::string& id) const {
  if (grpc::Status status = control_.CheckWatchable(id); !status.ok()) {
    return StatusReply(status);
  }
  Reply reply{MakeResponse(beast_http::status::ok, "text/event-stream", ""), nullptr};
  reply.events = MakeJobEventSource(control_, id);
  return reply;
}

}  // namespace throng::api::http
