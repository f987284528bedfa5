// HDR-style log-linear latency histogram: microseconds, 1 us .. 1 h, 3 significant digits.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "throng/engine/histogram_counts.h"

namespace throng::engine {

/// Bucket layout shared by every histogram (HdrHistogram's layout with lowest value 1 and
/// 2048 sub-buckets): values below 2048 have their own bucket; above, each power-of-two range
/// is split into 1024 equal buckets, so a bucket's width is at most 1/1024 (< 0.1 %) of its
/// lowest value. Bucket indices grow with the values they hold.
namespace histogram_layout {
inline constexpr int kSubBucketHalfMagnitude = 10;
inline constexpr std::uint64_t kSubBucketHalfCount = 1u << kSubBucketHalfMagnitude;
inline constexpr std::uint64_t kSubBucketMask = 2 * kSubBucketHalfCount - 1;
inline constexpr std::uint64_t kMinValueUs = 1;
inline constexpr std::uint64_t kMaxValueUs = 3'600'000'000;  // one hour
/// Powers of two above the first 2048 values needed to reach kMaxValueUs (2048 << 21 > 1 h).
inline constexpr std::size_t kBucketCount = 22;
inline constexpr std::size_t kCountsLength = (kBucketCount + 1) * kSubBucketHalfCount;  // 23552

/// Index of the bucket holding `value` (value <= kMaxValueUs).
inline std::size_t IndexOf(std::uint64_t value) {
  const int bucket = 64 - __builtin_clzll(value | kSubBucketMask) - (kSubBucketHalfMagnitude + 1);
  const std::uint64_t sub_bucket = value >> bucket;
  return (static_cast<std::size_t>(bucket + 1) << kSubBucketHalfMagnitude) +
         static_cast<std::size_t>(sub_bucket - kSubBucketHalfCount);
}
/// Smallest value that maps to bucket `index`.
std::uint64_t LowestEquivalent(std::size_t index);
/// Largest value that maps to bucket `index`.
std::uint64_t HighestEquivalent(std::size_t index);
}  // namespace histogram_layout

/// Latency histogram over 23552 buckets whose uint64 counts are allocated lazily in chunks of 64
/// (see ChunkedCounts: an empty histogram holds no heap memory, a written one 2.9 KiB of directory
/// plus 512 bytes per chunk in use, at most 187 KiB), mergeable and subtractable. Values are
/// microseconds, clamped into [1 us, 1 h] (a clamped value is still counted). Count, Sum and
/// Max/Min are exact; percentiles are within 0.1 %. `Counter` is PlainCounter (a copyable value;
/// one thread at a time) or RelaxedCounter (one recording thread, readers may Add() it into a plain
/// histogram concurrently and see a slightly skewed but self-consistent state).
template <typename Counter>
class BasicLatencyHistogram {
 public:
  BasicLatencyHistogram() { min_.Set(kEmptyMin); }

  /// Rounds to the nearest microsecond; negative durations count as the minimum value.
  static std::uint64_t ToMicros(std::chrono::nanoseconds d) {
    return d.count() <= 0 ? 0 : static_cast<std::uint64_t>((d.count() + 500) / 1000);
  }

  void Record(std::uint64_t value_us) { RecordN(value_us, 1); }
  void Record(std::chrono::nanoseconds d) { RecordN(ToMicros(d), 1); }

  /// Records `n` occurrences of `value_us`.
  void RecordN(std::uint64_t value_us, std::uint64_t n) {
    const std::uint64_t v =
        std::clamp(value_us, histogram_layout::kMinValueUs, histogram_layout::kMaxValueUs);
    Counter& cell = counts_.Cell(histogram_layout::IndexOf(v));
    cell.Set(cell.Get() + n);
    total_.Set(total_.Get() + n);
    sum_.Set(sum_.Get() + v * n);
    if (v < min_.Get()) min_.Set(v);
    if (v > max_.Get()) max_.Set(v);
  }

  std::uint64_t Count() const { return total_.Get(); }
  /// Exact sum of the recorded (clamped) values in microseconds; Prometheus' `_sum`.
  std::uint64_t Sum() const { return sum_.Get(); }
  /// Exact smallest recorded value; 0 when empty.
  std::uint64_t Min() const { return Count() == 0 ? 0 : min_.Get(); }
  /// Exact largest recorded value; 0 when empty.
  std::uint64_t Max() const { return Count() == 0 ? 0 : max_.Get(); }
  /// Exact mean in microseconds; 0 when empty.
  double Mean() const {
    return Count() == 0 ? 0.0 : static_cast<double>(Sum()) / static_cast<double>(Count());
  }

  /// Value at percentile `p` (clamped to [0, 100]) by the nearest-rank rule: the highest value
  /// equivalent to the ranked sample's bucket (HdrHistogram's choice; never below the true
  /// value, at most 0.1 % above it), clamped into [Min, Max] so p=0 is Min and p=100 is Max.
  /// 0 when empty.
  std::uint64_t ValueAtPercentile(double p) const;

  /// Number of recorded values whose bucket lies wholly at or below `bound_us`, i.e. whose
  /// bucket's highest equivalent value is <= bound_us. A value up to 0.1 % below the bound
  /// may therefore fall into the next `le` bucket; never a value above the bound into this one.
  std::uint64_t CountAtOrBelow(std::uint64_t bound_us) const;

  /// Calls fn(lowest_us, highest_us, count) for each non-empty bucket in increasing order.
  template <typename Fn>
  void ForEachBucket(Fn&& fn) const {
    if (Count() == 0) return;
    ForEachCount(FirstIndex(), LastIndex(), [&](std::size_t i, std::uint64_t c) {
      fn(histogram_layout::LowestEquivalent(i), histogram_layout::HighestEquivalent(i), c);
      return true;
    });
  }

  /// Heap bytes held by the bucket counts (0 while empty).
  std::size_t AllocatedBytes() const { return counts_.AllocatedBytes(); }

  /// Adds every count of `other` (either counter type). Safe while `other`'s single writer is
  /// recording: the figures taken are consistent among themselves (Count() equals the sum of
  /// the buckets taken), only possibly a few samples behind.
  template <typename OtherCounter>
  void Add(const BasicLatencyHistogram<OtherCounter>& other) {
    const std::uint64_t other_max = other.max_.Get();
    if (other_max == 0) return;  // empty (every recorded value is >= 1)
    // A concurrent reader may see max before min is stored; max bounds the range then.
    const std::uint64_t other_min = std::min(other.min_.Get(), other_max);
    std::uint64_t added = 0;
    other.ForEachCount(histogram_layout::IndexOf(other_min), histogram_layout::IndexOf(other_max),
                       [&](std::size_t i, std::uint64_t c) {
                         Counter& cell = counts_.Cell(i);
                         cell.Set(cell.Get() + c);
                         added += c;
                         return true;
                       });
    if (added == 0) return;
    total_.Set(total_.Get() + added);
    sum_.Set(sum_.Get() + other.sum_.Get());
    if (other_min < min_.Get()) min_.Set(other_min);
    if (other_max > max_.Get()) max_.Set(other_max);
  }

  /// Removes the counts of `earlier` (an earlier state of the same cumulative data): used for
  /// interval = now - before. Counts saturate at 0. Min/Max of the result are the bounds of the
  /// remaining buckets (within 0.1 %), tightened by this histogram's exact Min/Max.
  void Subtract(const BasicLatencyHistogram& earlier);

  /// `now` minus `earlier` as Subtract computes it (see the declaration after the class). A
  /// friend, not a constrained member: clang 14 instantiates a constrained member with the rest
  /// of the class on `template class` and fails on RecordingHistogram's uncopyable counters.
  friend BasicLatencyHistogram<PlainCounter> Difference(
      const BasicLatencyHistogram<PlainCounter>& now,
      const BasicLatencyHistogram<PlainCounter>& earlier);

  void Reset();

  /// Rebuilds a histogram from its non-empty buckets, in increasing index order, and its exact
  /// sum, min and max (what a report carries). The caller checks consistency: indices below
  /// kCountsLength, min in the first bucket, max in the last.
  template <typename Buckets>
  static BasicLatencyHistogram FromBuckets(const Buckets& buckets, std::uint64_t sum_us,
                                           std::uint64_t min_us, std::uint64_t max_us) {
    BasicLatencyHistogram out;
    std::uint64_t total = 0;
    for (const auto& bucket : buckets) {
      out.counts_.Cell(bucket.index).Set(out.counts_.Get(bucket.index) + bucket.count);
      total += bucket.count;
    }
    if (total == 0) return out;
    out.total_.Set(total);
    out.sum_.Set(sum_us);
    out.min_.Set(min_us);
    out.max_.Set(max_us);
    return out;
  }

 private:
  template <typename>
  friend class BasicLatencyHistogram;

  static constexpr std::uint64_t kEmptyMin = std::numeric_limits<std::uint64_t>::max();
  std::size_t FirstIndex() const { return histogram_layout::IndexOf(Min()); }
  std::size_t LastIndex() const { return histogram_layout::IndexOf(Max()); }

  /// Calls fn(index, count) for each non-zero count with index in [first, last], in increasing
  /// order, skipping unallocated chunks, until fn returns false.
  template <typename Fn>
  void ForEachCount(std::size_t first, std::size_t last, Fn&& fn) const {
    namespace layout = histogram_layout;
    for (std::size_t c = first >> layout::kChunkShift; c <= (last >> layout::kChunkShift); ++c) {
      const auto* chunk = counts_.ChunkAt(c);
      if (chunk == nullptr) continue;
      const std::size_t base = c << layout::kChunkShift;
      const std::size_t from = std::max(first, base) - base;
      const std::size_t to = std::min(last, base + layout::kChunkMask) - base;
      for (std::size_t i = from; i <= to; ++i) {
        const std::uint64_t count = (*chunk)[i].Get();
        if (count != 0 && !fn(base + i, count)) return;
      }
    }
  }
  /// Recomputes min/max after counts were removed (see Subtract).
  void TightenBounds(std::uint64_t old_min, std::uint64_t old_max, std::size_t first,
                     std::size_t last);

  ChunkedCounts<Counter, histogram_layout::kCountsLength> counts_;
  Counter total_;
  Counter sum_;
  Counter min_;
  Counter max_;
};

/// Plain, copyable histogram: merged snapshots, intervals, reports.
using LatencyHistogram = BasicLatencyHistogram<PlainCounter>;
/// Per-thread recording histogram (single writer, concurrent readers).
using RecordingHistogram = BasicLatencyHistogram<RelaxedCounter>;

/// `now` minus `earlier` as Subtract computes it, built without copying `now`: only the chunks
/// holding a non-zero difference are allocated.
LatencyHistogram Difference(const LatencyHistogram& now, const LatencyHistogram& earlier);

extern template class BasicLatencyHistogram<PlainCounter>;
extern template class BasicLatencyHistogram<RelaxedCounter>;

}  // namespace throng::engine
