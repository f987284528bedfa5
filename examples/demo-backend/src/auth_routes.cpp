#include "auth_routes.h"

namespace demo {
namespace {

std::string_view Header(const Request& request, http::field field) {
  auto it = request.find(field);
  if (it == request.end()) return {};
  return {it->value().data(), it->value().size()};
}

std::string_view BearerToken(const Request& request) {
  std::string_view value = Header(request, http::field::authorization);
  constexpr std::string_view kPrefix = "Bearer ";
  if (value.size() <= kPrefix.size() || value.substr(0, kPrefix.size()) != kPrefix) return {};
  return value.substr(kPrefix.size());
}

std::string_view SessionCookie(const Request& request) {
  std::string_view cookies = Header(request, http::field::cookie);
  while (!cookies.empty()) {
    size_t end = cookies.find(';');
    std::string_view cookie = cookies.substr(0, end);
    while (!cookie.empty() && cookie.front() == ' ') cookie.remove_prefix(1);
    if (cookie.substr(0, 8) == "session=") return cookie.substr(8);
    if (end == std::string_view::npos) break;
    cookies.remove_prefix(end + 1);
  }
  return {};
}

bool IsJson(const Request& request) {
  return Header(request, http::field::content_type).find("json") != std::string_view::npos;
}

// Reads username/password from a form or JSON body; "" on success, else the missing field.
std::string ReadCredentials(const Request& request, bool json, std::string& username,
                            std::string& password) {
  if (json) {
    Json body = Json::parse(request.body(), nullptr, false);
    for (auto [name, out] : {std::pair{"username", &username}, std::pair{"password", &password}}) {
      if (!body.is_object() || !body.contains(name) || !body[name].is_string()) {
        return std::string(name) + " is required (string)";
      }
      *out = body[name].get<std::string>();
    }
    return "";
  }
  if (!FormField(request.body(), "username", username)) return "username is required";
  if (!FormField(request.body(), "password", password)) return "password is required";
  return "";
}

Response TokenResponse(const AuthStore& auth, const User& user, const BackendOptions& options,
                       bool with_cookie) {
  Response response = JsonResponse(
      http::status::ok,
      Json{{"access_token", auth.Issue(AuthStore::TokenKind::kAccess, user.username)},
           {"refresh_token", auth.Issue(AuthStore::TokenKind::kRefresh, user.username)},
           {"token_type", "bearer"}});
  if (with_cookie) {
    std::string cookie = "session=" + auth.Issue(AuthStore::TokenKind::kSession, user.username) +
                         "; Path=/; HttpOnly";
    if (options.secure_cookies) cookie += "; Secure";
    response.set(http::field::set_cookie, cookie);
  }
  return response;
}

Handler LoginHandler(const AuthStore& auth, const BackendOptions& options, bool json_default) {
  return [&auth, &options, json_default](RequestContext& ctx) {
    std::string username, password;
    bool json = json_default || IsJson(ctx.request);
    std::string error = ReadCredentials(ctx.request, json, username, password);
    if (!error.empty()) return ErrorResponse(http::status::unprocessable_entity, error);
    auto user = auth.Authenticate(username, password);
    if (!user) return ErrorResponse(http::status::unauthorized, "Incorrect username or password");
    return TokenResponse(auth, *user, options, true);
  };
}

}  // namespace

std::optional<User> CurrentUser(const AuthStore& auth, const Request& request) {
  if (auto token = BearerToken(request); !token.empty()) {
    return auth.Verify(AuthStore::TokenKind::kAccess, token);
  }
  if (auto session = SessionCookie(request); !session.empty()) {
    return auth.Verify(AuthStore::TokenKind::kSession, session);
  }
  return std::nullopt;
}

Response Unauthorized() {
  Response response = ErrorResponse(http::status::unauthorized, "Not authenticated");
  response.set(http::field::www_authenticate, "Bearer");
  return response;
}

void RegisterAuthRoutes(Router& router, const AuthStore& auth, const BackendOptions& options) {
  router.Add(http::verb::post, "/auth/token", LoginHandler(auth, options, false));
  router.Add(http::verb::post, "/auth/login", LoginHandler(auth, options, true));
  router.Add(http::verb::post, "/auth/refresh", [&auth, &options](RequestContext& ctx) {
    std::string token(BearerToken(ctx.request));
    if (token.empty()) {
      Json body = Json::parse(ctx.request.body(), nullptr, false);
      if (!body.is_object() || !body.contains("refresh_token") ||
          !body["refresh_token"].is_string()) {
        return ErrorResponse(http::status::unprocessable_entity,
                             "refresh_token is required (JSON body or bearer token)");
      }
      token = body["refresh_token"].get<std::string>();
    }
    auto user = auth.Verify(AuthStore::TokenKind::kRefresh, token);
    if (!user) return ErrorResponse(http::status::unauthorized, "Invalid refresh token");
    return TokenResponse(auth, *user, options, false);
  });
  Handler me = [&auth](RequestContext& ctx) {
    auto user = CurrentUser(auth, ctx.request);
    if (!user) return Unauthorized();
    return JsonResponse(http::status::ok, Json{{"id", user->id},
                                               {"username", user->username},
                                               {"email", user->username + "@example.com"},
                                               {"is_active", true}});
  };
  router.Add(http::verb::get, "/accounts/me", me);
  router.Add(http::verb::get, "/users/me", me);
}

}  // namespace demo
