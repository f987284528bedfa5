// Judging a response against a request's expectations and taking values out of it.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "throng/engine/failure_kind.h"
#include "throng/engine/http_types.h"
#include "throng/engine/plan.h"
#include "throng/engine/request_sender.h"
#include "throng/engine/user_state.h"

namespace throng::engine {

/// Result of a check: kNone on success, otherwise the failure kind and a short message for reports,
/// e.g. "unexpected status 500" or "json /status: expected \"done\", got \"open\"".
struct CheckOutcome {
  FailureKind failure = FailureKind::kNone;
  std::string message;
};

/// A response body parsed as JSON on first use and at most once, so expectations and extractions
/// of one response share one parse. Borrows the response, which must outlive it.
class ResponseJson {
 public:
  explicit ResponseJson(const HttpResponse& response) : response_(response) {}
  /// The parsed body, or nullptr when it is not valid JSON.
  const nlohmann::json* Get();

 private:
  const HttpResponse& response_;
  std::optional<nlohmann::json> parsed_;  // discarded value when the body is not JSON
};

/// Checks status (default 200-399), body_contains and JSON equalities, in that order, returning the
/// first unmet one. A transport failure in `response` is returned as is.
CheckOutcome CheckExpectations(const ExpectPlan& expect, const HttpResponse& response,
                               const UserState& user);
CheckOutcome CheckExpectations(const ExpectPlan& expect, const HttpResponse& response,
                               const UserState& user, ResponseJson& json);

/// Applies every extraction to `user` (SET a variable or APPEND to a list). JSON values render
/// strings unquoted and integral numbers without ".0"; headers match case-insensitively; cookies
/// come from sender.CookieValue; a regex yields its first group, or the whole match. A missing
/// value unsets a SET variable and fails with kExtractionFailed when `required` (the first such
/// failure is returned; the other extractions still apply). Does nothing for a transport failure.
CheckOutcome ApplyExtractions(const std::vector<ExtractPlan>& extracts,
                              const HttpResponse& response, const RequestSender& sender,
                              UserState& user);
CheckOutcome ApplyExtractions(const std::vector<ExtractPlan>& extracts,
                              const HttpResponse& response, const RequestSender& sender,
                              UserState& user, ResponseJson& json);

}  // namespace throng::engine
