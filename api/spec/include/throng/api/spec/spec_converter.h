// Validation of a JobSpec and its conversion into the engine's plain C++ Plan.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "throng/api/spec/spec_limits.h"
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

/// A JobSpec asks for more than a SpecLimits bound allows (the gRPC boundary answers
/// RESOURCE_EXHAUSTED). limit() is the bound's flag, e.g. "--max-users-per-job".
class SpecLimitError : public SpecError {
 public:
  SpecLimitError(std::string field_path, std::string message, std::string limit);
  const std::string& limit() const { return limit_; }

 private:
  std::string limit_;
};

/// What a spec may ask of the converting process: the bounds of SpecLimits (--max-* flags) and
/// what it may read (--allow-env, --feeder-dir). The defaults are throngd's flag defaults: the
/// limits as documented in docs/limits.md, no {{env:NAME}} and no csv_file. Plain value type.
struct ConvertOptions {
  SpecLimits limits;
  /// Environment variables {{env:NAME}} may name: exact names or globs ('*' any run, '?' one
  /// character). Empty: every {{env:...}} is refused.
  std::vector<std::string> allowed_env;
  /// csv_file must lie inside this directory (after resolving "..", symlinks and relative paths,
  /// which are relative to it) and be a regular file. Empty: csv_file is refused.
  std::filesystem::path feeder_dir;
  /// Largest csv_file read, in bytes.
  std::uint64_t max_feeder_file_bytes = 64ull << 20;

  /// What throngctl validates with locally: any environment name and any readable file, within
  /// the default limits (the daemon applies its own options at submit).
  static ConvertOptions Unrestricted();
};

/// Validates `spec` completely and converts it into the plan the engine runs: fills defaults
/// documented in job_spec.proto, parses templates, reads CSV feeders from disk (as `options`
/// allow), compiles regexes and assigns endpoint (stats key) indexes. Throws SpecError at the
/// first invalid field and SpecLimitError at the first bound of `options.limits` exceeded
/// (checked before anything large is built); no error quotes a file's content. Thread-safe (no
/// shared state); may block reading CSV files.
throng::engine::Plan ConvertSpec(const throng::v1::JobSpec& spec,
                                 const ConvertOptions& options = {});

}  // namespace throng::api
