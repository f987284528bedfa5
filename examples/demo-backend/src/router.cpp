#include "router.h"

namespace demo {
namespace {

// Splits "/a/b/" into {"a", "b"}; empty segments are dropped so trailing slashes do not matter.
template <typename T>
std::vector<T> Split(std::string_view path) {
  std::vector<T> out;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    if (!part.empty()) out.emplace_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool IsCapture(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

Router::Router() { names_.push_back("unmatched"); }

void Router::Add(http::verb method, std::string pattern, Handler handler, bool fault_exempt) {
  routes_.push_back(Route{method, Split<std::string>(pattern), std::move(handler), fault_exempt});
  names_.push_back(std::move(pattern));
}

RouteMatch Router::Match(const Request& request) const {
  std::string_view target(request.target().data(), request.target().size());
  RouteMatch match;
  size_t question = target.find('?');
  if (question != std::string_view::npos) match.query = target.substr(question + 1);
  auto segments = Split<std::string_view>(target.substr(0, question));
  for (size_t i = 0; i < routes_.size(); ++i) {
    const Route& route = routes_[i];
    if (route.segments.size() != segments.size()) continue;
    bool same_path = true;
    for (size_t s = 0; s < segments.size() && same_path; ++s) {
      same_path = IsCapture(route.segments[s]) || route.segments[s] == segments[s];
    }
    if (!same_path) continue;
    if (route.method != request.method()) {
      match.no_match_status = http::status::method_not_allowed;
      continue;
    }
    match.route_id = i + 1;
    match.handler = &route.handler;
    match.fault_exempt = route.fault_exempt;
    for (size_t s = 0; s < segments.size(); ++s) {
      if (IsCapture(route.segments[s])) match.params.push_back(segments[s]);
    }
    return match;
  }
  return match;
}

}  // namespace demo
