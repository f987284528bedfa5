#include "app.h"

#include "auth_routes.h"
#include "process_metrics.h"

namespace demo {

App::App(const BackendOptions& options)
    : options_(options),
      auth_(options.prepared_users),
      lockers_(options.lockers, options.hold_ttl) {
  // The benchmark route goes first: matching is a linear scan.
  router_.Add(
      http::verb::get, "/health",
      [](RequestContext&) {
        return JsonResponse(http::status::ok, Json{{"status", "ok"}});
      },
      true);
  router_.Add(
      http::verb::get, "/metrics",
      [this](RequestContext&) {
        Response response(http::status::ok, 11);
        response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        response.body() = metrics_.Render(router_.RouteNames()) + RenderProcessMetrics();
        return response;
      },
      true);
  RegisterAuthRoutes(router_, auth_, options_);
  RegisterRecordRoutes(router_, todos_, "/todos/", "Todo");
  RegisterRecordRoutes(router_, items_, "/items/", "Item");
  shop_.RegisterRoutes(router_, auth_);
  lockers_.RegisterRoutes(router_, auth_);
  RegisterAdminRoutes();
}

void App::RegisterAdminRoutes() {
  router_.Add(
      http::verb::post, "/admin/users",
      [this](RequestContext& ctx) {
        Json body = Json::parse(ctx.request.body(), nullptr, false);
        for (const char* field : {"username", "password"}) {
          if (!body.is_object() || !body.contains(field) || !body[field].is_string() ||
              body[field].get<std::string>().empty()) {
            return ErrorResponse(http::status::unprocessable_entity,
                                 std::string(field) + " is required (non-empty string)");
          }
        }
        std::string username = body["username"];
        if (!auth_.AddUser(username, body["password"])) {
          return ErrorResponse(http::status::conflict, "User already exists");
        }
        return JsonResponse(http::status::created, Json{{"username", username}});
      },
      true);
  router_.Add(
      http::verb::delete_, "/admin/users/{username}",
      [this](RequestContext& ctx) {
        return auth_.RemoveUser(std::string(ctx.params[0]))
                   ? EmptyResponse(http::status::no_content)
                   : ErrorResponse(http::status::not_found, "User not found");
      },
      true);
  router_.Add(
      http::verb::get, "/admin/faults",
      [this](RequestContext&) { return JsonResponse(http::status::ok, faults_.Describe()); }, true);
  router_.Add(
      http::verb::post, "/admin/faults",
      [this](RequestContext& ctx) {
        Json body = Json::parse(ctx.request.body(), nullptr, false);
        if (std::string error = faults_.Apply(body); !error.empty()) {
          return ErrorResponse(http::status::unprocessable_entity, error);
        }
        return JsonResponse(http::status::ok, faults_.Describe());
      },
      true);
  router_.Add(
      http::verb::delete_, "/admin/faults",
      [this](RequestContext&) {
        faults_.Clear();
        return JsonResponse(http::status::ok, faults_.Describe());
      },
      true);
}

Response App::Handle(RouteMatch& match, const Request& request) const {
  if (match.handler == nullptr) {
    return ErrorResponse(match.no_match_status, match.no_match_status == http::status::not_found
                                                    ? "Not Found"
                                                    : "Method Not Allowed");
  }
  RequestContext ctx{request, std::move(match.params), match.query};
  try {
    return (*match.handler)(ctx);
  } catch (const std::exception& e) {
    return ErrorResponse(http::status::internal_server_error, e.what());
  }
}

}  // namespace demo
