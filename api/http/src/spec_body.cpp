#include "spec_body.h"

#include <charconv>
#include <cmath>

#include "throng/api/spec/spec_converter.h"
#include "throng/api/spec/yaml_spec.h"

namespace throng::api::http {
namespace {

std::optional<unsigned> ParseUnsigned(const std::string& text) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<double> ParseNumber(const std::string& text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<SpecBodyError> ParseSpecBody(const std::string& body, const RequestTarget& target,
                                           v1::JobSpec& spec) {
  try {
    spec = ParseYamlSpec(body, "body");
  } catch (const YamlSpecError& error) {
    return SpecBodyError{error.what(), error.field_path()};
  }
  LoadOverrides overrides;
  if (auto users = target.Param("users"); users && !users->empty()) {
    overrides.users = ParseUnsigned(*users);
    if (!overrides.users) return SpecBodyError{"users: expected a whole number", "users"};
  }
  if (auto rate = target.Param("spawn_rate"); rate && !rate->empty()) {
    overrides.spawn_rate = ParseNumber(*rate);
    if (!overrides.spawn_rate) return SpecBodyError{"spawn_rate: expected a number", "spawn_rate"};
  }
  if (auto run_time = target.Param("run_time"); run_time && !run_time->empty()) {
    overrides.run_time = *run_time;
  }
  if (auto host = target.Param("host"); host && !host->empty()) overrides.host = *host;
  try {
    ApplyLoadOverrides(overrides, spec);
  } catch (const SpecError& error) {
    return SpecBodyError{error.what(), error.field_path()};
  }
  return std::nullopt;
}

}  // namespace throng::api::http
