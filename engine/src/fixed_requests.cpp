#include "fixed_requests.h"

#include <algorithm>
#include <memory>
#include <variant>

#include "overloaded.h"
#include "plan_preparation.h"
#include "throng/engine/rendered_request_check.h"
#include "throng/engine/request_renderer.h"
#include "throng/engine/user_state.h"

namespace throng::engine {
namespace {

using NamedTemplates = std::vector<std::pair<std::string, Template>>;

bool AllLiteral(const NamedTemplates& templates) {
  return std::all_of(templates.begin(), templates.end(),
                     [](const auto& named) { return named.second.IsLiteral(); });
}

bool BodyIsLiteral(const RequestPlan& request) {
  return std::visit(Overloaded{
                        [](std::monostate) { return true; },
                        [](const JsonBodyPlan& json) {
                          return std::all_of(
                              json.strings.begin(), json.strings.end(),
                              [](const auto& leaf) { return leaf.second.IsLiteral(); });
                        },
                        [](const FormBodyPlan& form) { return AllLiteral(form.fields); },
                        [](const RawBodyPlan& raw) { return raw.body.IsLiteral(); },
                    },
                    request.body);
}

bool IsLiteral(const RequestPlan& request, const HttpPlan& http) {
  return request.path.IsLiteral() && AllLiteral(request.query) && AllLiteral(request.headers) &&
         AllLiteral(http.default_headers) && BodyIsLiteral(request);
}

void Prepare(RequestPlan& request, const HttpPlan& http, const UserState& no_user) {
  if (request.fixed || !IsLiteral(request, http)) return;
  auto rendered = std::make_shared<HttpRequest>();
  RenderRequest(request, http, no_user, *rendered);
  if (RenderedRequestProblem(*rendered)) return;
  rendered->fixed = true;
  request.fixed = std::move(rendered);
}

}  // namespace

void PrepareFixedRequests(Plan& plan) {
  // Literal templates read nothing of the user they are rendered for.
  const UserState no_user(0, nullptr, 0);
  ForEachRequest(plan, [&](RequestPlan& request) { Prepare(request, plan.http, no_user); });
}

}  // namespace throng::engine
