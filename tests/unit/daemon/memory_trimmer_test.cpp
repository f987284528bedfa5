#include "throng/daemon/memory_trimmer.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "throng/test_support/wait_until.h"

namespace throng::daemon {
namespace {

using namespace std::chrono_literals;

// Without the fixed threshold, freeing a 4 MB mapped block raises glibc's threshold to 4 MB
// and the next 256 KB block comes from the heap, resident until a trim.
TEST(MemoryTrimmerTest, LargeBlocksAreMappedOnTheirOwnAfterALargerOneWasFreed) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "the sanitizer's allocator replaces glibc's";
#endif
  ASSERT_TRUE(ReturnLargeBlocksWhenFreed());
  static void* volatile block;  // volatile: the compiler may not elide a malloc/free pair
  block = malloc(4 << 20);
  free(block);
  const std::size_t mapped_before = mallinfo2().hblks;
  block = malloc(2 * kLargeAllocationBytes);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(mallinfo2().hblks, mapped_before + 1);
  free(block);
  EXPECT_EQ(mallinfo2().hblks, mapped_before);
}

TEST(MemoryTrimmerTest, TrimsEveryPeriodUntilDestroyed) {
  std::atomic<int> trims{0};
  {
    const MemoryTrimmer trimmer(5ms, [&] { ++trims; });
    ASSERT_TRUE(test_support::WaitUntil([&] { return trims.load() >= 3; }, 10s, 1ms));
  }
  const int after_destruction = trims.load();
  std::this_thread::sleep_for(30ms);  // six periods: a thread left running would trim again
  EXPECT_EQ(trims.load(), after_destruction);
}

TEST(MemoryTrimmerTest, DestructionDoesNotWaitForTheNextPeriod) {
  std::atomic<int> trims{0};
  const auto start = std::chrono::steady_clock::now();
  {
    const MemoryTrimmer trimmer(1h, [&] { ++trims; });
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_EQ(trims.load(), 0);
}

TEST(MemoryTrimmerTest, TheDefaultTrimRunsAndAZeroPeriodIsRefused) {
  { const MemoryTrimmer trimmer(1ms); }
  EXPECT_THROW(MemoryTrimmer(0s), std::invalid_argument);
}

}  // namespace
}  // namespace throng::daemon
