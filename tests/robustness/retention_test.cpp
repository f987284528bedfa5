// A finished job's series and memory are released on the executor's timer after
// --finished-job-retention, with nobody scraping /metrics: after 200 small jobs RSS is back
// within 10 % of the idle figure.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "robustness_fixture.h"

namespace throng::robustness_test {
namespace {

constexpr int kJobs = 200;
/// Jobs submitted before waiting for the oldest of them (the queue holds the rest).
constexpr std::size_t kInFlight = 16;

/// A small job: one user, 2 iterations of GET /items/ under 2 request names.
v1::JobSpec SmallJob(const std::string& base_url, int index) {
  v1::JobSpec spec;
  spec.set_name("small " + std::to_string(index));
  spec.set_base_url(base_url);
  v1::UserClass* user = spec.add_user_classes();
  user->set_name("visitor");
  v1::Task* task = user->add_tasks();
  for (int i = 0; i < 2; ++i) {
    v1::Request* request = task->add_steps()->mutable_request();
    request->set_name("items " + std::to_string(i));
    request->set_path("/items/");
  }
  spec.mutable_load()->mutable_shared_iterations()->set_users(1);
  spec.mutable_load()->mutable_shared_iterations()->set_iterations(2);
  return spec;
}

class RetentionRobustness : public Robust {};

// What stayed after the jobs (main, 2026-12-01: idle 23.5 MB, after 26.5 MB, +13 %): ended jobs
// held parsed in the registry (many small blocks pinning pages of the supervisor's heap), SQLite's
// 2 MB page cache filling as the history grew, and the executor trimming before the expired jobs'
// last references went. With those fixed: idle 23.8 MB, peak 29.2 MB, after 25.5 MB (+7 %), but
// CI then measured +10.0 %: the ended jobs' sealed bytes still pinned pages. Ended jobs now live
// in the store only (an 80-byte index entry each) and SQLite's page cache is 64 KiB: idle 23.2 MB,
// after 24.7-24.9 MB (+6.3 to +7.1 %, 3 runs); after 600 jobs +8 % (it was +13.8 %).
TEST_F(RetentionRobustness, TwoHundredJobsEndedLeaveRssWithinTenPercentOfIdle) {
  StartDaemon({"--finished-job-retention", "1s", "--max-running-jobs", "8"});
  ExpectHealthyJobReported();
  const pid_t pid = daemon().child->pid();
  // Idle: once the first job's retention has passed, RSS holds steady (within 1 %).
  long idle = RssKiB(pid);
  test_support::WaitUntil(
      [&] {
        const long now = RssKiB(pid);
        const bool steady = std::labs(now - idle) <= idle / 100;
        idle = now;
        return steady;
      },
      5s, 700ms);
  ASSERT_GT(idle, 0);

  StartHealthyJob();
  std::vector<std::string> ids;
  long peak = idle;
  for (int i = 0; i < kJobs; ++i) {
    v1::Job job;
    const grpc::Status status = daemon_test::Submit(daemon(), SmallJob(BaseUrl(), i), &job);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ids.push_back(job.id());
    if (ids.size() >= kInFlight) {
      const v1::Job ended = WaitForEnd(ids[ids.size() - kInFlight]);
      EXPECT_EQ(ended.state(), v1::COMPLETED) << ended.ShortDebugString();
      peak = std::max(peak, RssKiB(pid));
    }
    if (i % 50 == 0) ExpectResponsive();
  }
  for (const std::string& id : ids) {
    EXPECT_EQ(WaitForEnd(id).state(), v1::COMPLETED);
    peak = std::max(peak, RssKiB(pid));
  }
  ExpectHealthyJobReported();
  long after = 0;
  const bool released = test_support::WaitUntil(
      [&] {
        after = RssKiB(pid);
        return after <= idle * 11 / 10;
      },
      15s, 250ms);
  std::printf("RSS KiB: idle %ld, peak during %d jobs %ld, after %ld\n", idle, kJobs, peak, after);
  RecordProperty("rss_idle_kib", std::to_string(idle));
  RecordProperty("rss_peak_kib", std::to_string(peak));
  RecordProperty("rss_after_kib", std::to_string(after));
#if defined(__SANITIZE_ADDRESS__)
  // ASan's quarantine keeps freed blocks resident (up to 256 MiB): RSS says nothing there (the
  // jobs above still had to complete; LeakSanitizer covers leaks).
  std::printf("RSS bound not checked under AddressSanitizer (quarantine)\n");
  (void)released;
#else
  EXPECT_TRUE(released) << "RSS " << after << " KiB after the jobs, idle " << idle << " KiB";
#endif
  ExpectResponsive();
}

}  // namespace
}  // namespace throng::robustness_test
