// YAML scenario text -> JobSpec: the one loader behind throngctl's files and throngd's HTTP API.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "throng/v1/job_spec.pb.h"

namespace throng::api {

/// A scenario that does not map onto JobSpec. what() is "SOURCE[:LINE]: FIELD.PATH: what";
/// field_path() is the path alone ("spec.load.closed.users"), empty for errors of the whole
/// text (invalid YAML, empty file).
class YamlSpecError : public std::runtime_error {
 public:
  YamlSpecError(const std::string& message, std::string field_path)
      : std::runtime_error(message), field_path_(std::move(field_path)) {}
  const std::string& field_path() const { return field_path_; }

 private:
  std::string field_path_;
};

/// Parses `yaml` (no `${VAR}` substitution: that is the caller's choice) and walks it against
/// the JobSpec descriptor (unknown fields with suggestions, types, durations, enums), then maps
/// it through protobuf's JSON mapping. `source_name` starts every error message. Throws
/// YamlSpecError. Thread-safe.
v1::JobSpec ParseYamlSpec(std::string_view yaml, const std::string& source_name);

/// Locust's start-form overrides (throngctl's -u, -r, -t, -H; the web console's form).
struct LoadOverrides {
  /// Closed model: the user count (stages are dropped); iteration models: their `users`.
  std::optional<unsigned> users;
  /// Closed model: users started per second.
  std::optional<double> spawn_rate;
  /// Total run time, a duration such as "90s" or "1m30s"; clears `unbounded`.
  std::optional<std::string> run_time;
  /// Replaces base_url.
  std::optional<std::string> host;
};

/// Applies `overrides` to `spec`. Throws SpecError whose field_path() is the override's name
/// ("users", "spawn_rate", "run_time") when it does not fit the load model or does not parse. A
/// spec without a load model gets a closed one for `users`.
void ApplyLoadOverrides(const LoadOverrides& overrides, v1::JobSpec& spec);

}  // namespace throng::api
