// Ended jobs live in the registry's store, not in its memory: they are read back from the
// SQLite row on every Get and List, and a job whose final state could not be stored stays in
// memory with it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <string>

#include "registry_sql.h"
#include "throng/api/registry/job_registry.h"
#include "throng/test_support/temp_dir.h"

namespace throng::api {
namespace {

using std::chrono::sys_days;
using throng::test_support::TempDir;

class RegistryHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = std::make_unique<JobRegistry>(std::make_unique<RegistryStore>(dir_.path()), [] {
      return sys_days{std::chrono::year{2026} / 11 / 21} + std::chrono::hours(13);
    });
  }

  /// A job that ran and completed with `requests` requests.
  std::string CompletedJob(const std::string& name, std::uint64_t requests) {
    v1::JobSpec spec;
    spec.set_name(name);
    const std::string id = registry_->Create(spec).id();
    registry_->OnStateChanged(id, v1::RUNNING);
    v1::Report report;
    report.mutable_job()->set_state(v1::COMPLETED);
    report.mutable_job()->mutable_totals()->set_requests(requests);
    report.set_verdict(v1::VERDICT_PASS);
    report.set_final(true);
    registry_->OnFinalReport(id, report);
    return id;
  }

  /// Runs `sql` on the registry's database through a second connection.
  void Sql(const std::string& sql) { RunRegistrySql(dir_.path(), sql); }

  TempDir dir_;
  std::unique_ptr<JobRegistry> registry_;
};

TEST_F(RegistryHistoryTest, AnEndedJobIsReadBackFromItsRowAndARunningOneFromMemory) {
  const std::string ended = CompletedJob("ended", 42);
  v1::JobSpec spec;
  spec.set_name("running");
  const std::string running = registry_->Create(spec).id();
  registry_->OnStateChanged(running, v1::RUNNING);

  Sql("UPDATE jobs SET error = 'changed in the row' WHERE id IN ('" + ended + "', '" + running +
      "')");
  const v1::Job job = *registry_->Get(ended);
  EXPECT_EQ(job.error(), "changed in the row");
  EXPECT_EQ(job.state(), v1::COMPLETED);
  EXPECT_EQ(job.spec().name(), "ended");
  EXPECT_EQ(job.totals().requests(), 42u);
  EXPECT_EQ(job.verdict(), v1::VERDICT_PASS);
  EXPECT_EQ(registry_->Get(running)->error(), "");  // the running job is the registry's copy

  const JobPage page = *registry_->List({}, 0, "");
  ASSERT_EQ(page.jobs.size(), 2u);
  EXPECT_EQ(page.jobs[0].id(), running);
  EXPECT_EQ(page.jobs[1].id(), ended);
  EXPECT_EQ(page.jobs[1].error(), "changed in the row");
}

TEST_F(RegistryHistoryTest, AFinalReportAfterTheFinalStateCompletesTheStoredJob) {
  v1::JobSpec spec;
  spec.set_name("stopped");
  const std::string id = registry_->Create(spec).id();
  registry_->OnStateChanged(id, v1::RUNNING);
  registry_->OnStateChanged(id, v1::STOPPED);  // the job leaves memory here
  v1::Report report;
  report.mutable_job()->set_state(v1::STOPPED);
  report.mutable_job()->mutable_totals()->set_requests(7);
  report.set_final(true);
  registry_->OnFinalReport(id, report);
  const v1::Job job = *registry_->Get(id);
  EXPECT_EQ(job.state(), v1::STOPPED);
  EXPECT_EQ(job.totals().requests(), 7u);
  EXPECT_EQ(job.spec().name(), "stopped");
  ASSERT_TRUE(registry_->FinalReport(id));
  EXPECT_EQ(registry_->FinalReport(id)->job().totals().requests(), 7u);
}

TEST_F(RegistryHistoryTest, AnEndedJobWhoseRowWentIsListedWithTheReason) {
  const std::string id = CompletedJob("gone", 1);
  Sql("DELETE FROM jobs WHERE id = '" + id + "'");
  const v1::Job job = *registry_->Get(id);
  EXPECT_EQ(job.id(), id);
  EXPECT_EQ(job.state(), v1::COMPLETED);
  EXPECT_NE(job.error().find("cannot be read: its row is gone"), std::string::npos) << job.error();
  ASSERT_EQ(registry_->List({v1::COMPLETED}, 0, "")->jobs.size(), 1u);
}

TEST_F(RegistryHistoryTest, OnlyTheExactIdFindsAnEndedJob) {
  const std::string id = CompletedJob("exact", 1);
  ASSERT_EQ(id, "j-20261121-000001");
  EXPECT_TRUE(registry_->Get(id));
  for (const std::string other :
       {"j-20261121-1", "j-20261122-000001", "000001", "j-20261121-000001x", "", "-", "j--1"}) {
    EXPECT_FALSE(registry_->Get(other)) << other;
    EXPECT_EQ(registry_->Delete(other).code(), absl::StatusCode::kNotFound) << other;
  }
  EXPECT_TRUE(registry_->Delete(id).ok());
  EXPECT_FALSE(registry_->Get(id));
}

TEST_F(RegistryHistoryTest, AFinalStateTheStoreRefusedStaysInMemory) {
  v1::JobSpec spec;
  spec.set_name("unsaved");
  const std::string id = registry_->Create(spec).id();
  registry_->OnStateChanged(id, v1::RUNNING);
  sqlite3* locker = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "registry.sqlite3").c_str(), &locker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(locker, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  registry_->OnStateChanged(id, v1::FAILED, "target refused");  // the write times out (2 s)
  sqlite3_exec(locker, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(locker);

  Sql("UPDATE jobs SET error = 'the row says otherwise' WHERE id = '" + id + "'");
  const v1::Job job = *registry_->Get(id);
  EXPECT_EQ(job.state(), v1::FAILED);
  EXPECT_EQ(job.error(), "target refused");
  EXPECT_TRUE(registry_->UnfinishedIds().empty());
}

TEST_F(RegistryHistoryTest, EndedJobsAreReadBackAfterAReopen) {
  const std::string id = CompletedJob("reopened", 5);
  registry_.reset();
  SetUp();
  Sql("UPDATE jobs SET error = 'after the reopen' WHERE id = '" + id + "'");
  const v1::Job job = *registry_->Get(id);
  EXPECT_EQ(job.error(), "after the reopen");
  EXPECT_EQ(job.totals().requests(), 5u);
  EXPECT_EQ(registry_->Create(v1::JobSpec()).id(), "j-20261121-000002");
}

}  // namespace
}  // namespace throng::api
