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

/// /auth/token, /auth/login, /auth/refresh, /accounts/me and /users/me.
void RegisterAuthRoutes(Router& router, const AuthStore& auth, const BackendOptions& options);

}  // namespace demo
