#include "throng/cli/overrides.h"

#include "throng/cli/duration.h"
#include "throng/cli/error.h"

namespace throng::cli {

void AddVariableOverride(const std::string& key_value, Overrides* overrides) {
  const std::size_t eq = key_value.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw InputError("-e: expected KEY=VALUE");
  }
  overrides->variables[key_value.substr(0, eq)] = key_value.substr(eq + 1);
}

void ApplyOverrides(const Overrides& overrides, throng::v1::JobSpec* spec) {
  using throng::v1::LoadProfile;
  LoadProfile* load = spec->mutable_load();
  if (overrides.users) {
    switch (load->model_case()) {
      case LoadProfile::kPerUserIterations:
        load->mutable_per_user_iterations()->set_users(*overrides.users);
        break;
      case LoadProfile::kSharedIterations:
        load->mutable_shared_iterations()->set_users(*overrides.users);
        break;
      case LoadProfile::kOpen:
        throw InputError(
            "--users: the job uses the open model (arrival rate); it has no user count");
      default:
        // Like Locust's -u: a flat population replaces any staged shape.
        load->mutable_closed()->clear_stages();
        load->mutable_closed()->set_users(*overrides.users);
    }
  }
  if (overrides.spawn_rate) {
    if (load->model_case() != LoadProfile::kClosed &&
        load->model_case() != LoadProfile::MODEL_NOT_SET) {
      throw InputError("--spawn-rate: only the closed model (a user population) has a spawn rate");
    }
    if (*overrides.spawn_rate <= 0) throw InputError("--spawn-rate: must be positive");
    load->mutable_closed()->set_spawn_rate(*overrides.spawn_rate);
  }
  if (overrides.run_time) {
    std::chrono::nanoseconds run_time;
    try {
      run_time = ParseDuration(*overrides.run_time);
    } catch (const InputError& error) {
      throw InputError(std::string("--run-time: ") + error.what());
    }
    load->clear_unbounded();
    load->mutable_duration()->set_seconds(run_time.count() / 1'000'000'000);
    load->mutable_duration()->set_nanos(static_cast<int>(run_time.count() % 1'000'000'000));
  }
  if (overrides.host) spec->set_base_url(*overrides.host);
  for (const auto& [key, value] : overrides.variables) (*spec->mutable_variables())[key] = value;
}

}  // namespace throng::cli
