#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http_types.h"

namespace demo {

using Handler = std::function<Response(RequestContext&)>;

/// Result of matching a request: the route (its id indexes RouteNames()) and captured params.
struct RouteMatch {
  size_t route_id = 0;  // 0 = no route matched
  const Handler* handler = nullptr;
  bool fault_exempt = true;
  http::status no_match_status = http::status::not_found;  // 404 or 405 when handler is null
  std::vector<std::string_view> params;
  std::string_view query;
};

/// Maps (method, path) to handlers using patterns like "/todos/{id}". A trailing slash is
/// optional on both sides. Routes are added at start-up only; Match is then thread-safe.
class Router {
 public:
  Router();
  /// Adds a route; `fault_exempt` routes never get injected faults (health, metrics, admin).
  void Add(http::verb method, std::string pattern, Handler handler, bool fault_exempt = false);
  RouteMatch Match(const Request& request) const;
  /// Route patterns by id; id 0 is "unmatched" (a raw URL is never a metric label).
  const std::vector<std::string>& RouteNames() const { return names_; }

 private:
  struct Route {
    http::verb method;
    std::vector<std::string> segments;  // "{...}" segments are captures
    Handler handler;
    bool fault_exempt;
  };
  std::vector<Route> routes_;  // index + 1 == route id
  std::vector<std::string> names_;
};

}  // namespace demo
