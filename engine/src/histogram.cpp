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
  std::uint64_t found = Max();
  ForEachCount(FirstIndex(), LastIndex(), [&](std::size_t i, std::uint64_t c) {
    seen += c;
    if (seen < rank) return true;
    found = std::clamp(histogram_layout::HighestEquivalent(i), Min(), Max());
    return false;
  });
  return found;
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
  if (last < FirstIndex()) return 0;
  ForEachCount(FirstIndex(), last, [&](std::size_t, std::uint64_t c) {
    total += c;
    return true;
  });
  return total;
}

template <typename Counter>
void BasicLatencyHistogram<Counter>::TightenBounds(std::uint64_t old_min, std::uint64_t old_max,
                                                   std::size_t first, std::size_t last) {
  if (total_.Get() == 0) {
    Reset();
    return;
  }
  std::size_t lowest = last;
  std::size_t highest = first;
  ForEachCount(first, last, [&](std::size_t i, std::uint64_t) {
    lowest = std::min(lowest, i);
    highest = i;
    return true;
  });
  min_.Set(std::max(old_min, histogram_layout::LowestEquivalent(lowest)));
  max_.Set(std::min(old_max, histogram_layout::HighestEquivalent(highest)));
}

template <typename Counter>
void BasicLatencyHistogram<Counter>::Subtract(const BasicLatencyHistogram& earlier) {
  if (earlier.Count() == 0 || Count() == 0) return;
  std::uint64_t removed = 0;
  earlier.ForEachCount(earlier.FirstIndex(), earlier.LastIndex(),
                       [&](std::size_t i, std::uint64_t c) {
                         const std::uint64_t have = counts_.Get(i);
                         const std::uint64_t take = std::min(have, c);
                         if (take != 0) counts_.Cell(i).Set(have - take);
                         removed += take;
                         return true;
                       });
  const std::uint64_t old_min = Min();
  const std::uint64_t old_max = Max();
  total_.Set(total_.Get() - removed);
  sum_.Set(sum_.Get() - std::min(sum_.Get(), earlier.sum_.Get()));
  TightenBounds(old_min, old_max, FirstIndex(), LastIndex());
}

template <typename Counter>
void BasicLatencyHistogram<Counter>::Reset() {
  // A plain histogram has no concurrent reader: give its memory back.
  if constexpr (std::is_same_v<Counter, PlainCounter>) {
    counts_.Clear();
  } else {
    counts_.Zero();
  }
  total_.Set(0);
  sum_.Set(0);
  min_.Set(kEmptyMin);
  max_.Set(0);
}

template class BasicLatencyHistogram<PlainCounter>;
template class BasicLatencyHistogram<RelaxedCounter>;

LatencyHistogram Difference(const LatencyHistogram& now, const LatencyHistogram& earlier) {
  LatencyHistogram out;
  if (now.Count() == 0) return out;
  std::uint64_t kept = 0;
  now.ForEachCount(now.FirstIndex(), now.LastIndex(), [&](std::size_t i, std::uint64_t c) {
    const std::uint64_t before = earlier.Count() == 0 ? 0 : earlier.counts_.Get(i);
    if (c > before) {
      out.counts_.Cell(i).Set(c - before);
      kept += c - before;
    }
    return true;
  });
  out.total_.Set(kept);
  out.sum_.Set(now.Sum() - std::min(now.Sum(), earlier.Sum()));
  out.TightenBounds(now.Min(), now.Max(), now.FirstIndex(), now.LastIndex());
  return out;
}

}  // namespace throng::engine
