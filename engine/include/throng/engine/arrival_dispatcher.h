// Hands open-model arrivals to free virtual users, growing the pool up to its maximum and
// queueing (then dropping) arrivals that find every user busy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

#include "throng/engine/clock.h"

namespace throng::engine {

/// The open model's user pool bookkeeping. Users are numbered 0, 1, ... in creation order; idle
/// users take arrivals first in, first out, so the whole pool (and its connections) is in use at
/// once and the connection count does not step up later when a stall makes more users busy.
/// Thread-safe: the controller calls Arrive, users call Release from their workers.
class ArrivalDispatcher {
 public:
  enum class Outcome {
    kAssigned,  // give the arrival to idle user `user`
    kSpawn,     // create user `user` and give it the arrival
    kQueued,    // every user is busy: it waits (late) for the next free one
    kDropped,   // the queue is full: count it as dropped
  };
  struct Decision {
    Outcome outcome = Outcome::kDropped;
    std::size_t user = 0;
  };

  /// Users 0 .. `preallocated` - 1 exist from the start and are idle.
  ArrivalDispatcher(std::uint32_t preallocated, std::uint32_t max_users);

  /// Places an arrival intended for `intended`. `queue_bound` is how many may wait.
  Decision Arrive(TimePoint intended, std::size_t queue_bound);
  /// User `user` is free: returns the oldest queued arrival's intended time for it to run now, or
  /// nullopt after marking it idle.
  std::optional<TimePoint> Release(std::size_t user);
  /// Empties the queue (the job is ending); returns how many arrivals were waiting.
  std::size_t TakeQueued();

  std::size_t Users() const;
  std::uint64_t LateCount() const;

 private:
  mutable std::mutex mutex_;
  std::uint32_t max_users_;
  std::size_t users_;
  std::deque<std::size_t> idle_;  // the idle users, the longest idle first
  std::deque<TimePoint> queue_;
  std::uint64_t late_ = 0;
};

}  // namespace throng::engine
