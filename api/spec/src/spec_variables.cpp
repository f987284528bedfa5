#include "spec_variables.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include <string_view>
#include <vector>

namespace throng::api::spec {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

using Names = std::set<std::string, std::less<>>;

/// What the engine sets inside a repeat (job_spec.proto's template list).
constexpr std::string_view kRepeatIndexVariable = "repeat_index";

void CollectFrom(const Message& message, Names& names) {
  if (const auto* set = dynamic_cast<const v1::SetVariables*>(&message)) {
    for (const auto& [name, value] : set->values()) names.insert(name);
  } else if (const auto* list = dynamic_cast<const v1::ListOp*>(&message)) {
    if (!list->var().empty()) names.insert(list->var());
  } else if (const auto* extract = dynamic_cast<const v1::Extract*>(&message)) {
    names.insert(extract->var());
  } else if (dynamic_cast<const v1::Repeat*>(&message) != nullptr) {
    names.insert(std::string(kRepeatIndexVariable));
  }
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || field->is_map()) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        CollectFrom(reflection->GetRepeatedMessage(message, field, i), names);
      }
    } else {
      CollectFrom(reflection->GetMessage(message, field), names);
    }
  }
}

}  // namespace

Names DefinableVariables(const v1::JobSpec& spec) {
  Names names;
  for (const auto& [name, value] : spec.variables()) names.insert(name);
  CollectFrom(spec, names);
  return names;
}

}  // namespace throng::api::spec
