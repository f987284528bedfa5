#include "throng/cli/overrides.h"

#include <algorithm>

#include "throng/api/spec/spec_converter.h"
#include "throng/api/spec/yaml_spec.h"
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
  try {
    api::ApplyLoadOverrides(
        {overrides.users, overrides.spawn_rate, overrides.run_time, overrides.host}, *spec);
  } catch (const api::SpecError& error) {
    std::string flag = "--" + error.field_path();
    std::replace(flag.begin(), flag.end(), '_', '-');
    throw InputError(flag + ": " + error.message());
  }
  for (const auto& [key, value] : overrides.variables) (*spec->mutable_variables())[key] = value;
}

}  // namespace throng::cli
