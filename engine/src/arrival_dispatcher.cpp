#include "throng/engine/arrival_dispatcher.h"

#include <algorithm>

namespace throng::engine {

ArrivalDispatcher::ArrivalDispatcher(std::uint32_t preallocated, std::uint32_t max_users)
    : max_users_(std::max<std::uint32_t>(max_users, 1)),
      users_(std::min(preallocated, max_users_)) {
  // First in, first out: arrivals go to users 0, 1, ... in turn (spread over workers), so every
  // pre-allocated user (and its keep-alive connection) is in use from the first second, not only
  // after a stall has made the later ones busy.
  for (std::size_t user = 0; user < users_; ++user) idle_.push_back(user);
}

ArrivalDispatcher::Decision ArrivalDispatcher::Arrive(TimePoint intended, std::size_t queue_bound) {
  std::lock_guard lock(mutex_);
  if (!idle_.empty()) {
    const std::size_t user = idle_.front();
    idle_.pop_front();
    return {Outcome::kAssigned, user};
  }
  if (users_ < max_users_) return {Outcome::kSpawn, users_++};
  if (queue_.size() < queue_bound) {
    queue_.push_back(intended);
    ++late_;
    return {Outcome::kQueued, 0};
  }
  return {Outcome::kDropped, 0};
}

std::optional<TimePoint> ArrivalDispatcher::Release(std::size_t user) {
  std::lock_guard lock(mutex_);
  if (!queue_.empty()) {
    const TimePoint intended = queue_.front();
    queue_.pop_front();
    return intended;
  }
  idle_.push_back(user);
  return std::nullopt;
}

std::size_t ArrivalDispatcher::TakeQueued() {
  std::lock_guard lock(mutex_);
  const std::size_t waiting = queue_.size();
  queue_.clear();
  return waiting;
}

std::size_t ArrivalDispatcher::Users() const {
  std::lock_guard lock(mutex_);
  return users_;
}

std::uint64_t ArrivalDispatcher::LateCount() const {
  std::lock_guard lock(mutex_);
  return late_;
}

}  // namespace throng::engine
