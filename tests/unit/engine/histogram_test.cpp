#include "throng/engine/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace throng::engine {
namespace {

namespace layout = histogram_layout;
constexpr double kRelativeError = 0.001;

std::vector<std::uint64_t> Uniform(std::uint32_t seed, std::size_t n) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::uint64_t> dist(1, 2'000'000);
  std::vector<std::uint64_t> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

std::vector<std::uint64_t> LogNormal(std::uint32_t seed, std::size_t n) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> dist(std::log(20'000.0), 1.2);
  std::vector<std::uint64_t> v(n);
  for (auto& x : v) {
    x = std::clamp<std::uint64_t>(std::llround(dist(rng)), 1, layout::kMaxValueUs);
  }
  return v;
}

// Fast cache hits around 2 ms and slow database calls around 800 ms.
std::vector<std::uint64_t> Bimodal(std::uint32_t seed, std::size_t n) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> fast(2'000, 300);
  std::normal_distribution<double> slow(800'000, 100'000);
  std::bernoulli_distribution pick_slow(0.1);
  std::vector<std::uint64_t> v(n);
  for (auto& x : v) {
    const double d = pick_slow(rng) ? slow(rng) : fast(rng);
    x = static_cast<std::uint64_t>(std::max(1.0, std::round(d)));
  }
  return v;
}

LatencyHistogram HistogramOf(const std::vector<std::uint64_t>& values) {
  LatencyHistogram h;
  for (std::uint64_t v : values) h.Record(v);
  return h;
}

// Nearest rank: the smallest value with at least p % of the samples at or below it.
std::uint64_t ReferencePercentile(const std::vector<std::uint64_t>& sorted, double p) {
  const long double exact = static_cast<long double>(p) * sorted.size() / 100.0L;
  auto rank = static_cast<std::size_t>(std::ceil(exact - 1e-9L));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

void ExpectSameBuckets(const LatencyHistogram& a, const LatencyHistogram& b) {
  std::vector<std::uint64_t> ca;
  std::vector<std::uint64_t> cb;
  a.ForEachBucket([&](std::uint64_t lo, std::uint64_t, std::uint64_t c) {
    ca.push_back(lo);
    ca.push_back(c);
  });
  b.ForEachBucket([&](std::uint64_t lo, std::uint64_t, std::uint64_t c) {
    cb.push_back(lo);
    cb.push_back(c);
  });
  EXPECT_EQ(ca, cb);
  EXPECT_EQ(a.Count(), b.Count());
  EXPECT_EQ(a.Sum(), b.Sum());
}

TEST(HistogramLayoutTest, BucketsAreContiguousAndCoverTheRange) {
  EXPECT_EQ(layout::kCountsLength, 23552u);
  EXPECT_EQ(layout::LowestEquivalent(0), 0u);
  for (std::size_t i = 0; i + 1 < layout::kCountsLength; ++i) {
    ASSERT_EQ(layout::HighestEquivalent(i) + 1, layout::LowestEquivalent(i + 1)) << i;
    ASSERT_EQ(layout::IndexOf(layout::LowestEquivalent(i)), i);
    ASSERT_EQ(layout::IndexOf(layout::HighestEquivalent(i)), i);
  }
  EXPECT_LT(layout::IndexOf(layout::kMaxValueUs), layout::kCountsLength);
}

TEST(HistogramLayoutTest, EveryValueMapsToABucketWithinPointOnePercent) {
  // Every value below 2^20, then a geometric sweep (+0.01 %) with neighbours up to one hour.
  std::vector<std::uint64_t> values;
  for (std::uint64_t v = 1; v < (1u << 20); ++v) values.push_back(v);
  for (double v = 1 << 20; v <= layout::kMaxValueUs; v *= 1.0001) {
    const auto x = static_cast<std::uint64_t>(v);
    values.insert(values.end(), {x - 1, x, x + 1});
  }
  values.push_back(layout::kMaxValueUs);
  for (std::uint64_t v : values) {
    const std::size_t i = layout::IndexOf(v);
    const std::uint64_t lo = layout::LowestEquivalent(i);
    const std::uint64_t hi = layout::HighestEquivalent(i);
    ASSERT_LE(lo, v);
    ASSERT_GE(hi, v);
    ASSERT_LE(static_cast<double>(hi - lo), kRelativeError * static_cast<double>(v)) << v;
  }
}

TEST(HistogramTest, EmptyHistogramReportsZeros) {
  const LatencyHistogram h;
  EXPECT_EQ(h.Count(), 0u);
  EXPECT_EQ(h.Sum(), 0u);
  EXPECT_EQ(h.Min(), 0u);
  EXPECT_EQ(h.Max(), 0u);
  EXPECT_EQ(h.Mean(), 0.0);
  EXPECT_EQ(h.ValueAtPercentile(50), 0u);
  EXPECT_EQ(h.ValueAtPercentile(100), 0u);
  EXPECT_EQ(h.CountAtOrBelow(layout::kMaxValueUs), 0u);
  int buckets = 0;
  h.ForEachBucket([&](auto, auto, auto) { ++buckets; });
  EXPECT_EQ(buckets, 0);
}

struct Distribution {
  const char* name;
  std::vector<std::uint64_t> (*make)(std::uint32_t, std::size_t);
};

class HistogramPercentileTest : public ::testing::TestWithParam<std::tuple<Distribution, int>> {};

TEST_P(HistogramPercentileTest, MatchesSortedReferenceWithinPointOnePercent) {
  const auto& [dist, seed] = GetParam();
  std::vector<std::uint64_t> values = dist.make(static_cast<std::uint32_t>(seed), 50'000);
  const LatencyHistogram h = HistogramOf(values);
  std::sort(values.begin(), values.end());

  for (double p :
       {0.0, 0.1, 1.0, 10.0, 25.0, 50.0, 66.6, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0}) {
    const std::uint64_t expected = ReferencePercentile(values, p);
    const std::uint64_t actual = h.ValueAtPercentile(p);
    EXPECT_GE(actual, expected) << dist.name << " p" << p;
    EXPECT_LE(static_cast<double>(actual - std::min(actual, expected)),
              kRelativeError * static_cast<double>(expected))
        << dist.name << " p" << p << " expected " << expected << " got " << actual;
  }
  EXPECT_EQ(h.ValueAtPercentile(0), values.front());
  EXPECT_EQ(h.ValueAtPercentile(100), values.back());
  EXPECT_EQ(h.ValueAtPercentile(-5), values.front());
  EXPECT_EQ(h.ValueAtPercentile(250), values.back());

  std::uint64_t sum = 0;
  for (std::uint64_t v : values) sum += v;
  EXPECT_EQ(h.Count(), values.size());
  EXPECT_EQ(h.Min(), values.front());
  EXPECT_EQ(h.Max(), values.back());
  EXPECT_EQ(h.Sum(), sum);
  EXPECT_DOUBLE_EQ(h.Mean(), static_cast<double>(sum) / static_cast<double>(values.size()));
}

INSTANTIATE_TEST_SUITE_P(Distributions, HistogramPercentileTest,
                         ::testing::Combine(::testing::Values(Distribution{"uniform", Uniform},
                                                              Distribution{"lognormal", LogNormal},
                                                              Distribution{"bimodal", Bimodal}),
                                            ::testing::Values(1, 2, 3)));

TEST(HistogramTest, PercentileOfSmallSetsUsesNearestRank) {
  LatencyHistogram h;
  for (std::uint64_t v : {10, 20, 30, 40}) h.Record(v);
  EXPECT_EQ(h.ValueAtPercentile(25), 10u);
  EXPECT_EQ(h.ValueAtPercentile(25.1), 20u);
  EXPECT_EQ(h.ValueAtPercentile(50), 20u);
  EXPECT_EQ(h.ValueAtPercentile(75), 30u);
  EXPECT_EQ(h.ValueAtPercentile(99), 40u);
}

TEST(HistogramTest, RecordNCountsEveryOccurrence) {
  LatencyHistogram h;
  h.RecordN(5'000, 999);
  h.Record(9'000'000);
  EXPECT_EQ(h.Count(), 1000u);
  EXPECT_EQ(h.Sum(), 5'000u * 999 + 9'000'000);
  EXPECT_EQ(h.ValueAtPercentile(99.9), h.ValueAtPercentile(50));
  EXPECT_NEAR(static_cast<double>(h.ValueAtPercentile(99.9)), 5'000.0, 5.0);
  EXPECT_EQ(h.ValueAtPercentile(99.95), 9'000'000u);
}

TEST(HistogramTest, OutOfRangeValuesAreClampedAndCounted) {
  LatencyHistogram h;
  h.Record(std::uint64_t{0});
  h.Record(std::chrono::nanoseconds(-5));
  h.Record(std::chrono::hours(5));
  EXPECT_EQ(h.Count(), 3u);
  EXPECT_EQ(h.Min(), 1u);
  EXPECT_EQ(h.Max(), layout::kMaxValueUs);
  EXPECT_EQ(h.Sum(), 2 + layout::kMaxValueUs);
  EXPECT_EQ(h.ValueAtPercentile(100), layout::kMaxValueUs);
}

TEST(HistogramTest, DurationsRoundToTheNearestMicrosecond) {
  EXPECT_EQ(LatencyHistogram::ToMicros(std::chrono::nanoseconds(1'499)), 1u);
  EXPECT_EQ(LatencyHistogram::ToMicros(std::chrono::nanoseconds(1'500)), 2u);
  EXPECT_EQ(LatencyHistogram::ToMicros(std::chrono::milliseconds(250)), 250'000u);
  LatencyHistogram h;
  h.Record(std::chrono::microseconds(1234));
  EXPECT_EQ(h.Max(), 1234u);
}

TEST(HistogramTest, MergingPartsEqualsRecordingTheWhole) {
  const std::vector<std::uint64_t> values = LogNormal(7, 30'000);
  LatencyHistogram parts[3];
  for (std::size_t i = 0; i < values.size(); ++i) parts[i % 3].Record(values[i]);
  LatencyHistogram merged;
  for (const auto& part : parts) merged.Add(part);
  const LatencyHistogram whole = HistogramOf(values);
  ExpectSameBuckets(merged, whole);
  EXPECT_EQ(merged.Min(), whole.Min());
  EXPECT_EQ(merged.Max(), whole.Max());
  for (double p : {50.0, 99.0, 99.99})
    EXPECT_EQ(merged.ValueAtPercentile(p), whole.ValueAtPercentile(p));
  merged.Add(LatencyHistogram{});
  ExpectSameBuckets(merged, whole);
}

TEST(HistogramTest, RecordingHistogramMergesLikeAPlainOne) {
  const std::vector<std::uint64_t> values = Bimodal(3, 10'000);
  RecordingHistogram recording;
  for (std::uint64_t v : values) recording.Record(v);
  LatencyHistogram copy;
  copy.Add(recording);
  ExpectSameBuckets(copy, HistogramOf(values));
  EXPECT_EQ(copy.Min(), recording.Min());
  EXPECT_EQ(copy.Max(), recording.Max());
}

TEST(HistogramTest, SubtractingAnEarlierStateGivesTheInterval) {
  const std::vector<std::uint64_t> before_values = Uniform(11, 20'000);
  const std::vector<std::uint64_t> interval_values = LogNormal(12, 5'000);
  LatencyHistogram cumulative = HistogramOf(before_values);
  const LatencyHistogram before = cumulative;
  for (std::uint64_t v : interval_values) cumulative.Record(v);

  LatencyHistogram interval = cumulative;
  interval.Subtract(before);
  ExpectSameBuckets(interval, HistogramOf(interval_values));
  const auto [lo, hi] = std::minmax_element(interval_values.begin(), interval_values.end());
  EXPECT_NEAR(static_cast<double>(interval.Min()), static_cast<double>(*lo), *lo * kRelativeError);
  EXPECT_NEAR(static_cast<double>(interval.Max()), static_cast<double>(*hi), *hi * kRelativeError);
  EXPECT_LE(interval.Max(), cumulative.Max());
  EXPECT_GE(interval.Min(), cumulative.Min());

  interval.Subtract(interval);
  EXPECT_EQ(interval.Count(), 0u);
  EXPECT_EQ(interval.Min(), 0u);
  EXPECT_EQ(interval.Max(), 0u);
}

TEST(HistogramTest, SubtractSaturatesInsteadOfWrapping) {
  LatencyHistogram small;
  small.Record(100);
  LatencyHistogram big;
  big.RecordN(100, 5);
  big.Record(200);
  small.Subtract(big);
  EXPECT_EQ(small.Count(), 0u);
  EXPECT_EQ(small.Sum(), 0u);
  EXPECT_EQ(small.ValueAtPercentile(50), 0u);
}

TEST(HistogramTest, ResetEmptiesTheHistogram) {
  LatencyHistogram h = HistogramOf(Uniform(5, 100));
  h.Reset();
  EXPECT_EQ(h.Count(), 0u);
  EXPECT_EQ(h.Max(), 0u);
  h.Record(42);
  EXPECT_EQ(h.Min(), 42u);
  EXPECT_EQ(h.ValueAtPercentile(50), 42u);
}

TEST(HistogramTest, CountAtOrBelowCountsWholeBucketsUnderTheBound) {
  const std::vector<std::uint64_t> values = LogNormal(21, 50'000);
  const LatencyHistogram h = HistogramOf(values);
  std::vector<std::uint64_t> bounds = {1,       5'000,   10'000,    25'000,    50'000,    100'000,
                                       250'000, 500'000, 1'000'000, 2'500'000, 10'000'000};
  std::mt19937_64 rng(4);
  for (int i = 0; i < 50; ++i)
    bounds.push_back(std::uniform_int_distribution<std::uint64_t>(1, 5'000'000)(rng));

  for (std::uint64_t bound : bounds) {
    std::uint64_t whole_bucket_below = 0;
    std::uint64_t at_or_below = 0;
    std::uint64_t below_tolerance = 0;
    for (std::uint64_t v : values) {
      whole_bucket_below += layout::HighestEquivalent(layout::IndexOf(v)) <= bound;
      at_or_below += v <= bound;
      below_tolerance +=
          static_cast<double>(v) <= static_cast<double>(bound) * (1 - kRelativeError);
    }
    const std::uint64_t got = h.CountAtOrBelow(bound);
    EXPECT_EQ(got, whole_bucket_below) << bound;
    EXPECT_LE(got, at_or_below) << bound;
    EXPECT_GE(got, below_tolerance) << bound;
  }
  EXPECT_EQ(h.CountAtOrBelow(layout::kMaxValueUs), h.Count());
  EXPECT_EQ(h.CountAtOrBelow(0), 0u);
}

TEST(HistogramTest, ForEachBucketVisitsNonEmptyBucketsInOrder) {
  const LatencyHistogram h = HistogramOf(Bimodal(9, 20'000));
  std::uint64_t total = 0;
  std::uint64_t previous_high = 0;
  h.ForEachBucket([&](std::uint64_t lo, std::uint64_t hi, std::uint64_t count) {
    EXPECT_GT(count, 0u);
    EXPECT_LE(lo, hi);
    EXPECT_GT(lo, previous_high);
    previous_high = hi;
    total += count;
  });
  EXPECT_EQ(total, h.Count());
}

}  // namespace
}  // namespace throng::engine
