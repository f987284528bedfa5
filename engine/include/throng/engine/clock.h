// An injectable monotonic clock, so schedules and ramps can be tested on simulated time.
#pragma once

#include <atomic>
#include <chrono>

namespace throng::engine {

using TimePoint = std::chrono::steady_clock::time_point;

/// Monotonic time source. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

/// The real std::chrono::steady_clock.
class SteadyClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::steady_clock::now(); }
};

/// A clock that only moves when told to (tests). Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint{}) : now_(start.time_since_epoch().count()) {}
  TimePoint Now() const override {
    return TimePoint{TimePoint::duration{now_.load(std::memory_order_acquire)}};
  }
  void Advance(std::chrono::nanoseconds delta) {
    now_.fetch_add(std::chrono::duration_cast<TimePoint::duration>(delta).count(),
                   std::memory_order_acq_rel);
  }

 private:
  std::atomic<TimePoint::rep> now_;
};

}  // namespace throng::engine
