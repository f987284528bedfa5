// The body of POST /api/v1/jobs: a YAML or JSON JobSpec plus the start form's overrides.
#pragma once

#include <optional>
#include <string>

#include "request_target.h"
#include "throng/api/http/http_types.h"
#include "throng/v1/job_spec.pb.h"

namespace throng::api::http {

/// A body that is not a usable spec: the message and the field path it names ("" for the
/// whole body).
struct SpecBodyError {
  std::string message;
  std::string field;
};

/// Parses `body` (YAML, and so JSON, which YAML reads too) with the loader throngctl uses (no
/// ${VAR} substitution on the daemon), then applies the query's users, spawn_rate, run_time and
/// host overrides. Returns the error instead when either fails.
std::optional<SpecBodyError> ParseSpecBody(const std::string& body, const RequestTarget& target,
                                           v1::JobSpec& spec);

}  // namespace throng::api::http
