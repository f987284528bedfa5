#include "throng/engine/histogram.h"

#include <cmath>

namespace throng::engine {
namespace histogram_layout {
namespace {
struct Position {
  int bucket;
  std::uint64_t sub_bucket;
};

// Inverse of IndexOf: the first half of bucket 0 is stored like the other halves.
Position PositionOf(std::size_t index) {
  int bucket = static_cast<int>(index >> kSubBucketHalfMagnitude) - 1;
  std::uint64_t sub_bucket = (index & (kSubBucketHalfCount - 1)) + kSubBucketHalfCount;
  if (bucket < 0) {
    sub_bucket -= kSubBucketHalfCount;
    bucket = 0;
  }
  return {bucket, sub_bucket};
}
}  // namespace

std::uint64_t LowestEquivalent(std::size_t index) {
  const Position pos = PositionOf(index);
  return pos.sub_bucket << pos.bucket;
}

std::uint64_t HighestEquivalent(std::size_t index) {
  const Position pos = PositionOf(index);
  return ((pos.sub_bucket + 1) << pos.bucket) - 1;
}
}  // namespace histogram_layout

namespace {
// Nearest rank ceil(p/100 * n), robust to the binary representation of p (99.9 * 1000 must be
// rank 99900, not 99901).
std::uint64_t RankOf(double p, std::uint64_t n) {
  const double exact = p / 100.0 * static_cast<double>(n);
  const double nearest = std::round(exact);
  const double rank =
      std::abs(exact - nearest) <= 1e-9 * std::max(1.0, exact) ? nearest : std::ceil(exact);
  return std::max<std::uint64_t>(1, std::min<std::uint64_t>(n, static_cast<std::uint64_t>(rank)));
}
}  // namespace

template <typename Counter>
std::uint64_t BasicLatencyHistogram<Counter>::ValueAtPercentile(double p) const {
  const std::uint64_t n = Count();
  if (n == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  if (p == 0.0) return Min();
  const std::uint64_t rank = RankOf(p, n);
  std::uint64_t seen = 0;
  const std::size_t last = LastIndex();
  for (std::size_t i = FirstIndex(); i <= last; ++i) {
    seen += counts_[i].Get();
    if (seen >= rank) return std::clamp(histogram_layout::HighestEquivalent(i), Min(), Max());
  }
  return Max();
}

template <typename Counter>
std::uint64_t BasicLatencyHistogram<Counter>::CountAtOrBelow(std::uint64_t bound_us) const {
  if (Count() == 0 || bound_us < Min()) return 0;
  if (bound_us >= histogram_layout::kMaxValueUs) return Count();
  std::size_t last = histogram_layout::IndexOf(bound_us);
  if (histogram_layout::HighestEquivalent(last) > bound_us) {
    if (last == 0) return 0;
    --last;
  }
  last = std::min(last, LastIndex());
  std::uint64_t total = 0;
  for (std::size_t i = FirstIndex(); i <= last; ++i) total += counts_[i].Get();
  return total;
}

template <typename Counter>
void BasicLatencyHistogram<Counter>::Subtract(const BasicLatencyHistogram& earlier) {
  if (earlier.Count() == 0 || Count() == 0) return;
  std::uint64_t removed = 0;
  const std::size_t last = earlier.LastIndex();
  for (std::size_t i = earlier.FirstIndex(); i <= last; ++i) {
    const std::uint64_t have = counts_[i].Get();
    const std::uint64_t take = std::min(have, earlier.counts_[i].Get());
    counts_[i].Set(have - take);
    removed += take;
  }
  const std::uint64_t old_min = Min();
  const std::uint64_t old_max = Max();
  const std::size_t first_index = FirstIndex();
  const std::size_t last_index = LastIndex();
  total_.Set(total_.Get() - removed);
  sum_.Set(sum_.Get() - std::min(sum_.Get(), earlier.sum_.Get()));
  if (total_.Get() == 0) {
    Reset();
    return;
  }
  std::size_t first = first_index;
  while (counts_[first].Get() == 0) ++first;
  std::size_t top = last_index;
  while (counts_[top].Get() == 0) --top;
  min_.Set(std::max(old_min, histogram_layout::LowestEquivalent(first)));
  max_.Set(std::min(old_max, histogram_layout::HighestEquivalent(top)));
}

template <typename Counter>
void BasicLatencyHistogram<Counter>::Reset() {
  for (Counter& c : counts_) c.Set(0);
  total_.Set(0);
  sum_.Set(0);
  min_.Set(kEmptyMin);
  max_.Set(0);
}

template class BasicLatencyHistogram<PlainCounter>;
template class BasicLatencyHistogram<RelaxedCounter>;

}  // namespace throng::engine
