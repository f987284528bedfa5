// The histogram's lazily allocated chunks: memory follows the buckets in use, merges and
// differences stay exact.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "throng/engine/histogram.h"
#include "throng/engine/stats.h"

namespace throng::engine {
namespace {

namespace layout = histogram_layout;
using Counts = ChunkedCounts<PlainCounter, layout::kCountsLength>;
constexpr std::size_t kChunkBytes = sizeof(Counts::Chunk);
constexpr std::size_t kDirectoryBytes = Counts::kChunks * sizeof(void*);

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

std::size_t ChunksUsedBy(const std::vector<std::uint64_t>& values) {
  std::vector<bool> used(Counts::kChunks);
  for (std::uint64_t v : values) used[layout::IndexOf(v) >> layout::kChunkShift] = true;
  return static_cast<std::size_t>(std::count(used.begin(), used.end(), true));
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

TEST(HistogramMemoryTest, ChunksAreAllocatedOnlyWhereValuesFall) {
  LatencyHistogram h;
  h.Record(std::uint64_t{1'000});
  EXPECT_EQ(h.AllocatedBytes(), kDirectoryBytes + kChunkBytes);
  h.RecordN(1'010, 50);  // same chunk of 64 one-microsecond buckets
  EXPECT_EQ(h.AllocatedBytes(), kDirectoryBytes + kChunkBytes);
  h.Record(std::uint64_t{3'000'000});  // a far tail value: one more chunk, not the range between
  EXPECT_EQ(h.AllocatedBytes(), kDirectoryBytes + 2 * kChunkBytes);
  EXPECT_EQ(h.Count(), 52u);
  EXPECT_EQ(h.ValueAtPercentile(100), 3'000'000u);

  const std::vector<std::uint64_t> values = LogNormal(3, 100'000, 20'000);
  LatencyHistogram wide;
  for (std::uint64_t v : values) wide.Record(v);
  EXPECT_EQ(wide.AllocatedBytes(), kDirectoryBytes + ChunksUsedBy(values) * kChunkBytes);
  EXPECT_LT(wide.AllocatedBytes(), layout::kCountsLength * sizeof(std::uint64_t));
}

TEST(HistogramMemoryTest, MergingWorkersIsExactAcrossChunks) {
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
  EXPECT_EQ(merged.AllocatedBytes(), whole.AllocatedBytes());
  for (double p : {50.0, 90.0, 99.0, 99.9, 99.99}) {
    EXPECT_EQ(merged.ValueAtPercentile(p), whole.ValueAtPercentile(p)) << p;
  }
}

TEST(HistogramMemoryTest, DifferenceEqualsSubtractAndAllocatesOnlyTheInterval) {
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
  EXPECT_EQ(difference.AllocatedBytes(),
            kDirectoryBytes + ChunksUsedBy(interval_values) * kChunkBytes);
  EXPECT_LT(difference.AllocatedBytes(), cumulative.AllocatedBytes());

  const LatencyHistogram nothing = Difference(cumulative, cumulative);
  EXPECT_EQ(nothing.Count(), 0u);
  EXPECT_EQ(nothing.AllocatedBytes(), 0u);
  const LatencyHistogram all = Difference(cumulative, LatencyHistogram{});
  EXPECT_EQ(Buckets(all), Buckets(cumulative));
  EXPECT_EQ(all.Min(), cumulative.Min());
  EXPECT_EQ(all.Max(), cumulative.Max());
}

TEST(HistogramMemoryTest, CopiesAndResetDropEmptyChunks) {
  LatencyHistogram h;
  for (std::uint64_t v : LogNormal(9, 5'000, 10'000)) h.Record(v);
  LatencyHistogram emptied = h;
  emptied.Subtract(h);
  EXPECT_EQ(emptied.Count(), 0u);
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
