// Validation of a JobSpec and its conversion into the engine's plain C++ Plan.
#pragma once

#include <stdexcept>
#include <string>

#include "throng/engine/plan.h"
#include "throng/v1/job_spec.pb.h"

namespace throng::api {

/// A JobSpec field is invalid. what() is "<field_path>: <message>"; field_path() is the offending
/// field, e.g. "spec.user_classes[0].tasks[1].steps[2].request.path" (for INVALID_ARGUMENT).
class SpecError : public std::runtime_error {
 public:
  SpecError(std::string field_path, std::string message);
  const std::string& field_path() const { return field_path_; }
  /// The problem without the path, e.g. "must be > 0".
  const std::string& message() const { return message_; }

 private:
  std::string field_path_;
  std::string message_;
};

/// Validates `spec` completely and converts it into the plan the engine runs: fills defaults
/// documented in job_spec.proto, parses templates, reads CSV feeders from disk, compiles regexes
/// and assigns endpoint (stats key) indexes. Throws SpecError at the first invalid field.
/// Thread-safe (no shared state); may block reading CSV files.
throng::engine::Plan ConvertSpec(const throng::v1::JobSpec& spec);

}  // namespace throng::api
