#pragma once

#include <optional>

#include "auth_store.h"
#include "options.h"
#include "router.h"

namespace demo {

/// The user behind a valid `Authorization: Bearer` access token or `session` cookie.
std::optional<User> CurrentUser(const AuthStore& auth, const Request& request);

/// The 401 answer for requests without valid credentials.
Response Unauthorized();

/// Wraps `action(ctx, user)` so it runs only for an authenticated user (401 otherwise).
template <typename Action>
Handler RequireUser(const AuthStore& auth, Action action) {
  return [&auth, action](RequestContext& ctx) {
    auto user = CurrentUser(auth, ctx.request);
    if (!user) return Unauthorized();
    return action(ctx, *user);
  };
}

/// Like RequireUser, and also parses the first path parameter as an integer id (422 naming
/// `id_name` otherwise); runs `action(user, id)`.
template <typename Action>
Handler RequireUserAndId(const AuthStore& auth, std::string_view id_name, Action action) {
  return RequireUser(auth, [id_name, action](RequestContext& ctx, const User& user) {
    long long id = 0;
    Response error;
    if (!PathId(ctx, 0, id_name, id, error)) return error;
    return action(user, id);
  });
}

/// /auth/token, /auth/login, /auth/refresh, /accounts/me and /users/me.
void RegisterAuthRoutes(Router& router, const AuthStore& auth, const BackendOptions& options);

}  // namespace demo
