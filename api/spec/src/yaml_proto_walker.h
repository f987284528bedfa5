#pragma once

#include <google/protobuf/descriptor.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace throng::api {

/// Converts a YAML tree into the proto3 JSON form of a message, checking it against the message's
/// descriptor on the way so that errors carry "file:line: field.path: what". Accepts snake_case and
/// lowerCamelCase field names, friendly durations and short enum names. Not thread-safe; one per
/// file.
class YamlProtoWalker {
 public:
  explicit YamlProtoWalker(std::string source_name) : source_name_(std::move(source_name)) {}

  /// The JSON object for `node` as a `descriptor` message; `path` names it in errors (e.g. "spec").
  nlohmann::json WalkMessage(const YAML::Node& node, const google::protobuf::Descriptor* descriptor,
                             const std::string& path);

 private:
  std::optional<nlohmann::json> WalkField(const YAML::Node& node,
                                          const google::protobuf::FieldDescriptor* field,
                                          const std::string& path);
  std::optional<nlohmann::json> WalkSingular(const YAML::Node& node,
                                             const google::protobuf::FieldDescriptor* field,
                                             const std::string& path);
  nlohmann::json WalkWellKnown(const YAML::Node& node, const google::protobuf::Descriptor* type,
                               const std::string& path);
  nlohmann::json WalkEnum(const YAML::Node& node, const google::protobuf::EnumDescriptor* type,
                          const std::string& path);
  // google.protobuf.Value: any YAML, scalars typed by YAML's plain-scalar rules.
  nlohmann::json AnyValue(const YAML::Node& node, const std::string& path);
  const std::string& Scalar(const YAML::Node& node, const std::string& path, const char* expected);

  [[noreturn]] void Fail(const YAML::Node& at, const std::string& path,
                         const std::string& message) const;

  std::string source_name_;
};

}  // namespace throng::api
