#include "throng/engine/histogram.h"

#include <algorithm>
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

std::uint64_t SaturatedAdd(std::uint64_t have, std::uint64_t n) {
  return have + std::min(n, LatencyHistogram::kMaxBucketCount - have);
}
}  // namespace

void LatencyHistogram::RecordN(std::uint64_t value_us, std::uint64_t n) {
  if (n == 0) return;
  const std::uint64_t v =
      std::clamp(value_us, histogram_layout::kMinValueUs, histogram_layout::kMaxValueUs);
  const std::uint64_t added = AddToBucket(histogram_layout::IndexOf(v), n);
  if (added == 0) return;
  sum_ += v * added;
  min_ = std::min(min_, v);
  max_ = std::max(max_, v);
}

std::uint64_t LatencyHistogram::AddToBucket(std::size_t index, std::uint64_t n) {
  if (n == 0 || index >= histogram_layout::kCountsLength) return 0;
  auto at = entries_.end();
  if (!entries_.empty() && IndexOf(entries_.back()) < index) {
    at = entries_.end();
  } else {
    at = std::lower_bound(entries_.begin(), entries_.end(), Entry(index, 0));
  }
  std::uint64_t added = std::min(n, kMaxBucketCount);
  if (at != entries_.end() && IndexOf(*at) == index) {
    const std::uint64_t have = CountOf(*at);
    added = SaturatedAdd(have, n) - have;
    *at = Entry(index, have + added);
  } else {
    entries_.insert(at, Entry(index, added));
  }
  total_ += added;
  return added;
}

std::uint64_t LatencyHistogram::MergeEntries(const std::vector<std::uint64_t>& added) {
  std::uint64_t count = 0;
  if (entries_.empty()) {
    entries_.assign(added.begin(), added.end());
    for (const std::uint64_t entry : added) count += CountOf(entry);
    return count;
  }
  std::size_t size = 0;
  for (std::size_t i = 0, j = 0; i < entries_.size() || j < added.size(); ++size) {
    if (j == added.size() || (i < entries_.size() && IndexOf(entries_[i]) < IndexOf(added[j]))) {
      ++i;
    } else if (i == entries_.size() || IndexOf(added[j]) < IndexOf(entries_[i])) {
      ++j;
    } else {
      ++i, ++j;
    }
  }
  std::vector<std::uint64_t> merged;
  merged.reserve(size);
  std::size_t i = 0;
  for (const std::uint64_t entry : added) {
    while (i < entries_.size() && IndexOf(entries_[i]) < IndexOf(entry))
      merged.push_back(entries_[i++]);
    if (i < entries_.size() && IndexOf(entries_[i]) == IndexOf(entry)) {
      const std::uint64_t have = CountOf(entries_[i++]);
      const std::uint64_t sum = SaturatedAdd(have, CountOf(entry));
      count += sum - have;
      merged.push_back(Entry(IndexOf(entry), sum));
    } else {
      count += CountOf(entry);
      merged.push_back(entry);
    }
  }
  merged.insert(merged.end(), entries_.begin() + static_cast<std::ptrdiff_t>(i), entries_.end());
  entries_.swap(merged);
  return count;
}

void LatencyHistogram::Add(const LatencyHistogram& other) {
  if (other.total_ == 0) return;
  const std::uint64_t added = MergeEntries(other.entries_);
  if (added == 0) return;
  total_ += added;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void LatencyHistogram::Add(const RecordingHistogram& other) {
  const std::uint64_t other_max = other.max_.Get();
  if (other_max == 0) return;  // empty (every recorded value is >= 1)
  // A concurrent reader may see max before min is stored; max bounds the range then.
  const std::uint64_t other_min = std::min(other.min_.Get(), other_max);
  const std::size_t first = histogram_layout::IndexOf(other_min);
  const std::size_t last = histogram_layout::IndexOf(other_max);
  // A first pass sizes the array (the writer may add a bucket or two before the second).
  std::size_t in_use = 0;
  other.ForEachCount(first, last, [&](std::size_t, std::uint64_t) { ++in_use; });
  std::vector<std::uint64_t> taken;
  taken.reserve(in_use);
  std::uint64_t taken_count = 0;
  other.ForEachCount(first, last, [&](std::size_t i, std::uint64_t c) {
    taken.push_back(Entry(i, std::min(c, kMaxBucketCount)));
    taken_count += std::min(c, kMaxBucketCount);
  });
  if (taken.empty()) return;
  std::uint64_t added = taken_count;
  if (entries_.empty() && taken.size() == taken.capacity()) {
    entries_.swap(taken);  // the first worker of a snapshot: no merge, no copy
  } else {
    added = MergeEntries(taken);
  }
  total_ += added;
  sum_ += other.sum_.Get();
  min_ = std::min(min_, other_min);
  max_ = std::max(max_, other_max);
}

std::uint64_t LatencyHistogram::ValueAtPercentile(double p) const {
  if (total_ == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  if (p == 0.0) return Min();
  const std::uint64_t rank = RankOf(p, total_);
  std::uint64_t seen = 0;
  for (const std::uint64_t entry : entries_) {
    seen += CountOf(entry);
    if (seen >= rank) {
      return std::clamp(histogram_layout::HighestEquivalent(IndexOf(entry)), Min(), Max());
    }
  }
  return Max();
}

std::uint64_t LatencyHistogram::CountAtOrBelow(std::uint64_t bound_us) const {
  if (total_ == 0 || bound_us < Min()) return 0;
  if (bound_us >= histogram_layout::kMaxValueUs) return total_;
  std::uint64_t total = 0;
  for (const std::uint64_t entry : entries_) {
    if (histogram_layout::HighestEquivalent(IndexOf(entry)) > bound_us) break;
    total += CountOf(entry);
  }
  return total;
}

void LatencyHistogram::TightenBounds(std::uint64_t old_min, std::uint64_t old_max) {
  if (total_ == 0) {
    Reset();
    return;
  }
  min_ = std::max(old_min, histogram_layout::LowestEquivalent(IndexOf(entries_.front())));
  max_ = std::min(old_max, histogram_layout::HighestEquivalent(IndexOf(entries_.back())));
}

void LatencyHistogram::Subtract(const LatencyHistogram& earlier) {
  if (earlier.total_ == 0 || total_ == 0) return;
  std::uint64_t removed = 0;
  std::size_t kept = 0;
  std::size_t j = 0;
  for (const std::uint64_t entry : entries_) {
    while (j < earlier.entries_.size() && IndexOf(earlier.entries_[j]) < IndexOf(entry)) ++j;
    std::uint64_t have = CountOf(entry);
    if (j < earlier.entries_.size() && IndexOf(earlier.entries_[j]) == IndexOf(entry)) {
      const std::uint64_t take = std::min(have, CountOf(earlier.entries_[j]));
      removed += take;
      have -= take;
    }
    if (have != 0) entries_[kept++] = Entry(IndexOf(entry), have);
  }
  entries_.resize(kept);
  if (kept < entries_.capacity() / 2) entries_.shrink_to_fit();
  const std::uint64_t old_min = Min();
  const std::uint64_t old_max = Max();
  total_ -= removed;
  sum_ -= std::min(sum_, earlier.sum_);
  TightenBounds(old_min, old_max);
}

void LatencyHistogram::Reset() { *this = LatencyHistogram(); }

LatencyHistogram Difference(const LatencyHistogram& now, const LatencyHistogram& earlier) {
  LatencyHistogram out;
  if (now.total_ == 0) return out;
  // Calls fn(index, count above earlier's) for each bucket of `now` that grew.
  const auto for_each_growth = [&](auto&& fn) {
    std::size_t j = 0;
    for (const std::uint64_t entry : now.entries_) {
      const std::size_t index = LatencyHistogram::IndexOf(entry);
      while (j < earlier.entries_.size() && LatencyHistogram::IndexOf(earlier.entries_[j]) < index)
        ++j;
      const std::uint64_t before =
          j < earlier.entries_.size() && LatencyHistogram::IndexOf(earlier.entries_[j]) == index
              ? LatencyHistogram::CountOf(earlier.entries_[j])
              : 0;
      if (LatencyHistogram::CountOf(entry) > before)
        fn(index, LatencyHistogram::CountOf(entry) - before);
    }
  };
  std::size_t grown = 0;
  for_each_growth([&](std::size_t, std::uint64_t) { ++grown; });
  out.entries_.reserve(grown);
  for_each_growth([&](std::size_t index, std::uint64_t count) {
    out.entries_.push_back(LatencyHistogram::Entry(index, count));
    out.total_ += count;
  });
  if (out.total_ == 0) return LatencyHistogram();
  out.sum_ = now.sum_ - std::min(now.sum_, earlier.sum_);
  out.TightenBounds(now.Min(), now.Max());
  return out;
}

}  // namespace throng::engine
