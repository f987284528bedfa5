#include "weighted.h"

#include <algorithm>
#include <numeric>

namespace throng::engine {

WeightedSequence::WeightedSequence(const std::vector<std::uint32_t>& weights) {
  std::vector<std::uint64_t> w(weights.begin(), weights.end());
  if (w.empty()) w.push_back(1);
  if (std::all_of(w.begin(), w.end(), [](std::uint64_t x) { return x == 0; })) {
    std::fill(w.begin(), w.end(), 1);
  }
  std::uint64_t divisor = 0;
  for (auto x : w) divisor = std::gcd(divisor, x);
  std::uint64_t total = 0;
  for (auto& x : w) total += (x /= divisor);
  // Huge co-prime weights would make a huge cycle; scaling them to ~10k keeps shares within 0.01 %.
  constexpr std::uint64_t kMaxCycle = 10000;
  if (total > kMaxCycle) {
    std::uint64_t scaled_total = 0;
    for (auto& x : w)
      scaled_total += (x = std::max<std::uint64_t>(x ? 1 : 0, x * kMaxCycle / total));
    total = scaled_total;
  }
  std::vector<std::int64_t> current(w.size(), 0);
  cycle_.reserve(total);
  for (std::uint64_t step = 0; step < total; ++step) {
    std::size_t best = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
      current[i] += static_cast<std::int64_t>(w[i]);
      if (current[i] > current[best]) best = i;
    }
    current[best] -= static_cast<std::int64_t>(total);
    cycle_.push_back(best);
  }
}

}  // namespace throng::engine
