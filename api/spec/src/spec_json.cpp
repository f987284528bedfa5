// google.protobuf.Value -> nlohmann::json, JSON pointers and templated JSON bodies.
#include <algorithm>
#include <cmath>

#include "spec_parts.h"
#include "spec_support.h"

namespace throng::api::spec {
namespace {

// Doubles hold integers exactly up to 2^53.
constexpr double kMaxExactInteger = 9007199254740992.0;

nlohmann::json NumberToJson(double number) {
  if (std::isfinite(number) && std::trunc(number) == number &&
      std::fabs(number) <= kMaxExactInteger) {
    return static_cast<std::int64_t>(number);
  }
  return number;
}

// Walks `value` into `out`, recording templated string leaves under `pointer`.
void CollectBody(const google::protobuf::Value& value, const nlohmann::json::json_pointer& pointer,
                 const FieldPath& path, const SpecContext& context, engine::JsonBodyPlan& body) {
  switch (value.kind_case()) {
    case google::protobuf::Value::kStructValue:
      // Any order works; templates only need their pointer.
      for (const auto& [key, field] : value.struct_value().fields()) {
        CollectBody(field, pointer / key, path.Field(key), context, body);
      }
      return;
    case google::protobuf::Value::kListValue:
      for (int i = 0; i < value.list_value().values_size(); ++i) {
        CollectBody(value.list_value().values(i), pointer / static_cast<std::size_t>(i),
                    path.Index(static_cast<std::size_t>(i)), context, body);
      }
      return;
    case google::protobuf::Value::kStringValue: {
      engine::Template parsed = context.ParseTemplate(value.string_value(), path);
      if (!parsed.IsLiteral()) body.strings.emplace_back(pointer, std::move(parsed));
      return;
    }
    default:
      return;
  }
}

}  // namespace

nlohmann::json ValueToJson(const google::protobuf::Value& value) {
  switch (value.kind_case()) {
    case google::protobuf::Value::kNumberValue:
      return NumberToJson(value.number_value());
    case google::protobuf::Value::kStringValue:
      return value.string_value();
    case google::protobuf::Value::kBoolValue:
      return value.bool_value();
    case google::protobuf::Value::kStructValue: {
      nlohmann::json object = nlohmann::json::object();
      for (const auto& [key, field] : value.struct_value().fields())
        object[key] = ValueToJson(field);
      return object;
    }
    case google::protobuf::Value::kListValue: {
      nlohmann::json array = nlohmann::json::array();
      for (const auto& element : value.list_value().values()) array.push_back(ValueToJson(element));
      return array;
    }
    default:
      return nullptr;
  }
}

nlohmann::json::json_pointer ParseJsonPointer(const std::string& text, const FieldPath& path) {
  try {
    return nlohmann::json::json_pointer(text);
  } catch (const nlohmann::json::exception&) {
    Fail(path, "invalid JSON pointer \"" + text +
                   "\" (RFC 6901: empty or \"/a/b\", with '~' written ~0 and '/' written ~1)");
  }
}

engine::JsonBodyPlan ConvertJsonBody(const google::protobuf::Value& value, const FieldPath& path,
                                     const SpecContext& context) {
  engine::JsonBodyPlan body;
  body.shape = ValueToJson(value);
  CollectBody(value, nlohmann::json::json_pointer(), path, context, body);
  std::sort(body.strings.begin(), body.strings.end(),
            [](const auto& a, const auto& b) { return a.first.to_string() < b.first.to_string(); });
  return body;
}

}  // namespace throng::api::spec
