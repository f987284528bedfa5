#include "throng/api/common/histogram_buckets.h"

#include <string>

namespace throng::api {

v1::HistogramBuckets ToHistogramBuckets(const engine::LatencyHistogram& histogram) {
  v1::HistogramBuckets out;
  FillHistogramBuckets(histogram, out);
  return out;
}

void FillHistogramBuckets(const engine::LatencyHistogram& histogram, v1::HistogramBuckets& out) {
  out.Clear();
  const int buckets = static_cast<int>(histogram.BucketCount());
  out.mutable_index_delta()->Reserve(buckets);
  out.mutable_counts()->Reserve(buckets);
  out.set_sum_us(histogram.Sum());
  out.set_min_us(histogram.Min());
  out.set_max_us(histogram.Max());
  std::size_t previous = 0;
  histogram.ForEachBucket([&](std::uint64_t lowest_us, std::uint64_t, std::uint64_t count) {
    const std::size_t index = engine::histogram_layout::IndexOf(lowest_us);
    out.add_index_delta(static_cast<std::uint32_t>(index - previous));
    out.add_counts(count);
    previous = index;
  });
}

absl::StatusOr<std::vector<BucketCount>> DecodeHistogramBuckets(
    const v1::HistogramBuckets& buckets) {
  if (buckets.index_delta_size() != buckets.counts_size()) {
    return absl::InvalidArgumentError("latency_histogram: index_delta has " +
                                      std::to_string(buckets.index_delta_size()) +
                                      " entries, counts " + std::to_string(buckets.counts_size()));
  }
  std::vector<BucketCount> out;
  out.reserve(static_cast<std::size_t>(buckets.counts_size()));
  std::uint64_t index = 0;
  for (int i = 0; i < buckets.counts_size(); ++i) {
    const std::uint32_t delta = buckets.index_delta(i);
    if (i > 0 && delta == 0) {
      return absl::InvalidArgumentError("latency_histogram.index_delta[" + std::to_string(i) +
                                        "]: 0 repeats the previous bucket");
    }
    index += delta;
    if (index >= engine::histogram_layout::kCountsLength) {
      return absl::InvalidArgumentError(
          "latency_histogram.index_delta[" + std::to_string(i) + "]: bucket " +
          std::to_string(index) + " is past the last one (" +
          std::to_string(engine::histogram_layout::kCountsLength - 1) + ")");
    }
    if (buckets.counts(i) == 0) {
      return absl::InvalidArgumentError("latency_histogram.counts[" + std::to_string(i) +
                                        "]: an empty bucket is not listed");
    }
    out.push_back({static_cast<std::size_t>(index), buckets.counts(i)});
  }
  return out;
}

absl::StatusOr<engine::LatencyHistogram> FromHistogramBuckets(const v1::HistogramBuckets& buckets) {
  absl::StatusOr<std::vector<BucketCount>> decoded = DecodeHistogramBuckets(buckets);
  if (!decoded.ok()) return decoded.status();
  if (decoded->empty()) return engine::LatencyHistogram();
  namespace layout = engine::histogram_layout;
  const std::uint64_t min = buckets.min_us();
  const std::uint64_t max = buckets.max_us();
  if (min < layout::kMinValueUs || min > max || max > layout::kMaxValueUs ||
      layout::IndexOf(min) != decoded->front().index ||
      layout::IndexOf(max) != decoded->back().index) {
    return absl::InvalidArgumentError("latency_histogram: min_us " + std::to_string(min) +
                                      " and max_us " + std::to_string(max) +
                                      " do not lie in the first and last buckets");
  }
  return engine::LatencyHistogram::FromBuckets(*decoded, buckets.sum_us(), min, max);
}

}  // namespace throng::api
