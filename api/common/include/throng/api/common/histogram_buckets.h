// A latency histogram as the v1 API's compact HistogramBuckets message, and back to its buckets.
#pragma once

#include <absl/status/statusor.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "throng/engine/histogram.h"
#include "throng/v1/job.pb.h"

namespace throng::api {

/// The non-empty buckets of `histogram` (delta-coded indices, counts) with its exact sum, min and
/// max. About 1.5 bytes per distinct bucket plus the counts' varints.
v1::HistogramBuckets ToHistogramBuckets(const engine::LatencyHistogram& histogram);
/// The same, written into `out` (cleared first; its arrays sized exactly, on out's arena).
void FillHistogramBuckets(const engine::LatencyHistogram& histogram, v1::HistogramBuckets& out);

/// One bucket of the engine's layout (histogram_layout) and its count.
struct BucketCount {
  std::size_t index = 0;
  std::uint64_t count = 0;
};

/// The buckets of `buckets`, in increasing index order. InvalidArgument naming the field when the
/// message is not one ToHistogramBuckets could have written: index_delta and counts of different
/// lengths, an index past the layout's last bucket, a repeated index (a zero delta after the
/// first), or a zero count.
absl::StatusOr<std::vector<BucketCount>> DecodeHistogramBuckets(
    const v1::HistogramBuckets& buckets);

/// The histogram `buckets` was written from, exactly (same buckets, count, sum, min and max), so
/// merged reports compute percentiles with the daemon's own histogram code. InvalidArgument as
/// DecodeHistogramBuckets, and when min_us/max_us do not lie in the first/last bucket.
absl::StatusOr<engine::LatencyHistogram> FromHistogramBuckets(const v1::HistogramBuckets& buckets);

}  // namespace throng::api
