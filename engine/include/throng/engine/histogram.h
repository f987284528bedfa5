// HDR-style log-linear latency histogram: microseconds, 1 us .. 1 h, 3 significant digits.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <vector>

#include "throng/engine/histogram_layout.h"
#include "throng/engine/recording_histogram.h"

namespace throng::engine {

/// A merged latency histogram (snapshots, intervals, reports) in the layout of
/// histogram_layout.h: a plain value (copy it, keep it, diff it; one thread at a time). It holds
/// its non-empty buckets only, in one array sorted by bucket index, 8 bytes each (the index in
/// the high 16 bits, the count in the low 48), so an endpoint's cumulative histogram costs 8
/// bytes per distinct bucket seen (at most 184 KiB) and an interval's far less. Values are
/// microseconds, clamped into [1 us, 1 h] (a clamped value is still counted). Count, Sum, Max and
/// Min are exact; percentiles are within 0.1 %. A bucket holds at most kMaxBucketCount samples
/// (beyond, it saturates and the excess is not counted: Count() stays the sum of the buckets).
class LatencyHistogram {
 public:
  static constexpr std::uint64_t kMaxBucketCount = RecordingCounts::kMaxCount;

  static std::uint64_t ToMicros(std::chrono::nanoseconds d) {
    return histogram_layout::ToMicros(d);
  }

  void Record(std::uint64_t value_us) { RecordN(value_us, 1); }
  void Record(std::chrono::nanoseconds d) { RecordN(ToMicros(d), 1); }
  /// Records `n` occurrences of `value_us`: O(log buckets) into a bucket in use, O(buckets) into
  /// a new one (tools and tests; workers record into a RecordingHistogram).
  void RecordN(std::uint64_t value_us, std::uint64_t n);

  std::uint64_t Count() const { return total_; }
  /// Exact sum of the recorded (clamped) values in microseconds; Prometheus' `_sum`.
  std::uint64_t Sum() const { return sum_; }
  /// Exact smallest recorded value; 0 when empty.
  std::uint64_t Min() const { return total_ == 0 ? 0 : min_; }
  /// Exact largest recorded value; 0 when empty.
  std::uint64_t Max() const { return total_ == 0 ? 0 : max_; }
  /// Exact mean in microseconds; 0 when empty.
  double Mean() const {
    return total_ == 0 ? 0.0 : static_cast<double>(sum_) / static_cast<double>(total_);
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
    for (const std::uint64_t entry : entries_) {
      fn(histogram_layout::LowestEquivalent(IndexOf(entry)),
         histogram_layout::HighestEquivalent(IndexOf(entry)), CountOf(entry));
    }
  }

  /// Number of non-empty buckets.
  std::size_t BucketCount() const { return entries_.size(); }

  /// Heap bytes held by the buckets (0 while empty).
  std::size_t AllocatedBytes() const { return entries_.capacity() * sizeof(std::uint64_t); }

  /// Adds every count of `other`.
  void Add(const LatencyHistogram& other);
  /// Adds every count of a recording histogram. Safe while its writer records: the figures
  /// taken are consistent among themselves (Count() grows by the sum of the buckets taken),
  /// only possibly a few samples behind.
  void Add(const RecordingHistogram& other);

  /// Removes the counts of `earlier` (an earlier state of the same cumulative data): used for
  /// interval = now - before. Counts saturate at 0. Min/Max of the result are the bounds of the
  /// remaining buckets (within 0.1 %), tightened by this histogram's exact Min/Max.
  void Subtract(const LatencyHistogram& earlier);

  /// `now` minus `earlier` as Subtract computes it, built without copying `now`: only the
  /// buckets with a non-zero difference are held.
  friend LatencyHistogram Difference(const LatencyHistogram& now, const LatencyHistogram& earlier);

  /// Empties the histogram and gives its memory back.
  void Reset();

  /// Rebuilds a histogram from its non-empty buckets, in increasing index order, and its exact
  /// sum, min and max (what a report carries). The caller checks consistency: indices below
  /// kCountsLength (others are ignored), min in the first bucket, max in the last.
  template <typename Buckets>
  static LatencyHistogram FromBuckets(const Buckets& buckets, std::uint64_t sum_us,
                                      std::uint64_t min_us, std::uint64_t max_us) {
    LatencyHistogram out;
    out.entries_.reserve(std::size(buckets));
    for (const auto& bucket : buckets) out.AddToBucket(bucket.index, bucket.count);
    if (out.total_ == 0) return LatencyHistogram();
    out.sum_ = sum_us;
    out.min_ = min_us;
    out.max_ = max_us;
    return out;
  }

 private:
  static constexpr std::uint64_t kEmptyMin = std::numeric_limits<std::uint64_t>::max();
  static constexpr int kIndexShift = 48;
  static std::uint64_t Entry(std::size_t index, std::uint64_t count) {
    return (std::uint64_t{index} << kIndexShift) | count;
  }
  static std::size_t IndexOf(std::uint64_t entry) { return entry >> kIndexShift; }
  static std::uint64_t CountOf(std::uint64_t entry) { return entry & kMaxBucketCount; }

  /// Adds `n` to bucket `index` (appending when it is past the last one), counting it in the
  /// total; returns what was added (less than `n` at saturation).
  std::uint64_t AddToBucket(std::size_t index, std::uint64_t n);
  /// Adds sorted entries into entries_ (an exact-size array); returns the count added.
  std::uint64_t MergeEntries(const std::vector<std::uint64_t>& added);
  /// Recomputes min/max after counts were removed (see Subtract).
  void TightenBounds(std::uint64_t old_min, std::uint64_t old_max);

  std::vector<std::uint64_t> entries_;  // count > 0, increasing index
  std::uint64_t total_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t min_ = kEmptyMin;
  std::uint64_t max_ = 0;
};

}  // namespace throng::engine
