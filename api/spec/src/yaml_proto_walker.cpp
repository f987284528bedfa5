#include "yaml_proto_walker.h"

#include <google/protobuf/stubs/common.h>

#include <boost/algorithm/string/case_conv.hpp>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <vector>

#include "throng/api/common/duration.h"
#include "throng/api/spec/did_you_mean.h"
#include "throng/api/spec/yaml_spec.h"

namespace throng::api {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;

const char* KindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "nothing";
    default:
      return "a scalar";
  }
}

// Plain (unquoted) scalars get YAML typing; yaml-cpp tags quoted ones "!".
bool IsPlain(const YAML::Node& node) { return node.Tag() != "!"; }

std::string Lower(const std::string& text) {
  return boost::algorithm::to_lower_copy(text, std::locale::classic());
}

std::optional<bool> ParseBool(const std::string& text) {
  const std::string lower = Lower(text);
  if (lower == "true") return true;
  if (lower == "false") return false;
  return std::nullopt;
}

std::optional<double> ParseDouble(const std::string& text) {
  if (text.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (errno != 0 || end != text.c_str() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

// strtod also takes "0x1p3" and "infinity"; YAML plain numbers start with a sign, digit or point.
bool LooksNumeric(const std::string& text) {
  std::size_t i = (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (i < text.size() && text[i] == '.') ++i;
  return i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) &&
         text.find_first_of("xX") == std::string::npos;
}

// The name used in paths and suggestions: the proto (snake_case) name.
const FieldDescriptor* FindField(const Descriptor* descriptor, const std::string& key) {
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (field->name() == key || field->json_name() == key) return field;
  }
  return nullptr;
}

std::string UnknownFieldMessage(const Descriptor* descriptor, const std::string& key) {
  std::vector<std::string> names;
  std::vector<std::string> json_names;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    names.push_back(descriptor->field(i)->name());
    json_names.push_back(descriptor->field(i)->json_name());
  }
  std::string message = "unknown field \"" + key + "\"";
  // Suggest in the style the user wrote: camelCase keys get camelCase names.
  const bool camel = key.find('_') == std::string::npos &&
                     std::any_of(key.begin(), key.end(), [](char c) { return std::isupper(c); });
  std::optional<std::string> suggestion = ClosestMatch(key, camel ? json_names : names);
  if (!suggestion) suggestion = ClosestMatch(key, camel ? names : json_names);
  if (suggestion) return message + " (did you mean \"" + *suggestion + "\"?)";
  std::string known;
  for (const std::string& name : names) known += (known.empty() ? "" : ", ") + name;
  return message + " (" + descriptor->name() + " fields: " + known + ")";
}

}  // namespace

void YamlProtoWalker::Fail(const YAML::Node& at, const std::string& path,
                           const std::string& message) const {
  std::string where = source_name_;
  if (at.IsDefined() && at.Mark().line >= 0) where += ":" + std::to_string(at.Mark().line + 1);
  throw YamlSpecError(where + ": " + path + ": " + message, path);
}

const std::string& YamlProtoWalker::Scalar(const YAML::Node& node, const std::string& path,
                                           const char* expected) {
  if (!node.IsScalar())
    Fail(node, path, std::string("expected ") + expected + ", got " + KindName(node));
  // yaml-cpp can decode UTF-8 text into a string that is not (bench/fuzz.sh found control
  // characters doing so); a JobSpec string must be UTF-8.
  if (!google::protobuf::internal::IsStructurallyValidUTF8(node.Scalar())) {
    Fail(node, path, "not UTF-8 text once YAML decoded it");
  }
  return node.Scalar();
}

nlohmann::json YamlProtoWalker::WalkMessage(const YAML::Node& node, const Descriptor* descriptor,
                                            const std::string& path) {
  nlohmann::json out = nlohmann::json::object();
  if (node.IsNull()) return out;
  if (!node.IsMap()) Fail(node, path, std::string("expected a map, got ") + KindName(node));
  std::map<int, std::string> seen;          // field number -> key as written
  std::map<int, std::string> oneof_member;  // oneof index -> field set
  for (const auto& entry : node) {
    const YAML::Node& key_node = entry.first;
    if (!key_node.IsScalar()) Fail(key_node, path, "field names must be plain strings");
    const std::string& key = key_node.Scalar();
    const std::string field_path = path + "." + key;
    const FieldDescriptor* field = FindField(descriptor, key);
    if (field == nullptr) Fail(key_node, field_path, UnknownFieldMessage(descriptor, key));
    if (auto [it, inserted] = seen.emplace(field->number(), key); !inserted) {
      Fail(key_node, field_path, "field given twice (also as \"" + it->second + "\")");
    }
    if (const auto* oneof = field->real_containing_oneof()) {
      auto [it, inserted] = oneof_member.emplace(oneof->index(), field->name());
      if (!inserted) {
        Fail(
            key_node, field_path,
            "\"" + field->name() + "\" and \"" + it->second + "\" exclude each other (one of: " +
                [&] {
                  std::string names;
                  for (int i = 0; i < oneof->field_count(); ++i) {
                    names += (i ? ", " : "") + oneof->field(i)->name();
                  }
                  return names;
                }() +
                ")");
      }
    }
    if (auto value = WalkField(entry.second, field, path + "." + field->name())) {
      out[field->json_name()] = std::move(*value);
    }
  }
  return out;
}

std::optional<nlohmann::json> YamlProtoWalker::WalkField(const YAML::Node& node,
                                                         const FieldDescriptor* field,
                                                         const std::string& path) {
  if (node.IsNull()) return std::nullopt;
  if (field->is_map()) {
    if (!node.IsMap()) Fail(node, path, std::string("expected a map, got ") + KindName(node));
    const FieldDescriptor* value_field = field->message_type()->map_value();
    nlohmann::json out = nlohmann::json::object();
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) Fail(entry.first, path, "map keys must be plain strings");
      const std::string& key = entry.first.Scalar();
      auto value = WalkSingular(entry.second, value_field, path + "." + key);
      out[key] = value ? std::move(*value) : nlohmann::json("");
    }
    return out;
  }
  if (field->is_repeated()) {
    if (!node.IsSequence()) Fail(node, path, std::string("expected a list, got ") + KindName(node));
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::string element_path = path + "[" + std::to_string(i) + "]";
      auto value = WalkSingular(node[i], field, element_path);
      if (!value) Fail(node[i], element_path, "empty list element");
      out.push_back(std::move(*value));
    }
    return out;
  }
  return WalkSingular(node, field, path);
}

std::optional<nlohmann::json> YamlProtoWalker::WalkSingular(const YAML::Node& node,
                                                            const FieldDescriptor* field,
                                                            const std::string& path) {
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    const Descriptor* type = field->message_type();
    if (type->file()->package() == "google.protobuf") return WalkWellKnown(node, type, path);
    if (node.IsNull()) return std::nullopt;
    return WalkMessage(node, type, path);
  }
  if (node.IsNull()) return std::nullopt;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return Scalar(node, path, "a string");
    case FieldDescriptor::CPPTYPE_BOOL: {
      const auto value = ParseBool(Scalar(node, path, "true or false"));
      if (!value) Fail(node, path, "expected true or false");
      return *value;
    }
    case FieldDescriptor::CPPTYPE_FLOAT:
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      const auto value = ParseDouble(Scalar(node, path, "a number"));
      if (!value) Fail(node, path, "expected a number");
      return *value;
    }
    case FieldDescriptor::CPPTYPE_ENUM:
      return WalkEnum(node, field->enum_type(), path);
    default:
      break;
  }
  // Integers. 64-bit ones go out as strings, as the JSON mapping prefers for exactness.
  const bool is_unsigned = field->cpp_type() == FieldDescriptor::CPPTYPE_UINT32 ||
                           field->cpp_type() == FieldDescriptor::CPPTYPE_UINT64;
  const bool is_64 = field->cpp_type() == FieldDescriptor::CPPTYPE_INT64 ||
                     field->cpp_type() == FieldDescriptor::CPPTYPE_UINT64;
  const char* expected = is_unsigned ? "a whole number >= 0" : "a whole number";
  const std::string& text = Scalar(node, path, expected);
  long long value = 0;
  unsigned long long uvalue = 0;
  const char* end = text.data() + text.size();
  const auto result = is_unsigned ? std::from_chars(text.data(), end, uvalue)
                                  : std::from_chars(text.data(), end, value);
  if (result.ec == std::errc::result_out_of_range) Fail(node, path, "number out of range");
  if (result.ec != std::errc() || result.ptr != end)
    Fail(node, path, std::string("expected ") + expected);
  if (is_64) return is_unsigned ? std::to_string(uvalue) : std::to_string(value);
  if (is_unsigned) {
    if (uvalue > std::numeric_limits<std::uint32_t>::max()) Fail(node, path, "number out of range");
    return uvalue;
  }
  if (value < std::numeric_limits<std::int32_t>::min() ||
      value > std::numeric_limits<std::int32_t>::max()) {
    Fail(node, path, "number out of range");
  }
  return value;
}

nlohmann::json YamlProtoWalker::WalkEnum(const YAML::Node& node, const EnumDescriptor* type,
                                         const std::string& path) {
  const std::string& text = Scalar(node, path, "a name");
  // Accept the full name ("TASK_ORDER_SEQUENTIAL") or its tail ("sequential"), any case.
  const std::string upper = boost::algorithm::to_upper_copy(text, std::locale::classic());
  std::string names;
  for (int i = 0; i < type->value_count(); ++i) {
    const std::string& name = type->value(i)->name();
    if (name == upper || (name.size() > upper.size() &&
                          name.compare(name.size() - upper.size(), upper.size(), upper) == 0 &&
                          name[name.size() - upper.size() - 1] == '_')) {
      return name;
    }
    if (name.find("UNSPECIFIED") == std::string::npos) {
      names += (names.empty() ? "" : ", ") + Lower(name);
    }
  }
  Fail(node, path, "unknown value (expected one of: " + names + ")");
}

nlohmann::json YamlProtoWalker::WalkWellKnown(const YAML::Node& node, const Descriptor* type,
                                              const std::string& path) {
  const std::string& name = type->full_name();
  if (name == "google.protobuf.Duration") {
    if (node.IsScalar() && IsPlain(node) && ParseDouble(node.Scalar()) && node.Scalar() != "0") {
      Fail(node, path, "a duration needs a unit, e.g. \"15s\", \"500ms\", \"1m30s\"");
    }
    const std::string& text = Scalar(node, path, "a duration such as \"15s\"");
    absl::StatusOr<std::chrono::nanoseconds> parsed = ParseDuration(text);
    if (!parsed.ok()) Fail(node, path, std::string(parsed.status().message()));
    return ToProtoJsonDuration(*parsed);
  }
  if (name == "google.protobuf.Value") return AnyValue(node, path);
  if (name == "google.protobuf.Struct") {
    if (!node.IsMap()) Fail(node, path, std::string("expected a map, got ") + KindName(node));
    return AnyValue(node, path);
  }
  if (name == "google.protobuf.ListValue") {
    if (!node.IsSequence()) Fail(node, path, std::string("expected a list, got ") + KindName(node));
    return AnyValue(node, path);
  }
  if (name == "google.protobuf.Timestamp") return Scalar(node, path, "an RFC 3339 timestamp");
  Fail(node, path, "unsupported type " + name);
}

nlohmann::json YamlProtoWalker::AnyValue(const YAML::Node& node, const std::string& path) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (std::size_t i = 0; i < node.size(); ++i) {
        out.push_back(AnyValue(node[i], path + "[" + std::to_string(i) + "]"));
      }
      return out;
    }
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) Fail(entry.first, path, "map keys must be plain strings");
        out[entry.first.Scalar()] = AnyValue(entry.second, path + "." + entry.first.Scalar());
      }
      return out;
    }
    default:
      break;
  }
  const std::string& text = node.Scalar();
  if (!IsPlain(node)) return text;
  if (text == "~" || Lower(text) == "null") return nullptr;
  if (auto flag = ParseBool(text)) return *flag;
  long long integer = 0;
  if (auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
      ec == std::errc() && ptr == text.data() + text.size()) {
    return integer;
  }
  if (auto number = ParseDouble(text); number && LooksNumeric(text)) {
    return *number;
  }
  return text;
}

}  // namespace throng::api
