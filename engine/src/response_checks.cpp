#include "throng/engine/response_checks.h"

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <string_view>

#include "json_access.h"

namespace throng::engine {
namespace {

// Report messages quote response data; cap it so one huge body cannot bloat the error table.
constexpr std::size_t kMaxQuoted = 80;

std::string Quote(std::string_view text) {
  std::string quoted = "\"";
  quoted.append(text.substr(0, kMaxQuoted));
  if (text.size() > kMaxQuoted) quoted.append("...");
  quoted.push_back('"');
  return quoted;
}

std::string Shorten(std::string text) {
  if (text.size() > kMaxQuoted) {
    text.resize(kMaxQuoted);
    text.append("...");
  }
  return text;
}

std::string DumpForMessage(const nlohmann::json& value) {
  if (value.is_string()) return Quote(value.get_ref<const std::string&>());
  std::string text;
  AppendJsonText(value, text);
  return Shorten(std::move(text));
}

bool StatusAccepted(const ExpectPlan& expect, unsigned status) {
  if (expect.statuses.empty()) return status >= 200 && status < 400;
  return std::find(expect.statuses.begin(), expect.statuses.end(), status) != expect.statuses.end();
}

CheckOutcome Fail(FailureKind kind, std::string message) {
  return CheckOutcome{kind, std::move(message)};
}

CheckOutcome CheckJson(const JsonEqualsPlan& check, ResponseJson& json) {
  const std::string where = "json " + check.pointer.to_string() + ": ";
  const nlohmann::json* document = json.Get();
  if (document == nullptr) return Fail(FailureKind::kExpectationFailed, where + "body is not JSON");
  const nlohmann::json* actual = FindJsonPointer(*document, check.pointer);
  if (actual == nullptr) return Fail(FailureKind::kExpectationFailed, where + "not found");
  if (*actual == check.equals) return {};
  return Fail(FailureKind::kExpectationFailed, where + "expected " + DumpForMessage(check.equals) +
                                                   ", got " + DumpForMessage(*actual));
}

const std::string* FindHeader(const HeaderList& headers, std::string_view name) {
  for (const auto& [header, value] : headers) {
    if (boost::beast::iequals(header, name)) return &value;
  }
  return nullptr;
}

// Looks up one extraction's value into `value`; on a miss returns why, for the report.
std::optional<std::string> Extract(const ExtractPlan& plan, const HttpResponse& response,
                                   const RequestSender& sender, ResponseJson& json,
                                   std::string& value) {
  value.clear();
  switch (plan.source) {
    case ExtractPlan::Source::kJsonPointer: {
      const nlohmann::json* document = json.Get();
      if (document == nullptr) return "body is not JSON";
      const nlohmann::json* found = plan.pointer ? FindJsonPointer(*document, *plan.pointer)
                                                 : FindJsonPointer(*document, plan.expression);
      if (found == nullptr || found->is_null()) return plan.expression + " not found";
      AppendJsonText(*found, value);
      return std::nullopt;
    }
    case ExtractPlan::Source::kHeader: {
      const std::string* found = FindHeader(response.headers, plan.expression);
      if (found == nullptr) return "header " + plan.expression + " not found";
      value = *found;
      return std::nullopt;
    }
    case ExtractPlan::Source::kCookie:
      value = sender.CookieValue(plan.expression);
      if (value.empty()) return "cookie " + plan.expression + " not found";
      return std::nullopt;
    case ExtractPlan::Source::kRegex: {
      std::shared_ptr<const Regex> regex = plan.regex;
      if (regex == nullptr) {
        // PrepareExtractions compiles it when the job starts; this keeps hand-built plans working.
        try {
          regex = std::make_shared<const Regex>(plan.expression);
        } catch (const RegexError&) {
          return "regex " + Quote(plan.expression) + " is invalid";
        }
      }
      const std::optional<std::string_view> match =
          regex->Search(response.body, plan.regex_max_bytes);
      if (!match) return "regex " + Quote(plan.expression) + " did not match";
      value.assign(*match);
      return std::nullopt;
    }
  }
  return "unknown source";
}

}  // namespace

const nlohmann::json* ResponseJson::Get() {
  if (!parsed_) {
    parsed_ = nlohmann::json::parse(response_.body, nullptr, /*allow_exceptions=*/false);
  }
  return parsed_->is_discarded() ? nullptr : &*parsed_;
}

CheckOutcome CheckExpectations(const ExpectPlan& expect, const HttpResponse& response,
                               const UserState& user) {
  ResponseJson json(response);
  return CheckExpectations(expect, response, user, json);
}

CheckOutcome CheckExpectations(const ExpectPlan& expect, const HttpResponse& response,
                               const UserState& user, ResponseJson& json) {
  if (response.failure != FailureKind::kNone) return Fail(response.failure, response.error);
  if (!StatusAccepted(expect, response.status)) {
    return Fail(FailureKind::kUnexpectedStatus,
                "unexpected status " + std::to_string(response.status));
  }
  if (expect.body_contains) {
    const std::string needle = expect.body_contains->Render(user);
    if (response.body.find(needle) == std::string::npos) {
      return Fail(FailureKind::kExpectationFailed, "body does not contain " + Quote(needle));
    }
  }
  for (const JsonEqualsPlan& check : expect.json) {
    CheckOutcome outcome = CheckJson(check, json);
    if (outcome.failure != FailureKind::kNone) return outcome;
  }
  return {};
}

CheckOutcome ApplyExtractions(const std::vector<ExtractPlan>& extracts,
                              const HttpResponse& response, const RequestSender& sender,
                              UserState& user) {
  ResponseJson json(response);
  return ApplyExtractions(extracts, response, sender, user, json);
}

CheckOutcome ApplyExtractions(const std::vector<ExtractPlan>& extracts,
                              const HttpResponse& response, const RequestSender& sender,
                              UserState& user, ResponseJson& json) {
  CheckOutcome outcome;
  if (response.failure != FailureKind::kNone) return outcome;
  std::string value;
  for (const ExtractPlan& plan : extracts) {
    const std::optional<std::string> missing = Extract(plan, response, sender, json, value);
    if (!missing) {
      if (plan.action == ExtractPlan::Action::kAppend) {
        user.List(plan.var).push_back(value);
      } else {
        user.SetVariable(plan.var, value);
      }
      continue;
    }
    // A stale value would let later steps act on an old id; unsetting lets skip_if_empty work.
    if (plan.action == ExtractPlan::Action::kSet) user.UnsetVariable(plan.var);
    if (plan.required && outcome.failure == FailureKind::kNone) {
      outcome = Fail(FailureKind::kExtractionFailed, "extract " + plan.var + ": " + *missing);
    }
  }
  return outcome;
}

}  // namespace throng::engine
