#include "throng/api/spec/spec_redaction.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>

namespace throng::api {
namespace {

constexpr std::string_view kRedacted = "***";

// Names are compared lower-case without '-' and '_', so "X-Api-Key", "api_key" and "APIKEY" all
// hold "key". Substrings on purpose: over-redacting a display copy costs nothing, missing a
// secret leaks it ("pin" also hides "shipping"; the job still sends the real value).
constexpr std::array<std::string_view, 18> kSecretWords = {
    "pass", "pwd", "secret", "token",   "key", "auth", "cred", "session", "cookie",
    "otp",  "pin", "sig",    "private", "jwt", "csrf", "xsrf", "bearer",  "salt"};

std::string Fold(std::string_view name) {
  std::string folded;
  for (const unsigned char c : name) {
    if (c != '-' && c != '_') folded += static_cast<char>(std::tolower(c));
  }
  return folded;
}

// What counts as secret in one spec: the built-in words plus the spec's own secret_names.
class SecretNames {
 public:
  explicit SecretNames(const v1::JobSpec& spec) {
    for (const std::string& name : spec.secret_names()) listed_.insert(Fold(name));
  }

  bool Secret(std::string_view name) const {
    const std::string folded = Fold(name);
    if (listed_.contains(folded)) return true;
    return std::any_of(kSecretWords.begin(), kSecretWords.end(), [&](std::string_view word) {
      return folded.find(word) != std::string::npos;
    });
  }

  template <class Map>
  void RedactMap(Map& map, bool all = false) const {
    for (auto& [key, value] : map) {
      if (all || Secret(key)) value = kRedacted;
    }
  }

  // "/x?api_key=K&page=1#f" -> "/x?api_key=***&page=1#f": the query string of a path or URL.
  void RedactQueryString(std::string& text, bool all = false) const {
    std::size_t at = text.find('?');
    if (at == std::string::npos) return;
    const std::size_t end = std::min(text.find('#', at), text.size());
    std::string out = text.substr(0, at + 1);
    std::string_view query = std::string_view(text).substr(at + 1, end - at - 1);
    while (true) {
      const std::size_t amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      const std::size_t eq = pair.find('=');
      const std::string_view key = pair.substr(0, eq);
      if (eq != std::string_view::npos && (all || Secret(key))) {
        out.append(key).append("=").append(kRedacted);
      } else {
        out.append(pair);
      }
      if (amp == std::string_view::npos) break;
      out.push_back('&');
      query.remove_prefix(amp + 1);
    }
    out.append(text, end, std::string::npos);
    text = std::move(out);
  }

  // `inherited`: an ancestor's key was secret, so every scalar below it is.
  void RedactValue(google::protobuf::Value& value, bool inherited) const {
    switch (value.kind_case()) {
      case google::protobuf::Value::kStructValue:
        for (auto& [key, field] : *value.mutable_struct_value()->mutable_fields()) {
          RedactValue(field, inherited || Secret(key));
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

 private:
  std::unordered_set<std::string> listed_;
};

void RedactSteps(const SecretNames& names, google::protobuf::RepeatedPtrField<v1::Step>& steps);

void RedactRequest(const SecretNames& names, v1::Request& request) {
  const bool all = request.secret();
  names.RedactMap(*request.mutable_headers(), all);
  names.RedactMap(*request.mutable_query(), all);
  names.RedactQueryString(*request.mutable_path(), all);
  if (request.has_form()) names.RedactMap(*request.mutable_form()->mutable_fields(), all);
  if (request.has_json()) names.RedactValue(*request.mutable_json(), all);
  if (all && request.has_raw()) request.set_raw(std::string(kRedacted));
}

void RedactStep(const SecretNames& names, v1::Step& step) {
  switch (step.kind_case()) {
    case v1::Step::kRequest:
      RedactRequest(names, *step.mutable_request());
      return;
    case v1::Step::kChoice:
      for (auto& branch : *step.mutable_choice()->mutable_branches()) {
        RedactSteps(names, *branch.mutable_steps());
      }
      return;
    case v1::Step::kRepeat:
      RedactSteps(names, *step.mutable_repeat()->mutable_steps());
      return;
    case v1::Step::kSet:
      names.RedactMap(*step.mutable_set()->mutable_values(), step.set().secret());
      return;
    default:
      return;
  }
}

void RedactSteps(const SecretNames& names, google::protobuf::RepeatedPtrField<v1::Step>& steps) {
  for (auto& step : steps) RedactStep(names, step);
}

void RedactFeeder(const SecretNames& names, v1::Feeder& feeder) {
  if (feeder.has_inline_()) {
    for (auto& row : *feeder.mutable_inline_()->mutable_rows()) {
      names.RedactMap(*row.mutable_values(), feeder.secret());
    }
  }
  if (feeder.has_generated()) {
    names.RedactMap(*feeder.mutable_generated()->mutable_columns(), feeder.secret());
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

// The names `steps` assign from a step marked `secret: true` (in order, so a list op reading a
// list a secret request appended to is seen after it).
void CollectMarkedSecrets(const google::protobuf::RepeatedPtrField<v1::Step>& steps,
                          std::set<std::string>& names) {
  for (const v1::Step& step : steps) {
    switch (step.kind_case()) {
      case v1::Step::kRequest:
        if (step.request().secret()) {
          for (const v1::Extract& extract : step.request().extract()) names.insert(extract.var());
        }
        break;
      case v1::Step::kSet:
        if (step.set().secret()) {
          for (const auto& [name, value] : step.set().values()) names.insert(name);
        }
        break;
      case v1::Step::kList:
        if (names.contains(step.list().list()) && !step.list().var().empty()) {
          names.insert(step.list().var());
        }
        break;
      case v1::Step::kChoice:
        for (const auto& branch : step.choice().branches()) {
          CollectMarkedSecrets(branch.steps(), names);
        }
        break;
      case v1::Step::kRepeat:
        CollectMarkedSecrets(step.repeat().steps(), names);
        break;
      default:
        break;
    }
  }
}

}  // namespace

void RedactSetupVariables(const v1::JobSpec& spec,
                          google::protobuf::Map<std::string, std::string>& variables) {
  const SecretNames names(spec);
  std::set<std::string> marked;
  CollectMarkedSecrets(spec.setup(), marked);
  for (auto& [name, value] : variables) {
    if (marked.contains(name) || names.Secret(name)) value = kRedacted;
  }
}

void ListSetupSecrets(v1::JobSpec& spec) {
  std::set<std::string> marked;
  CollectMarkedSecrets(spec.setup(), marked);
  for (const std::string& listed : spec.secret_names()) marked.erase(listed);
  for (const std::string& name : marked) spec.add_secret_names(name);
}

void RedactSpec(v1::JobSpec& spec) {
  const SecretNames names(spec);
  RedactUrlPassword(*spec.mutable_base_url());
  names.RedactQueryString(*spec.mutable_base_url());
  names.RedactMap(*spec.mutable_headers());
  names.RedactMap(*spec.mutable_variables());
  names.RedactMap(*spec.mutable_tags());
  for (auto& feeder : *spec.mutable_feeders()) RedactFeeder(names, feeder);
  RedactSteps(names, *spec.mutable_setup());
  RedactSteps(names, *spec.mutable_teardown());
  for (auto& user_class : *spec.mutable_user_classes()) {
    RedactSteps(names, *user_class.mutable_on_start());
    RedactSteps(names, *user_class.mutable_on_stop());
    for (auto& task : *user_class.mutable_tasks()) RedactSteps(names, *task.mutable_steps());
  }
}

}  // namespace throng::api
