#pragma once

#include <string>
#include <string_view>

#include "throng/cli/env_substitution.h"
#include "throng/v1/job_spec.pb.h"

namespace throng::cli {

/// Loads a scenario file: `${VAR}` substitution, YAML parsing, a walk of the YAML against the
/// JobSpec descriptor (unknown fields, types, durations, enums checked with file:line and field
/// path), then protobuf's JSON mapping. Throws InputError on any problem.
throng::v1::JobSpec LoadScenarioFile(const std::string& path, const EnvLookup& env = ProcessEnv());

/// As LoadScenarioFile, from text; `source_name` is used in error messages.
throng::v1::JobSpec LoadScenarioText(std::string_view text, const std::string& source_name,
                                     const EnvLookup& env = ProcessEnv());

/// Number of request steps anywhere in the spec (setup, teardown, on_start, on_stop, tasks,
/// including inside choices and repeats).
int CountRequests(const throng::v1::JobSpec& spec);

}  // namespace throng::cli
