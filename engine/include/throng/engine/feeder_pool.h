// Hands out feeder rows to virtual users.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "throng/engine/plan.h"
#include "throng/engine/user_state.h"

namespace throng::engine {

/// Thrown when a feeder cannot give a user a row; what() names the feeder and its row count.
class FeederExhausted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The row cursors of one job's feeders. Thread-safe: users on every worker draw rows concurrently
/// through atomics, with no lock. Borrows `feeders`, which must outlive the pool.
class FeederPool {
 public:
  explicit FeederPool(const std::vector<FeederPlan>& feeders);

  /// Draws one row of every feeder for `user`: kUnique gives each row to at most one user and
  /// throws FeederExhausted when none is left; kRoundRobin takes rows in turn, wrapping; kRandom
  /// uses the user's generator. A feeder without rows throws FeederExhausted.
  void AssignRows(UserState& user);

  /// Throws FeederExhausted up front when a unique feeder has fewer rows than `max_users` users
  /// (the most users the job can ever start) will need, or any feeder has no rows.
  void CheckCapacity(std::uint64_t max_users) const;

 private:
  // Padded so cursors of different feeders do not share a cache line.
  struct alignas(64) Cursor {
    std::atomic<std::uint64_t> next{0};
  };

  const std::vector<FeederPlan>* feeders_;
  std::unique_ptr<Cursor[]> cursors_;
};

}  // namespace throng::engine
