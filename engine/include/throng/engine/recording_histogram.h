// The histogram a worker thread records latencies into (see LatencyHistogram for the merged one).
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "throng/engine/histogram_counts.h"
#include "throng/engine/histogram_layout.h"
#include "throng/engine/recording_counts.h"

namespace throng::engine {

class LatencyHistogram;

/// A latency histogram with one recording thread and concurrent readers, in the layout of
/// histogram_layout.h (microseconds clamped into [1 us, 1 h]; a clamped value still counts).
/// Memory follows the buckets in use (RecordingCounts: 2 bytes per bucket of a touched chunk of
/// 64, plus the directories; nothing while empty). Count, Sum, Min and Max are exact. Readers
/// take it through LatencyHistogram::Add, which sees a state a few samples behind the writer
/// but consistent with itself. Not copyable.
class RecordingHistogram {
 public:
  RecordingHistogram() { min_.Set(kEmptyMin); }

  static std::uint64_t ToMicros(std::chrono::nanoseconds d) {
    return histogram_layout::ToMicros(d);
  }

  void Record(std::uint64_t value_us) { RecordN(value_us, 1); }
  void Record(std::chrono::nanoseconds d) { RecordN(ToMicros(d), 1); }

  /// Records `n` occurrences of `value_us`. Only the recording thread may call it.
  void RecordN(std::uint64_t value_us, std::uint64_t n) {
    const std::uint64_t v =
        std::clamp(value_us, histogram_layout::kMinValueUs, histogram_layout::kMaxValueUs);
    counts_.Add(histogram_layout::IndexOf(v), n);
    total_.Set(total_.Get() + n);
    sum_.Set(sum_.Get() + v * n);
    if (v < min_.Get()) min_.Set(v);
    if (v > max_.Get()) max_.Set(v);
  }

  std::uint64_t Count() const { return total_.Get(); }
  std::uint64_t Sum() const { return sum_.Get(); }
  /// Exact smallest recorded value; 0 when empty.
  std::uint64_t Min() const { return Count() == 0 ? 0 : min_.Get(); }
  /// Exact largest recorded value; 0 when empty.
  std::uint64_t Max() const { return Count() == 0 ? 0 : max_.Get(); }

  /// Heap bytes held by the bucket counts (0 while empty).
  std::size_t AllocatedBytes() const { return counts_.AllocatedBytes(); }

 private:
  friend class LatencyHistogram;
  static constexpr std::uint64_t kEmptyMin = std::numeric_limits<std::uint64_t>::max();

  /// Calls fn(index, count) for each non-zero count with index in [first, last], in increasing
  /// order, skipping chunks never written.
  template <typename Fn>
  void ForEachCount(std::size_t first, std::size_t last, Fn&& fn) const {
    constexpr std::size_t kChunk = RecordingCounts::kChunkSize;
    std::array<std::uint64_t, kChunk> chunk;
    for (std::size_t c = first / kChunk; c <= last / kChunk; ++c) {
      if (!counts_.ReadChunk(c, chunk)) continue;
      const std::size_t base = c * kChunk;
      const std::size_t from = std::max(first, base) - base;
      const std::size_t to = std::min(last, base + kChunk - 1) - base;
      for (std::size_t i = from; i <= to; ++i) {
        if (chunk[i] != 0) fn(base + i, chunk[i]);
      }
    }
  }

  RecordingCounts counts_;
  RelaxedCounter total_;
  RelaxedCounter sum_;
  RelaxedCounter min_;
  RelaxedCounter max_;
};

}  // namespace throng::engine
