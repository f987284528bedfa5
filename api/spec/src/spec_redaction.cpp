#include "throng/api/spec/spec_redaction.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

namespace throng::api {
namespace {

constexpr std::string_view kRedacted = "***";

// Names are compared lower-case without '-' and '_', so "X-Api-Key", "api_key" and "APIKEY" match.
constexpr std::array<std::string_view, 6> kSecretHeaderWords = {
    "authorization", "cookie", "token", "apikey", "secret", "password"};
constexpr std::array<std::string_view, 6> kSecretKeyWords = {"password", "passwd", "secret",
                                                             "token",    "apikey", "accesskey"};

template <std::size_t N>
bool LooksSecret(std::string_view name, const std::array<std::string_view, N>& words) {
  std::string folded;
  for (const unsigned char c : name) {
    if (c != '-' && c != '_') folded += static_cast<char>(std::tolower(c));
  }
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view word) { return folded.find(word) != std::string::npos; });
}

template <class Map, std::size_t N>
void RedactMap(Map& map, const std::array<std::string_view, N>& words) {
  for (auto& [key, value] : map) {
    if (LooksSecret(key, words)) value = kRedacted;
  }
}

// `inherited`: an ancestor's key was secret, so every scalar below it is.
void RedactValue(google::protobuf::Value& value, bool inherited) {
  switch (value.kind_case()) {
    case google::protobuf::Value::kStructValue:
      for (auto& [key, field] : *value.mutable_struct_value()->mutable_fields()) {
        RedactValue(field, inherited || LooksSecret(key, kSecretKeyWords));
      }
      return;
    case google::protobuf::Value::kListValue:
      for (auto& element : *value.mutable_list_value()->mutable_values()) {
        RedactValue(element, inherited);
      }
      return;
    case google::protobuf::Value::kNullValue:
      return;
    default:
      if (inherited) value.set_string_value(std::string(kRedacted));
  }
}

void RedactSteps(google::protobuf::RepeatedPtrField<v1::Step>& steps);

void RedactRequest(v1::Request& request) {
  RedactMap(*request.mutable_headers(), kSecretHeaderWords);
  RedactMap(*request.mutable_query(), kSecretKeyWords);
  if (request.has_form()) RedactMap(*request.mutable_form()->mutable_fields(), kSecretKeyWords);
  if (request.has_json()) RedactValue(*request.mutable_json(), false);
}

void RedactStep(v1::Step& step) {
  switch (step.kind_case()) {
    case v1::Step::kRequest:
      RedactRequest(*step.mutable_request());
      return;
    case v1::Step::kChoice:
      for (auto& branch : *step.mutable_choice()->mutable_branches()) {
        RedactSteps(*branch.mutable_steps());
      }
      return;
    case v1::Step::kRepeat:
      RedactSteps(*step.mutable_repeat()->mutable_steps());
      return;
    case v1::Step::kSet:
      RedactMap(*step.mutable_set()->mutable_values(), kSecretKeyWords);
      return;
    default:
      return;
  }
}

void RedactSteps(google::protobuf::RepeatedPtrField<v1::Step>& steps) {
  for (auto& step : steps) RedactStep(step);
}

void RedactFeeder(v1::Feeder& feeder) {
  if (feeder.has_inline_()) {
    for (auto& row : *feeder.mutable_inline_()->mutable_rows()) {
      RedactMap(*row.mutable_values(), kSecretKeyWords);
    }
  }
  if (feeder.has_generated()) {
    RedactMap(*feeder.mutable_generated()->mutable_columns(), kSecretKeyWords);
  }
}

// "scheme://user:password@host" keeps the user, loses the password.
void RedactUrlPassword(std::string& url) {
  const auto authority = url.find("://");
  if (authority == std::string::npos) return;
  const auto at = url.find('@', authority + 3);
  const auto end = url.find_first_of("/?#", authority + 3);
  if (at == std::string::npos || (end != std::string::npos && end < at)) return;
  const auto colon = url.find(':', authority + 3);
  if (colon != std::string::npos && colon < at) url.replace(colon + 1, at - colon - 1, kRedacted);
}

}  // namespace

void RedactSpec(v1::JobSpec& spec) {
  RedactUrlPassword(*spec.mutable_base_url());
  RedactMap(*spec.mutable_headers(), kSecretHeaderWords);
  RedactMap(*spec.mutable_variables(), kSecretKeyWords);
  RedactMap(*spec.mutable_tags(), kSecretKeyWords);
  for (auto& feeder : *spec.mutable_feeders()) RedactFeeder(feeder);
  RedactSteps(*spec.mutable_setup());
  RedactSteps(*spec.mutable_teardown());
  for (auto& user_class : *spec.mutable_user_classes()) {
    RedactSteps(*user_class.mutable_on_start());
    RedactSteps(*user_class.mutable_on_stop());
    for (auto& task : *user_class.mutable_tasks()) RedactSteps(*task.mutable_steps());
  }
}

}  // namespace throng::api
