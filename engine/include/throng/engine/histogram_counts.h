// Lazily allocated bucket counts of a latency histogram (see histogram.h).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace throng::engine {

/// A counter cell written by one thread and read by any: plain memory.
struct PlainCounter {
  std::uint64_t value = 0;
  std::uint64_t Get() const { return value; }
  void Set(std::uint64_t v) { value = v; }
};

/// A counter cell with a single writer and concurrent readers: relaxed atomic load + store (no
/// read-modify-write), so recording costs the same as plain memory yet readers never tear.
struct RelaxedCounter {
  std::atomic<std::uint64_t> value{0};
  std::uint64_t Get() const { return value.load(std::memory_order_relaxed); }
  void Set(std::uint64_t v) { value.store(v, std::memory_order_relaxed); }
};

namespace histogram_layout {
/// Counts are stored in chunks of 64 neighbouring buckets (512 bytes), each allocated on the
/// first value it receives; the directory of chunk pointers is itself allocated on first use.
inline constexpr int kChunkShift = 6;
inline constexpr std::size_t kChunkSize = std::size_t{1} << kChunkShift;
inline constexpr std::size_t kChunkMask = kChunkSize - 1;
}  // namespace histogram_layout

/// `length` counters (a multiple of kChunkSize) of which only the touched chunks exist: an
/// empty instance is one pointer; a written one costs 8 bytes per chunk slot (the directory)
/// plus 512 bytes per chunk holding a non-zero count. Single writer (Cell), readers on any
/// thread (Get, ChunkAt): chunks are published with release stores and never freed before the
/// destructor or Clear, so a concurrent reader sees either no chunk (all zero) or a valid one.
/// Copying (plain counters only) copies the allocated chunks.
template <typename Counter, std::size_t kLength>
class ChunkedCounts {
 public:
  static constexpr std::size_t kChunks = kLength >> histogram_layout::kChunkShift;
  static_assert(kChunks * histogram_layout::kChunkSize == kLength);
  using Chunk = std::array<Counter, histogram_layout::kChunkSize>;

  ChunkedCounts() = default;
  ~ChunkedCounts() { Clear(); }
  ChunkedCounts(const ChunkedCounts& other) { CopyFrom(other); }
  ChunkedCounts& operator=(const ChunkedCounts& other) {
    if (this != &other) {
      Clear();
      CopyFrom(other);
    }
    return *this;
  }
  ChunkedCounts(ChunkedCounts&& other) noexcept
      : directory_(other.directory_.exchange(nullptr, std::memory_order_relaxed)) {}
  ChunkedCounts& operator=(ChunkedCounts&& other) noexcept {
    if (this != &other) {
      Clear();
      directory_.store(other.directory_.exchange(nullptr, std::memory_order_relaxed),
                       std::memory_order_relaxed);
    }
    return *this;
  }

  /// The chunk `c` (index / kChunkSize), or nullptr while none of its counts was written.
  const Chunk* ChunkAt(std::size_t c) const {
    const Directory* d = directory_.load(std::memory_order_acquire);
    return d == nullptr ? nullptr : (*d)[c].load(std::memory_order_acquire);
  }

  std::uint64_t Get(std::size_t index) const {
    const Chunk* chunk = ChunkAt(index >> histogram_layout::kChunkShift);
    return chunk == nullptr ? 0 : (*chunk)[index & histogram_layout::kChunkMask].Get();
  }

  /// The writable cell of `index`, allocating its chunk (and the directory) on first use.
  /// Only the single writer may call it.
  Counter& Cell(std::size_t index) {
    Directory* d = directory_.load(std::memory_order_relaxed);
    if (d == nullptr) {
      d = new Directory();
      directory_.store(d, std::memory_order_release);
    }
    std::atomic<Chunk*>& slot = (*d)[index >> histogram_layout::kChunkShift];
    Chunk* chunk = slot.load(std::memory_order_relaxed);
    if (chunk == nullptr) {
      chunk = new Chunk();
      slot.store(chunk, std::memory_order_release);
    }
    return (*chunk)[index & histogram_layout::kChunkMask];
  }

  /// Sets every allocated count to zero, keeping the memory (safe beside readers).
  void Zero() {
    for (std::size_t c = 0; c < kChunks; ++c) {
      if (Chunk* chunk = MutableChunk(c)) {
        for (Counter& cell : *chunk) cell.Set(0);
      }
    }
  }

  /// Frees every chunk and the directory. Not safe beside concurrent readers.
  void Clear() {
    Directory* d = directory_.exchange(nullptr, std::memory_order_acq_rel);
    if (d == nullptr) return;
    for (auto& slot : *d) delete slot.load(std::memory_order_relaxed);
    delete d;
  }

  /// Heap bytes held: the directory and the allocated chunks.
  std::size_t AllocatedBytes() const {
    if (directory_.load(std::memory_order_acquire) == nullptr) return 0;
    std::size_t bytes = sizeof(Directory);
    for (std::size_t c = 0; c < kChunks; ++c) bytes += ChunkAt(c) != nullptr ? sizeof(Chunk) : 0;
    return bytes;
  }

 private:
  using Directory = std::array<std::atomic<Chunk*>, kChunks>;

  Chunk* MutableChunk(std::size_t c) {
    Directory* d = directory_.load(std::memory_order_relaxed);
    return d == nullptr ? nullptr : (*d)[c].load(std::memory_order_relaxed);
  }

  void CopyFrom(const ChunkedCounts& other) {
    for (std::size_t c = 0; c < kChunks; ++c) {
      const Chunk* from = other.ChunkAt(c);
      if (from == nullptr) continue;
      const std::size_t base = c << histogram_layout::kChunkShift;
      for (std::size_t i = 0; i < histogram_layout::kChunkSize; ++i) {
        if (const std::uint64_t v = (*from)[i].Get(); v != 0) Cell(base + i).Set(v);
      }
    }
  }

  std::atomic<Directory*> directory_{nullptr};
};

}  // namespace throng::engine
