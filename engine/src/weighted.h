// Weighted selection helpers shared by task choice, branch choice and user class assignment.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace throng::engine {

/// Index of an item picked at random with probability weight/sum. `weight_of(i)` gives item i's
/// weight; all-zero weights pick uniformly. `count` must be > 0.
template <typename WeightOf>
std::size_t PickWeighted(std::size_t count, WeightOf weight_of, std::mt19937_64& random) {
  if (count == 1) return 0;  // no draw: a single choice leaves the user's random stream alone
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < count; ++i) total += weight_of(i);
  if (total == 0) return std::uniform_int_distribution<std::size_t>(0, count - 1)(random);
  std::uint64_t ticket = std::uniform_int_distribution<std::uint64_t>(0, total - 1)(random);
  for (std::size_t i = 0; i < count; ++i) {
    if (ticket < weight_of(i)) return i;
    ticket -= weight_of(i);
  }
  return count - 1;
}

/// Deterministic class assignment by user index, like Locust: any prefix of user indices 0..n-1
/// is split between classes as close to their weights as possible (smooth weighted round robin),
/// so 10 users of weights 3:1 give 7 or 8 and 2 or 3, never 10 and 0. Immutable; thread-safe.
class WeightedSequence {
 public:
  explicit WeightedSequence(const std::vector<std::uint32_t>& weights);
  std::size_t At(std::uint64_t index) const { return cycle_[index % cycle_.size()]; }

 private:
  std::vector<std::size_t> cycle_;
};

}  // namespace throng::engine
