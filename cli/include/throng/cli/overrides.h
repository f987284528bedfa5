#pragma once

#include <map>
#include <optional>
#include <string>

#include "throng/cli/selection.h"
#include "throng/v1/job_spec.pb.h"

namespace throng::cli {

/// Locust-style command-line overrides applied after a scenario file is loaded.
struct Overrides {
  /// Closed model: the user count (stages are dropped); iteration models: their `users`.
  std::optional<unsigned> users;
  /// Closed model: users started per second.
  std::optional<double> spawn_rate;
  /// Total run time, a duration such as "90s" or "1m30s"; clears `unbounded`.
  std::optional<std::string> run_time;
  /// Replaces base_url.
  std::optional<std::string> host;
  /// Entries set in spec.variables.
  std::map<std::string, std::string> variables;
  /// User classes (positional CLASS arguments) and task tags to run; applied after the rest.
  Selection selection;
};

/// Parses "KEY=VALUE" (from -e) into `overrides->variables`; throws InputError if there is no '='.
void AddVariableOverride(const std::string& key_value, Overrides* overrides);

/// Applies `overrides` to `spec`; throws InputError when one does not fit the load model (e.g.
/// --spawn-rate on an open model). A spec without a load model gets a closed one for --users.
void ApplyOverrides(const Overrides& overrides, throng::v1::JobSpec* spec);

}  // namespace throng::cli
