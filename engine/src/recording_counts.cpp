#include "throng/engine/recording_counts.h"

#include <algorithm>
#include <thread>

namespace throng::engine {

RecordingCounts::~RecordingCounts() {
  Directory* directory = directory_.load(std::memory_order_acquire);
  if (directory == nullptr) return;
  for (auto& group_slot : *directory) {
    Group* group = group_slot.load(std::memory_order_relaxed);
    if (group == nullptr) continue;
    for (auto& chunk_slot : *group) {
      Chunk* chunk = chunk_slot.load(std::memory_order_relaxed);
      if (chunk != nullptr) delete chunk->high.load(std::memory_order_relaxed);
      delete chunk;
    }
    delete group;
  }
  delete directory;
}

RecordingCounts::Directory* RecordingCounts::NewDirectory() {
  auto* directory = new Directory();
  directory_.store(directory, std::memory_order_release);
  return directory;
}

RecordingCounts::Group* RecordingCounts::NewGroup(Directory& directory, std::size_t g) {
  auto* group = new Group();
  directory[g].store(group, std::memory_order_release);
  return group;
}

RecordingCounts::Chunk* RecordingCounts::NewChunk(Group& group, std::size_t slot) {
  auto* chunk = new Chunk();
  group[slot].store(chunk, std::memory_order_release);
  return chunk;
}

// A seqlock write (Boehm, "Can seqlocks get along with programming language memory models?"):
// odd version, release fence, the data, even version with release.
void RecordingCounts::Carry(Chunk& chunk, std::size_t slot, std::uint64_t sum) {
  HighWords* high = chunk.high.load(std::memory_order_relaxed);
  if (high == nullptr) {
    high = new HighWords();
    chunk.high.store(high, std::memory_order_release);  // all zero: adds nothing to a reader
  }
  const std::uint64_t high_before = (*high)[slot].load(std::memory_order_relaxed);
  std::uint64_t high_after = high_before + (sum >> 16);
  std::uint64_t low_after = sum & kLowMax;
  if (high_after > (kMaxCount >> 16)) {  // saturated: the bucket stays at kMaxCount
    high_after = kMaxCount >> 16;
    low_after = kLowMax;
  }
  const std::uint32_t version = chunk.version.load(std::memory_order_relaxed);
  chunk.version.store(version + 1, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);
  (*high)[slot].store(static_cast<std::uint32_t>(high_after), std::memory_order_relaxed);
  chunk.low[slot].store(static_cast<std::uint16_t>(low_after), std::memory_order_relaxed);
  chunk.version.store(version + 2, std::memory_order_release);
}

const RecordingCounts::Chunk* RecordingCounts::ChunkAt(std::size_t c) const {
  const Directory* directory = directory_.load(std::memory_order_acquire);
  if (directory == nullptr) return nullptr;
  const Group* group = (*directory)[c / kChunksPerGroup].load(std::memory_order_acquire);
  return group == nullptr ? nullptr : (*group)[c % kChunksPerGroup].load(std::memory_order_acquire);
}

bool RecordingCounts::ReadChunk(std::size_t c, std::array<std::uint64_t, kChunkSize>& out) const {
  const Chunk* chunk = ChunkAt(c);
  if (chunk == nullptr) return false;
  for (;;) {
    const std::uint32_t version = chunk->version.load(std::memory_order_acquire);
    if ((version & 1) != 0) {  // a carry is being written: a few stores
      std::this_thread::yield();
      continue;
    }
    for (std::size_t i = 0; i < kChunkSize; ++i) {
      out[i] = chunk->low[i].load(std::memory_order_relaxed);
    }
    if (const HighWords* high = chunk->high.load(std::memory_order_acquire)) {
      for (std::size_t i = 0; i < kChunkSize; ++i) {
        out[i] += std::uint64_t{(*high)[i].load(std::memory_order_relaxed)} << 16;
      }
    }
    std::atomic_thread_fence(std::memory_order_acquire);
    if (chunk->version.load(std::memory_order_relaxed) == version) return true;
  }
}

std::size_t RecordingCounts::AllocatedBytes() const {
  const Directory* directory = directory_.load(std::memory_order_acquire);
  if (directory == nullptr) return 0;
  std::size_t bytes = sizeof(Directory);
  for (const auto& group_slot : *directory) {
    const Group* group = group_slot.load(std::memory_order_acquire);
    if (group == nullptr) continue;
    bytes += sizeof(Group);
    for (const auto& chunk_slot : *group) {
      const Chunk* chunk = chunk_slot.load(std::memory_order_acquire);
      if (chunk == nullptr) continue;
      bytes += sizeof(Chunk);
      if (chunk->high.load(std::memory_order_acquire) != nullptr) bytes += sizeof(HighWords);
    }
  }
  return bytes;
}

}  // namespace throng::engine
