// /api/v1/jobs...: the JSON API over JobControl.
#pragma once

#include "request_target.h"
#include "throng/api/http/http_types.h"
#include "throng/api/service/job_control.h"

namespace throng::api::http {

/// Answers requests whose path starts /api/v1/jobs (segments[2] == "jobs"); the caller has
/// authorized them. Stateless apart from `control`; thread-safe.
class JobRoutes {
 public:
  explicit JobRoutes(JobControl& control) : control_(control) {}

  Reply Handle(const Request& request, const RequestTarget& target) const;

 private:
  Reply List(const RequestTarget& target) const;
  Reply Submit(const Request& request, const RequestTarget& target) const;
  Reply Get(const std::string& id) const;
  Reply Update(const Request& request, const std::string& id) const;
  Reply Stop(const Request& request, const std::string& id) const;
  Reply Delete(const std::string& id) const;
  Reply Report(const std::string& id, const RequestTarget& target) const;
  Reply Events(const std::string& id) const;

  JobControl& control_;
};

/// A 405 naming the methods `allow` lists ("GET, POST").
Reply MethodNotAllowed(const char* allow);

/// A JSON reply with `status` and `json`.
Reply JsonReply(beast_http::status status, std::string json);

}  // namespace throng::api::http
