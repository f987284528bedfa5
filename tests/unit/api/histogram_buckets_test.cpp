#include "throng/api/common/histogram_buckets.h"

#include <gtest/gtest.h>

namespace throng::api {
namespace {

TEST(HistogramBucketsTest, RoundTripsEveryBucketWithExactSumMinMax) {
  engine::LatencyHistogram histogram;
  histogram.RecordN(3, 2);        // an exact bucket below 2048 us
  histogram.RecordN(1500, 5);     // 1.5 ms
  histogram.RecordN(250'000, 1);  // 250 ms, a wide bucket
  const v1::HistogramBuckets buckets = ToHistogramBuckets(histogram);
  EXPECT_EQ(buckets.sum_us(), 3u * 2 + 1500u * 5 + 250'000u);
  EXPECT_EQ(buckets.min_us(), 3u);
  EXPECT_EQ(buckets.max_us(), 250'000u);
  ASSERT_EQ(buckets.counts_size(), 3);
  const absl::StatusOr<std::vector<BucketCount>> decoded = DecodeHistogramBuckets(buckets);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_EQ(decoded->size(), 3u);
  EXPECT_EQ((*decoded)[0].index, engine::histogram_layout::IndexOf(3));
  EXPECT_EQ((*decoded)[0].count, 2u);
  EXPECT_EQ((*decoded)[1].index, engine::histogram_layout::IndexOf(1500));
  EXPECT_EQ((*decoded)[2].index, engine::histogram_layout::IndexOf(250'000));
  EXPECT_EQ((*decoded)[2].count, 1u);
  // Rebuilt from the buckets, the percentiles are the same.
  engine::LatencyHistogram rebuilt;
  for (const BucketCount& bucket : *decoded) {
    rebuilt.RecordN(engine::histogram_layout::LowestEquivalent(bucket.index), bucket.count);
  }
  for (double p : {50.0, 90.0, 99.0}) {
    EXPECT_EQ(engine::histogram_layout::IndexOf(rebuilt.ValueAtPercentile(p)),
              engine::histogram_layout::IndexOf(histogram.ValueAtPercentile(p)))
        << p;
  }
}

TEST(HistogramBucketsTest, AnEmptyHistogramHasNoBuckets) {
  const v1::HistogramBuckets buckets = ToHistogramBuckets(engine::LatencyHistogram());
  EXPECT_EQ(buckets.counts_size(), 0);
  EXPECT_EQ(buckets.max_us(), 0u);
  EXPECT_TRUE(DecodeHistogramBuckets(buckets)->empty());
}

TEST(HistogramBucketsTest, MalformedBucketsAreRefusedNamingTheField) {
  v1::HistogramBuckets uneven;
  uneven.add_index_delta(1);
  EXPECT_NE(DecodeHistogramBuckets(uneven).status().message().find("index_delta has 1"),
            std::string::npos);
  v1::HistogramBuckets past_end;
  past_end.add_index_delta(engine::histogram_layout::kCountsLength);
  past_end.add_counts(1);
  EXPECT_NE(DecodeHistogramBuckets(past_end).status().message().find("past the last one"),
            std::string::npos);
  v1::HistogramBuckets repeated;
  repeated.add_index_delta(5);
  repeated.add_counts(1);
  repeated.add_index_delta(0);
  repeated.add_counts(1);
  EXPECT_NE(DecodeHistogramBuckets(repeated).status().message().find("index_delta[1]"),
            std::string::npos);
  v1::HistogramBuckets zero;
  zero.add_index_delta(5);
  zero.add_counts(0);
  EXPECT_NE(DecodeHistogramBuckets(zero).status().message().find("counts[0]"), std::string::npos);
}

}  // namespace
}  // namespace throng::api
