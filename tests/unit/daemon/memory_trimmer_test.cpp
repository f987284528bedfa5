#include "throng/daemon/memory_trimmer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "throng/test_support/wait_until.h"

namespace throng::daemon {
namespace {

using namespace std::chrono_literals;

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
