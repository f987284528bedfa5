// The histogram's lazily allocated chunks: memory follows the buckets in use, merges and
// differences stay exact.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "throng/engine/histogram.h"
#include "throng/engine/stats.h"

namespace throng::engine {
namespace {

namespace layout = histogram_layout;
using Counts = RecordingCounts;
constexpr std::size_t kEntryBytes = sizeof(std::uint64_t);

std::vector<std::uint64_t> LogNormal(std::uint32_t seed, std::size_t n, double median_us) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> dist(std::log(median_us), 1.0);
  std::vector<std::uint64_t> v(n);
  for (auto& x : v) {
    x = std::clamp<std::uint64_t>(std::llround(dist(rng)), 1, layout::kMaxValueUs);
  }
  return v;
}

std::vector<std::pair<std::size_t, std::uint64_t>> Buckets(const LatencyHistogram& h) {
  std::vector<std::pair<std::size_t, std::uint64_t>> out;
  h.ForEachBucket([&](std::uint64_t lo, std::uint64_t, std::uint64_t c) {
    out.emplace_back(layout::IndexOf(lo), c);
  });
  return out;
}

// Distinct values of IndexOf(v) / unit over `values`: buckets (unit 1), chunks, groups.
std::size_t DistinctUnits(const std::vector<std::uint64_t>& values, std::size_t unit) {
  std::set<std::size_t> used;
  for (std::uint64_t v : values) used.insert(layout::IndexOf(v) / unit);
  return used.size();
}

// What a recording histogram holding `values` (each counted at most 65535 times) allocates.
std::size_t RecordingBytes(const std::vector<std::uint64_t>& values) {
  return Counts::kDirectoryBytes + DistinctUnits(values, Counts::kGroupSize) * Counts::kGroupBytes +
         DistinctUnits(values, Counts::kChunkSize) * Counts::kChunkBytes;
}

TEST(HistogramMemoryTest, AnEmptyHistogramHoldsNoHeapMemory) {
  const LatencyHistogram plain;
  const RecordingHistogram recording;
  EXPECT_EQ(plain.AllocatedBytes(), 0u);
  EXPECT_EQ(recording.AllocatedBytes(), 0u);
  LatencyHistogram merged;
  merged.Add(recording);
  EXPECT_EQ(merged.AllocatedBytes(), 0u);
}

TEST(HistogramMemoryTest, ARecordingHistogramAllocatesOnlyTheChunksWhereValuesFall) {
  RecordingHistogram h;
  h.Record(std::uint64_t{1'000});
  EXPECT_EQ(h.AllocatedBytes(), RecordingBytes({1'000}));
  h.RecordN(1'010, 50);  // same chunk of 64 one-microsecond buckets
  EXPECT_EQ(h.AllocatedBytes(), RecordingBytes({1'000}));
  h.Record(std::uint64_t{3'000'000});  // a far tail value: one more group and chunk only
  EXPECT_EQ(h.AllocatedBytes(), RecordingBytes({1'000, 3'000'000}));
  EXPECT_EQ(h.AllocatedBytes(),
            Counts::kDirectoryBytes + 2 * Counts::kGroupBytes + 2 * Counts::kChunkBytes);
  EXPECT_EQ(h.Count(), 52u);

  const std::vector<std::uint64_t> values = LogNormal(3, 100'000, 20'000);
  RecordingHistogram wide;
  for (std::uint64_t v : values) wide.Record(v);
  EXPECT_EQ(wide.AllocatedBytes(), RecordingBytes(values));
  // Two bytes per bucket of a touched chunk: below a quarter of a dense table of uint64 counts.
  EXPECT_LT(wide.AllocatedBytes(), layout::kCountsLength * sizeof(std::uint64_t) / 4);
}

TEST(HistogramMemoryTest, ACountPastSixteenBitsCarriesIntoHighWordsExactly) {
  RecordingHistogram h;
  h.RecordN(500, 65'535);
  EXPECT_EQ(h.AllocatedBytes(), RecordingBytes({500}));
  h.Record(std::uint64_t{500});  // 65536: the first carry
  h.RecordN(501, 3 * 65'536 + 7);
  EXPECT_EQ(h.AllocatedBytes(), RecordingBytes({500}) + Counts::kHighWordsBytes);
  for (int i = 0; i < 70'000; ++i) h.Record(std::uint64_t{502});  // carries one at a time
  LatencyHistogram merged;
  merged.Add(h);
  const std::vector<std::pair<std::size_t, std::uint64_t>> expected = {
      {layout::IndexOf(500), 65'536},
      {layout::IndexOf(501), 3 * 65'536 + 7},
      {layout::IndexOf(502), 70'000}};
  EXPECT_EQ(Buckets(merged), expected);
  EXPECT_EQ(merged.Count(), h.Count());
  EXPECT_EQ(merged.Sum(), h.Sum());
}

TEST(HistogramMemoryTest, ABucketSaturatesAtFortyEightBitsInsteadOfWrapping) {
  RecordingHistogram recording;
  recording.RecordN(700, Counts::kMaxCount - 1);
  recording.RecordN(700, 5);
  recording.Record(std::uint64_t{900});
  LatencyHistogram merged;
  merged.Add(recording);
  const std::vector<std::pair<std::size_t, std::uint64_t>> expected = {
      {layout::IndexOf(700), Counts::kMaxCount}, {layout::IndexOf(900), 1}};
  EXPECT_EQ(Buckets(merged), expected);
  EXPECT_EQ(merged.Count(), Counts::kMaxCount + 1);
  merged.Add(merged);  // a merged bucket saturates too, and Count() stays the buckets' sum
  EXPECT_EQ(Buckets(merged)[0].second, LatencyHistogram::kMaxBucketCount);
  EXPECT_EQ(merged.Count(), LatencyHistogram::kMaxBucketCount + 2);
}

TEST(HistogramMemoryTest, AMergedHistogramHoldsEightBytesPerBucketInUse) {
  const std::vector<std::uint64_t> values = LogNormal(5, 60'000, 2'000);
  RecordingHistogram workers[2];
  LatencyHistogram whole;
  for (std::size_t i = 0; i < values.size(); ++i) {
    workers[i % 2].Record(values[i]);
    whole.Record(values[i]);
  }
  LatencyHistogram merged;
  for (const auto& w : workers) merged.Add(w);
  EXPECT_EQ(Buckets(merged), Buckets(whole));
  EXPECT_EQ(merged.Count(), whole.Count());
  EXPECT_EQ(merged.Sum(), whole.Sum());
  EXPECT_EQ(merged.Min(), whole.Min());
  EXPECT_EQ(merged.Max(), whole.Max());
  EXPECT_EQ(merged.AllocatedBytes(), DistinctUnits(values, 1) * kEntryBytes);
  EXPECT_EQ(LatencyHistogram(whole).AllocatedBytes(), merged.AllocatedBytes());  // copies: exact
  for (double p : {50.0, 90.0, 99.0, 99.9, 99.99}) {
    EXPECT_EQ(merged.ValueAtPercentile(p), whole.ValueAtPercentile(p)) << p;
  }
}

TEST(HistogramMemoryTest, DifferenceEqualsSubtractAndHoldsOnlyTheInterval) {
  LatencyHistogram cumulative;
  for (std::uint64_t v : LogNormal(7, 50'000, 50'000)) cumulative.Record(v);
  const LatencyHistogram before = cumulative;
  const std::vector<std::uint64_t> interval_values = LogNormal(8, 2'000, 900);
  for (std::uint64_t v : interval_values) cumulative.Record(v);

  LatencyHistogram subtracted = cumulative;
  subtracted.Subtract(before);
  const LatencyHistogram difference = Difference(cumulative, before);
  EXPECT_EQ(Buckets(difference), Buckets(subtracted));
  EXPECT_EQ(difference.Count(), interval_values.size());
  EXPECT_EQ(difference.Sum(), subtracted.Sum());
  EXPECT_EQ(difference.Min(), subtracted.Min());
  EXPECT_EQ(difference.Max(), subtracted.Max());
  EXPECT_EQ(difference.AllocatedBytes(), DistinctUnits(interval_values, 1) * kEntryBytes);
  EXPECT_LT(difference.AllocatedBytes(), cumulative.AllocatedBytes());

  const LatencyHistogram nothing = Difference(cumulative, cumulative);
  EXPECT_EQ(nothing.Count(), 0u);
  EXPECT_EQ(nothing.AllocatedBytes(), 0u);
  const LatencyHistogram all = Difference(cumulative, LatencyHistogram{});
  EXPECT_EQ(Buckets(all), Buckets(cumulative));
  EXPECT_EQ(all.Min(), cumulative.Min());
  EXPECT_EQ(all.Max(), cumulative.Max());
}

TEST(HistogramMemoryTest, CopiesAndResetDropEmptyBuckets) {
  LatencyHistogram h;
  for (std::uint64_t v : LogNormal(9, 5'000, 10'000)) h.Record(v);
  LatencyHistogram emptied = h;
  emptied.Subtract(h);
  EXPECT_EQ(emptied.Count(), 0u);
  EXPECT_EQ(emptied.AllocatedBytes(), 0u);
  EXPECT_EQ(LatencyHistogram(emptied).AllocatedBytes(), 0u);
  h.Reset();
  EXPECT_EQ(h.AllocatedBytes(), 0u);
  h.Record(std::uint64_t{77});
  EXPECT_EQ(h.ValueAtPercentile(50), 77u);
}

// A reader merging while the writer allocates new chunks sees a self-consistent histogram.
TEST(HistogramMemoryTest, ReadersMergeWhileTheWriterAllocatesChunks) {
  RecordingHistogram recording;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    // Sweeps upwards so that nearly every value opens a new chunk.
    for (std::uint64_t v = 1; v < 5'000'000; v += 97) recording.Record(v);
    done.store(true);
  });
  int reads = 0;
  while (!done.load() || reads < 3) {
    LatencyHistogram copy;
    copy.Add(recording);
    std::uint64_t bucketed = 0;
    copy.ForEachBucket([&](std::uint64_t, std::uint64_t, std::uint64_t c) { bucketed += c; });
    ASSERT_EQ(bucketed, copy.Count());
    ++reads;
  }
  writer.join();
  LatencyHistogram last;
  last.Add(recording);
  EXPECT_EQ(last.Count(), (5'000'000 - 1 + 96) / 97);
}

// A reader merging while the writer carries 16-bit counters into their high words never sees a
// low word paired with the wrong high word (which would be 65536 off).
TEST(HistogramMemoryTest, ReadersNeverSeeAHalfWrittenCarry) {
  RecordingHistogram recording;
  std::atomic<std::uint64_t> recorded{0};
  constexpr std::uint64_t kSamples = 3'000'000;  // 45 carries in each of two buckets
  std::thread writer([&] {
    for (std::uint64_t i = 1; i <= kSamples; ++i) {
      recording.Record(std::uint64_t{1'000 + (i & 1)});
      recorded.store(i, std::memory_order_release);
    }
  });
  // Slack for samples recorded between the read and the load of `recorded` after it.
  constexpr std::uint64_t kSlack = 4'096;
  std::uint64_t reads = 0;
  for (std::uint64_t seen = 0; seen < kSamples; ++reads) {
    const std::uint64_t before = recorded.load(std::memory_order_acquire);
    LatencyHistogram copy;
    copy.Add(recording);
    const std::uint64_t after = recorded.load(std::memory_order_acquire);
    for (const auto& [index, count] : Buckets(copy)) {
      ASSERT_GE(count, before / 2) << "bucket " << index << " after " << before << " samples";
      ASSERT_LE(count, (after + 1) / 2 + kSlack) << "bucket " << index << " at " << after;
    }
    seen = copy.Count();
  }
  writer.join();
  EXPECT_GT(reads, 2u);
}

TEST(StatsMemoryTest, EqualLatencyAndServiceTimeAreRecordedOnce) {
  JobStats stats({{"a", "GET"}}, 2);
  for (std::uint64_t v : LogNormal(11, 10'000, 800)) {
    const auto d = std::chrono::microseconds(v);
    stats.ForWorker(v % 2).RecordRequest(0, {.latency = d, .service_time = d, .status = 200});
  }
  const std::size_t closed_bytes = stats.ForWorker(0).AllocatedBytes();
  // The open model: latency includes a start delay, service time does not.
  stats.ForWorker(0).RecordRequest(0, {.latency = std::chrono::milliseconds(4000),
                                       .service_time = std::chrono::milliseconds(1),
                                       .status = 200});
  EXPECT_GT(stats.ForWorker(0).AllocatedBytes(), closed_bytes);
  const StatsSnapshot s = stats.Snapshot();
  const EndpointStats& e = s.endpoints[0];
  EXPECT_EQ(e.latency.Count(), 10'001u);
  EXPECT_EQ(e.ServiceTime().Count(), 10'001u);
  EXPECT_EQ(e.latency.Max(), 4'000'000u);
  EXPECT_EQ(e.ServiceTime().Sum() + 3'999'000u, e.latency.Sum());
  EXPECT_EQ(e.RequestsWithStatus(200), 10'001u);
}

TEST(StatsMemoryTest, EveryDistinctStatusIsCountedBeyondTheInlineTable) {
  JobStats stats({{"a", "GET"}}, 1);
  const std::vector<unsigned> statuses = {200, 201, 204, 301, 302, 404, 409, 500, 503, 0, 599};
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    for (std::size_t n = 0; n <= i; ++n) {
      stats.ForWorker(0).RecordRequest(0, {.latency = std::chrono::microseconds(10),
                                           .service_time = std::chrono::microseconds(10),
                                           .status = statuses[i]});
    }
  }
  const EndpointStats e = stats.Snapshot().endpoints[0];
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    EXPECT_EQ(e.RequestsWithStatus(statuses[i]), i + 1) << statuses[i];
  }
  EXPECT_EQ(e.RequestsWithStatus(418), 0u);
}

}  // namespace
}  // namespace throng::engine
