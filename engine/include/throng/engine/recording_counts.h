// Compact bucket counts that one thread records into while others read (RecordingHistogram).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <tuple>

#include "throng/engine/histogram_layout.h"

namespace throng::engine {

/// The 23552 bucket counts of a recording histogram, of which only the touched ones exist. An
/// empty instance is one pointer; on first use a directory of 23 group pointers (one per 1024
/// buckets), then per group touched 16 chunk pointers, then per chunk of 64 neighbouring buckets
/// touched 16-bit counters (144 bytes with the chunk's header). A counter that passes 65535
/// carries into 32-bit high words allocated for its chunk (256 bytes), so a bucket counts up to
/// 2^48 - 1 samples (beyond, it saturates: 1.4 years of one worker putting 6 million samples a
/// second into one bucket).
///
/// Thread-safety: one writer (Add), readers on any thread (ReadChunk). Chunks, groups and high
/// words are published with release stores and freed only by the destructor. A carry (rare: once
/// per 65536 samples in a bucket) is written under the chunk's sequence counter, so a reader never
/// pairs a low word with the wrong high word; a plain increment needs no synchronisation beyond
/// relaxed atomic loads and stores (a reader sees each counter as it was at some moment).
class RecordingCounts {
  struct Chunk;
  using HighWords = std::array<std::atomic<std::uint32_t>, 64>;
  using Group = std::array<std::atomic<Chunk*>, 16>;
  using Directory = std::array<std::atomic<Group*>, 23>;

 public:
  static constexpr std::size_t kChunkSize = 64;
  static constexpr std::size_t kChunks = histogram_layout::kCountsLength / kChunkSize;  // 368
  static constexpr std::size_t kChunksPerGroup = std::tuple_size_v<Group>;
  static constexpr std::size_t kGroupSize = kChunkSize * kChunksPerGroup;  // 1024 buckets
  static_assert(std::tuple_size_v<Directory> * kChunksPerGroup == kChunks);
  static_assert(std::tuple_size_v<HighWords> == kChunkSize);
  /// Largest count a bucket holds.
  static constexpr std::uint64_t kMaxCount = (std::uint64_t{1} << 48) - 1;
  static constexpr std::size_t kDirectoryBytes = sizeof(Directory);
  static constexpr std::size_t kGroupBytes = sizeof(Group);
  static constexpr std::size_t kHighWordsBytes = sizeof(HighWords);

  RecordingCounts() = default;
  ~RecordingCounts();
  RecordingCounts(const RecordingCounts&) = delete;
  RecordingCounts& operator=(const RecordingCounts&) = delete;

  /// Adds `n` to bucket `index` (< kCountsLength). Only the single writer may call it.
  void Add(std::size_t index, std::uint64_t n) {
    Chunk& chunk = ChunkFor(index);
    std::atomic<std::uint16_t>& cell = chunk.low[index % kChunkSize];
    const std::uint64_t sum = cell.load(std::memory_order_relaxed) + n;
    if (sum <= kLowMax) [[likely]] {
      cell.store(static_cast<std::uint16_t>(sum), std::memory_order_relaxed);
      return;
    }
    Carry(chunk, index % kChunkSize, sum);
  }

  /// Reads the counts of chunk `c` (< kChunks: buckets c * 64 .. c * 64 + 63) into `out`, as a
  /// state they had together; false (and `out` untouched) while none of them was written.
  bool ReadChunk(std::size_t c, std::array<std::uint64_t, kChunkSize>& out) const;

  /// Heap bytes held (0 while empty): kDirectoryBytes once written, kGroupBytes per group of
  /// 1024 buckets touched, kChunkBytes per chunk of 64 touched, kHighWordsBytes per chunk with
  /// a count above 65535.
  std::size_t AllocatedBytes() const;

 private:
  static constexpr std::uint64_t kLowMax = 0xFFFF;
  struct Chunk {
    std::atomic<std::uint32_t> version{0};  // odd while a carry is written
    std::atomic<HighWords*> high{nullptr};
    std::array<std::atomic<std::uint16_t>, kChunkSize> low{};
  };

 public:
  static constexpr std::size_t kChunkBytes = sizeof(Chunk);

 private:
  Chunk& ChunkFor(std::size_t index) {
    Directory* directory = directory_.load(std::memory_order_relaxed);
    if (directory == nullptr) [[unlikely]]
      directory = NewDirectory();
    const std::size_t c = index / kChunkSize;
    Group* group = (*directory)[c / kChunksPerGroup].load(std::memory_order_relaxed);
    if (group == nullptr) [[unlikely]]
      group = NewGroup(*directory, c / kChunksPerGroup);
    Chunk* chunk = (*group)[c % kChunksPerGroup].load(std::memory_order_relaxed);
    if (chunk == nullptr) [[unlikely]]
      chunk = NewChunk(*group, c % kChunksPerGroup);
    return *chunk;
  }
  const Chunk* ChunkAt(std::size_t c) const;
  Directory* NewDirectory();
  static Group* NewGroup(Directory& directory, std::size_t g);
  static Chunk* NewChunk(Group& group, std::size_t slot);
  static void Carry(Chunk& chunk, std::size_t slot, std::uint64_t sum);

  std::atomic<Directory*> directory_{nullptr};
};

}  // namespace throng::engine
