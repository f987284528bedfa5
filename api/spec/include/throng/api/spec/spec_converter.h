// Validation of a JobSpec and its conversion into the engine's plain C++ Plan.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

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

/// What a job may make the converting process read: the daemon's --allow-env and --feeder-dir.
/// The defaults allow nothing (no {{env:NAME}}, no csv_file).
struct ConvertOptions {
  /// Environment variables {{env:NAME}} may name: exact names or globs ('*' any run, '?' one
  /// character). Empty: every {{env:...}} is refused.
  std::vector<std::string> allowed_env;
  /// csv_file must lie inside this directory (after resolving "..", symlinks and relative paths,
  /// which are relative to it) and be a regular file. Empty: csv_file is refused.
  std::filesystem::path feeder_dir;
  /// Largest csv_file read, in bytes.
  std::uint64_t max_feeder_file_bytes = 64ull << 20;

  /// What throngctl validates with locally: any environment name and any readable file (the
  /// daemon applies its own, stricter options at submit).
  static ConvertOptions Unrestricted();
};

/// Validates `spec` completely and converts it into the plan the engine runs: fills defaults
/// documented in job_spec.proto, parses templates, reads CSV feeders from disk (as `options`
/// allow), compiles regexes and assigns endpoint (stats key) indexes. Throws SpecError at the
/// first invalid field; no error quotes a file's content. Thread-safe (no shared state); may
/// block reading CSV files.
throng::engine::Plan ConvertSpec(const throng::v1::JobSpec& spec,
                                 const ConvertOptions& options = {});

}  // namespace throng::api
