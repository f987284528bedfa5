#include "throng/engine/rendered_request_check.h"

#include <string_view>

namespace throng::engine {
namespace {

bool HasLineBreakOrNul(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

}  // namespace

std::optional<std::string> RenderedRequestProblem(const HttpRequest& request) {
  if (HasLineBreakOrNul(request.method) || HasLineBreakOrNul(request.target)) {
    return "the rendered request line holds CR, LF or NUL (request not sent)";
  }
  for (const auto& [name, value] : request.headers) {
    // Names are checked as RFC 9110 tokens at submit, so one never needs escaping here; a value
    // is never quoted (it may hold a secret).
    if (HasLineBreakOrNul(name)) return "a rendered header name holds CR, LF or NUL (not sent)";
    if (HasLineBreakOrNul(value)) {
      return "header " + name + ": the rendered value holds CR, LF or NUL (request not sent)";
    }
  }
  return std::nullopt;
}

}  // namespace throng::engine
