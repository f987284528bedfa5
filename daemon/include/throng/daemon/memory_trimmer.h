// Returns the heap's free memory to the operating system on a timer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace throng::daemon {

/// Blocks of at least this many bytes are mapped on their own and unmapped when freed.
inline constexpr int kLargeAllocationBytes = 128 * 1024;

/// Sets glibc's mmap threshold to kLargeAllocationBytes once and for all (M_MMAP_THRESHOLD).
/// glibc otherwise raises the threshold to the size of each mapped block freed, so after the
/// first large report every later one (a checkpoint, GetReport, a scrape: each a few hundred
/// KB) is carved from an arena and stays resident until the next trim. Call once at start;
/// returns false if glibc refused.
bool ReturnLargeBlocksWhenFreed();

/// Calls `trim` (default: glibc's malloc_trim(0)) every `period` on its own thread, from
/// construction until destruction. glibc keeps memory freed by a thread in that thread's arena,
/// so a daemon that builds a large transient report now and then (a checkpoint, GetReport, a
/// scrape) otherwise keeps its high-water mark resident for good: a months-long soak would read
/// that as a leak, and the machine would lose the memory. The destructor wakes the thread and
/// joins it (it returns within one `trim` call). Not copyable; thread-safe by construction.
class MemoryTrimmer {
 public:
  explicit MemoryTrimmer(std::chrono::nanoseconds period, std::function<void()> trim = {});
  ~MemoryTrimmer();
  MemoryTrimmer(const MemoryTrimmer&) = delete;
  MemoryTrimmer& operator=(const MemoryTrimmer&) = delete;

 private:
  void Run();

  const std::chrono::nanoseconds period_;
  const std::function<void()> trim_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace throng::daemon
