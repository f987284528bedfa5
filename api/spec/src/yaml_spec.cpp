#include "throng/api/spec/yaml_spec.h"

#include <google/protobuf/stubs/common.h>
#include <google/protobuf/util/json_util.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <limits>

#include "throng/api/common/duration.h"
#include "throng/api/spec/spec_converter.h"
#include "yaml_proto_walker.h"

namespace throng::api {
namespace {

/// Refuses text that is not UTF-8, naming the line and the first bad byte: a JobSpec's strings
/// must be UTF-8, and the JSON step below would otherwise throw on them (found by bench/fuzz.sh).
void RequireUtf8(std::string_view yaml, const std::string& source_name) {
  if (yaml.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw YamlSpecError(source_name + ": over 2 GiB", "");
  }
  const std::size_t valid = static_cast<std::size_t>(
      google::protobuf::internal::UTF8SpnStructurallyValid({yaml.data(), yaml.size()}));
  if (valid == yaml.size()) return;
  const auto line =
      std::count(yaml.begin(), yaml.begin() + static_cast<std::ptrdiff_t>(valid), '\n') + 1;
  char byte[5];
  std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(yaml[valid]));
  throw YamlSpecError(source_name + ":" + std::to_string(line) + ": not UTF-8 text (byte " + byte +
                          " at offset " + std::to_string(valid) + ")",
                      "");
}

}  // namespace

v1::JobSpec ParseYamlSpec(std::string_view yaml, const std::string& source_name) {
  RequireUtf8(yaml, source_name);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& error) {
    // error.msg is yaml-cpp's description without its own position prefix.
    throw YamlSpecError(
        source_name + ":" + std::to_string(error.mark.line + 1) + ": invalid YAML: " + error.msg,
        "");
  }
  if (root.IsNull()) throw YamlSpecError(source_name + ": the file is empty", "");
  YamlProtoWalker walker(source_name);
  const nlohmann::json json = walker.WalkMessage(root, v1::JobSpec::descriptor(), "spec");

  v1::JobSpec spec;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  std::string json_text;
  try {
    json_text = json.dump();
  } catch (const nlohmann::json::exception& error) {  // a key or value that is not UTF-8
    throw YamlSpecError(
        source_name + ": not UTF-8 text once YAML decoded it (" + error.what() + ")", "");
  }
  const auto status = google::protobuf::util::JsonStringToMessage(json_text, &spec, options);
  if (!status.ok()) {
    throw YamlSpecError(
        source_name + ": does not map onto JobSpec: " + std::string(status.message()), "");
  }
  return spec;
}

void ApplyLoadOverrides(const LoadOverrides& overrides, v1::JobSpec& spec) {
  using v1::LoadProfile;
  LoadProfile* load = spec.mutable_load();
  if (overrides.users) {
    switch (load->model_case()) {
      case LoadProfile::kPerUserIterations:
        load->mutable_per_user_iterations()->set_users(*overrides.users);
        break;
      case LoadProfile::kSharedIterations:
        load->mutable_shared_iterations()->set_users(*overrides.users);
        break;
      case LoadProfile::kOpen:
        throw SpecError("users",
                        "the job uses the open model (arrival rate); it has no user count");
      default:
        // Like Locust's -u: a flat population replaces any staged shape.
        load->mutable_closed()->clear_stages();
        load->mutable_closed()->set_users(*overrides.users);
    }
  }
  if (overrides.spawn_rate) {
    if (load->model_case() != LoadProfile::kClosed &&
        load->model_case() != LoadProfile::MODEL_NOT_SET) {
      throw SpecError("spawn_rate", "only the closed model (a user population) has a spawn rate");
    }
    if (!(*overrides.spawn_rate > 0)) throw SpecError("spawn_rate", "must be positive");
    load->mutable_closed()->set_spawn_rate(*overrides.spawn_rate);
  }
  if (overrides.run_time) {
    absl::StatusOr<std::chrono::nanoseconds> run_time = ParseDuration(*overrides.run_time);
    if (!run_time.ok()) throw SpecError("run_time", std::string(run_time.status().message()));
    load->clear_unbounded();
    load->mutable_duration()->set_seconds(run_time->count() / 1'000'000'000);
    load->mutable_duration()->set_nanos(static_cast<int>(run_time->count() % 1'000'000'000));
  }
  if (overrides.host) spec.set_base_url(*overrides.host);
}

}  // namespace throng::api
