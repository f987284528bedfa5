// The bucket layout every latency histogram shares: microseconds, 1 us .. 1 h, 3 significant
// digits (HdrHistogram's layout with lowest value 1 and 2048 sub-buckets).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

/// Values below 2048 have their own bucket; above, each power-of-two range is split into 1024
/// equal buckets, so a bucket's width is at most 1/1024 (< 0.1 %) of its lowest value. Bucket
/// indices grow with the values they hold.
namespace throng::engine::histogram_layout {
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

/// A duration rounded to the nearest microsecond; negative durations count as 0 (recorded as
/// the minimum value).
inline std::uint64_t ToMicros(std::chrono::nanoseconds d) {
  return d.count() <= 0 ? 0 : static_cast<std::uint64_t>((d.count() + 500) / 1000);
}
}  // namespace throng::engine::histogram_layout
