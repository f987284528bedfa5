#include "throng/api/common/report_arena.h"

#include <gtest/gtest.h>
#include <malloc.h>

#include "throng/v1/job.pb.h"

namespace throng::api {
namespace {

// A report built on a ReportArena takes its memory in blocks that glibc maps on their own (so
// they leave no holes in the heap when the arena goes), not in thousands of small heap blocks.
TEST(ReportArenaTest, AReportOnTheArenaLivesInMappedBlocksThatGoWithIt) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "the sanitizer's allocator replaces glibc's";
#endif
  ASSERT_EQ(mallopt(M_MMAP_THRESHOLD, 128 * 1024), 1);  // as throngd sets it
  const std::size_t mapped_before = mallinfo2().hblks;
  {
    ReportArena arena;
    v1::Report* report = arena.Create<v1::Report>();
    ASSERT_NE(report->GetArena(), nullptr);
    for (int i = 0; i < 1000; ++i) {
      v1::TimelinePoint* point = report->add_timeline();
      point->mutable_interval()->set_p50_ms(i);
      for (int q = 0; q < 11; ++q) point->add_interval_percentiles()->set_ms(q);
      EXPECT_EQ(point->GetArena(), report->GetArena());
    }
    EXPECT_GT(mallinfo2().hblks, mapped_before);
  }
  EXPECT_EQ(mallinfo2().hblks, mapped_before);
}

}  // namespace
}  // namespace throng::api
