#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "auth_store.h"
#include "router.h"

namespace demo {

/// The locker reservation system of seed 004. A hold lasts `hold_ttl` unless confirmed; an
/// expired hold counts as free. Thread-safe: one mutex makes each state change atomic, so of
/// many concurrent holds on one locker exactly one wins.
class Lockers {
 public:
  using Clock = std::chrono::steady_clock;

  Lockers(int count, std::chrono::milliseconds hold_ttl);
  /// Registers /lockers/... routes; all need a bearer token.
  void RegisterRoutes(Router& router, const AuthStore& auth);

 private:
  enum class State { kFree, kHeld, kConfirmed };
  struct Locker {
    State state = State::kFree;
    std::string owner;
    Clock::time_point expires;
  };
  // The state as of `now`, treating expired holds as free. Caller holds mutex_.
  State Effective(const Locker& locker, Clock::time_point now) const;
  Json ToJson(long long id, const Locker& locker, Clock::time_point now) const;
  Response Hold(const std::string& user, long long id);
  Response Confirm(const std::string& user, long long id);
  Response Release(const std::string& user, long long id);
  Response Available() const;
  Response Mine(const std::string& user) const;

  std::chrono::milliseconds hold_ttl_;
  mutable std::mutex mutex_;
  std::vector<Locker> lockers_;  // locker id = index + 1
};

}  // namespace demo
