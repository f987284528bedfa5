#include "lockers.h"

#include "auth_routes.h"

namespace demo {
namespace {

const char* StateName(int state) {
  static const char* kNames[] = {"available", "held", "confirmed"};
  return kNames[state];
}

}  // namespace

Lockers::Lockers(int count, std::chrono::milliseconds hold_ttl)
    : hold_ttl_(hold_ttl), lockers_(static_cast<size_t>(count)) {}

Lockers::State Lockers::Effective(const Locker& locker, Clock::time_point now) const {
  if (locker.state == State::kHeld && locker.expires <= now) return State::kFree;
  return locker.state;
}

Json Lockers::ToJson(long long id, const Locker& locker, Clock::time_point now) const {
  State state = Effective(locker, now);
  Json out = {{"id", id}, {"status", StateName(static_cast<int>(state))}};
  if (state == State::kHeld) {
    out["expires_in_ms"] =
        std::chrono::duration_cast<std::chrono::milliseconds>(locker.expires - now).count();
  }
  return out;
}

Response Lockers::Hold(const std::string& user, long long id) {
  auto now = Clock::now();
  std::lock_guard lock(mutex_);
  Locker& locker = lockers_[static_cast<size_t>(id - 1)];
  State state = Effective(locker, now);
  if (state == State::kConfirmed || (state == State::kHeld && locker.owner != user)) {
    return ErrorResponse(http::status::conflict, "Locker is not available");
  }
  locker = Locker{State::kHeld, user, now + hold_ttl_};
  return JsonResponse(http::status::ok, ToJson(id, locker, now));
}

Response Lockers::Confirm(const std::string& user, long long id) {
  auto now = Clock::now();
  std::lock_guard lock(mutex_);
  Locker& locker = lockers_[static_cast<size_t>(id - 1)];
  State state = Effective(locker, now);
  if (state == State::kConfirmed && locker.owner == user) {
    return JsonResponse(http::status::ok, ToJson(id, locker, now));  // idempotent
  }
  if (state != State::kHeld || locker.owner != user) {
    return ErrorResponse(http::status::conflict, "Locker is not held by you (or the hold expired)");
  }
  locker.state = State::kConfirmed;
  return JsonResponse(http::status::ok, ToJson(id, locker, now));
}

Response Lockers::Release(const std::string& user, long long id) {
  auto now = Clock::now();
  std::lock_guard lock(mutex_);
  Locker& locker = lockers_[static_cast<size_t>(id - 1)];
  if (Effective(locker, now) == State::kFree || locker.owner != user) {
    return ErrorResponse(http::status::conflict, "Locker is not held by you");
  }
  locker = Locker{};
  return JsonResponse(http::status::ok, ToJson(id, locker, now));
}

Response Lockers::Available() const {
  auto now = Clock::now();
  Json list = Json::array();
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < lockers_.size(); ++i) {
    if (Effective(lockers_[i], now) == State::kFree) {
      list.push_back(ToJson(static_cast<long long>(i + 1), lockers_[i], now));
    }
  }
  return JsonResponse(http::status::ok, list);
}

Response Lockers::Mine(const std::string& user) const {
  auto now = Clock::now();
  Json list = Json::array();
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < lockers_.size(); ++i) {
    if (Effective(lockers_[i], now) != State::kFree && lockers_[i].owner == user) {
      list.push_back(ToJson(static_cast<long long>(i + 1), lockers_[i], now));
    }
  }
  return JsonResponse(http::status::ok, list);
}

void Lockers::RegisterRoutes(Router& router, const AuthStore& auth) {
  router.Add(http::verb::get, "/lockers/available",
             RequireUser(auth, [this](RequestContext&, const User&) { return Available(); }));
  router.Add(
      http::verb::get, "/lockers/me",
      RequireUser(auth, [this](RequestContext&, const User& u) { return Mine(u.username); }));
  using Action = Response (Lockers::*)(const std::string&, long long);
  for (auto [verb_path, action] : {std::pair<const char*, Action>{"hold", &Lockers::Hold},
                                   {"confirm", &Lockers::Confirm},
                                   {"release", &Lockers::Release}}) {
    router.Add(http::verb::post, std::string("/lockers/{id}/") + verb_path,
               RequireUserAndId(auth, "locker id", [this, action](const User& user, long long id) {
                 if (id < 1 || id > static_cast<long long>(lockers_.size())) {
                   return ErrorResponse(http::status::not_found, "Locker not found");
                 }
                 return (this->*action)(user.username, id);
               }));
  }
}

}  // namespace demo
