#include "throng/daemon/memory_trimmer.h"

#include <malloc.h>

#include <stdexcept>

namespace throng::daemon {

bool ReturnLargeBlocksWhenFreed() { return mallopt(M_MMAP_THRESHOLD, kLargeAllocationBytes) == 1; }

MemoryTrimmer::MemoryTrimmer(std::chrono::nanoseconds period, std::function<void()> trim)
    : period_(period), trim_(trim ? std::move(trim) : [] { malloc_trim(0); }) {
  if (period_ <= std::chrono::nanoseconds::zero()) {
    throw std::invalid_argument("MemoryTrimmer: the period must be positive");
  }
  thread_ = std::thread([this] { Run(); });
}

MemoryTrimmer::~MemoryTrimmer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void MemoryTrimmer::Run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, period_, [this] { return stopping_; })) {
    lock.unlock();
    trim_();
    lock.lock();
  }
}

}  // namespace throng::daemon
