#include "throng/cli/scenario_loader.h"

#include <fstream>
#include <sstream>

#include "throng/api/spec/yaml_spec.h"
#include "throng/cli/error.h"

namespace throng::cli {
namespace {

int CountRequests(const google::protobuf::RepeatedPtrField<throng::v1::Step>& steps) {
  int count = 0;
  for (const auto& step : steps) {
    switch (step.kind_case()) {
      case throng::v1::Step::kRequest:
        ++count;
        break;
      case throng::v1::Step::kChoice:
        for (const auto& branch : step.choice().branches()) count += CountRequests(branch.steps());
        break;
      case throng::v1::Step::kRepeat:
        count += CountRequests(step.repeat().steps());
        break;
      default:
        break;
    }
  }
  return count;
}

}  // namespace

throng::v1::JobSpec LoadScenarioFile(const std::string& path, const EnvLookup& env) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file");
  std::ostringstream text;
  text << in.rdbuf();
  return LoadScenarioText(text.str(), path, env);
}

throng::v1::JobSpec LoadScenarioText(std::string_view text, const std::string& source_name,
                                     const EnvLookup& env) {
  const std::string substituted = SubstituteEnv(text, source_name, env);
  try {
    return api::ParseYamlSpec(substituted, source_name);
  } catch (const api::YamlSpecError& error) {
    throw InputError(error.what());
  }
}

int CountRequests(const throng::v1::JobSpec& spec) {
  int count = CountRequests(spec.setup()) + CountRequests(spec.teardown());
  for (const auto& user_class : spec.user_classes()) {
    count += CountRequests(user_class.on_start()) + CountRequests(user_class.on_stop());
    for (const auto& task : user_class.tasks()) count += CountRequests(task.steps());
  }
  return count;
}

}  // namespace throng::cli
