#include "throng/api/registry/job_registry.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <thread>

#include "throng/test_support/temp_dir.h"

namespace throng::api {
namespace {

namespace fs = std::filesystem;
using std::chrono::sys_days;

using throng::test_support::TempDir;

v1::JobSpec Spec(const std::string& name) {
  v1::JobSpec spec;
  spec.set_name(name);
  spec.set_base_url("http://127.0.0.1:8000");
  (*spec.mutable_headers())["Authorization"] = "Bearer very-secret-token";
  (*spec.mutable_variables())["password"] = "hunter2";
  return spec;
}

JobRegistry::Clock FixedClock() {
  return [] { return sys_days{std::chrono::year{2026} / 11 / 21} + std::chrono::hours(13); };
}

class JobRegistryTest : public ::testing::Test {
 protected:
  std::unique_ptr<JobRegistry> Open() {
    return std::make_unique<JobRegistry>(std::make_unique<RegistryStore>(dir_.path()),
                                         FixedClock());
  }
  TempDir dir_;
};

TEST_F(JobRegistryTest, IdsCarryDateAndSequence) {
  auto registry = Open();
  const v1::Job first = registry->Create(Spec("a"));
  const v1::Job second = registry->Create(Spec("b"));
  EXPECT_EQ(first.id(), "j-20261121-000001");
  EXPECT_EQ(second.id(), "j-20261121-000002");
  EXPECT_EQ(first.state(), v1::QUEUED);
  EXPECT_TRUE(first.has_created_at());
}

TEST_F(JobRegistryTest, IdsStayUniqueAcrossRestarts) {
  Open()->Create(Spec("a"));
  const v1::Job after_restart = Open()->Create(Spec("b"));
  EXPECT_EQ(after_restart.id(), "j-20261121-000002");
}

TEST_F(JobRegistryTest, GetUnknownIsEmpty) {
  auto registry = Open();
  EXPECT_EQ(registry->Get("j-20261121-000001"), std::nullopt);
}

TEST_F(JobRegistryTest, ListIsNewestFirstAndPaged) {
  auto registry = Open();
  for (int i = 0; i < 5; ++i) registry->Create(Spec("job" + std::to_string(i)));
  JobPage page = *registry->List({}, 2, "");
  ASSERT_EQ(page.jobs.size(), 2u);
  EXPECT_EQ(page.jobs[0].spec().name(), "job4");
  EXPECT_EQ(page.jobs[1].spec().name(), "job3");
  ASSERT_FALSE(page.next_page_token.empty());
  page = *registry->List({}, 2, page.next_page_token);
  ASSERT_EQ(page.jobs.size(), 2u);
  EXPECT_EQ(page.jobs[0].spec().name(), "job2");
  EXPECT_EQ(page.jobs[1].spec().name(), "job1");
  page = *registry->List({}, 2, page.next_page_token);
  ASSERT_EQ(page.jobs.size(), 1u);
  EXPECT_EQ(page.jobs[0].spec().name(), "job0");
  EXPECT_TRUE(page.next_page_token.empty());
}

TEST_F(JobRegistryTest, ExactlyFullPageHasNoNextToken) {
  auto registry = Open();
  for (int i = 0; i < 3; ++i) registry->Create(Spec("job"));
  EXPECT_TRUE(registry->List({}, 3, "")->next_page_token.empty());
  EXPECT_EQ(registry->List({}, 0, "")->jobs.size(), 3u);  // 0: the default page size
}

TEST_F(JobRegistryTest, ListFiltersByState) {
  auto registry = Open();
  const std::string a = registry->Create(Spec("a")).id();
  const std::string b = registry->Create(Spec("b")).id();
  const std::string c = registry->Create(Spec("c")).id();
  registry->OnStateChanged(a, v1::RUNNING);
  registry->OnStateChanged(c, v1::RUNNING);
  registry->OnStateChanged(c, v1::COMPLETED, "", v1::VERDICT_PASS);

  JobPage running = *registry->List({v1::RUNNING}, 0, "");
  ASSERT_EQ(running.jobs.size(), 1u);
  EXPECT_EQ(running.jobs[0].id(), a);
  JobPage some = *registry->List({v1::QUEUED, v1::COMPLETED}, 1, "");
  ASSERT_EQ(some.jobs.size(), 1u);
  EXPECT_EQ(some.jobs[0].id(), c);
  some = *registry->List({v1::QUEUED, v1::COMPLETED}, 1, some.next_page_token);
  ASSERT_EQ(some.jobs.size(), 1u);
  EXPECT_EQ(some.jobs[0].id(), b);
  EXPECT_TRUE(some.next_page_token.empty());
}

TEST_F(JobRegistryTest, MalformedPageTokenNamesTheField) {
  auto registry = Open();
  for (const std::string token : {"abc", "-4", "12x", "0"}) {
    const absl::StatusOr<JobPage> page = registry->List({}, 0, token);
    ASSERT_FALSE(page.ok()) << "accepted " << token;
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(page.status().message().rfind("page_token", 0), 0u) << page.status().message();
  }
}

TEST_F(JobRegistryTest, StateChangesSetTimestampsAndStopAtFinal) {
  auto registry = Open();
  const std::string id = registry->Create(Spec("a")).id();
  registry->OnStateChanged(id, v1::RUNNING);
  EXPECT_TRUE(registry->Get(id)->has_started_at());
  EXPECT_FALSE(registry->Get(id)->has_ended_at());
  registry->OnStateChanged(id, v1::FAILED, "setup failed: 500");
  registry->OnStateChanged(id, v1::RUNNING);  // ignored: a job ends once
  const v1::Job job = *registry->Get(id);
  EXPECT_EQ(job.state(), v1::FAILED);
  EXPECT_EQ(job.error(), "setup failed: 500");
  EXPECT_TRUE(job.has_ended_at());
  EXPECT_TRUE(registry->UnfinishedIds().empty());
}

TEST_F(JobRegistryTest, FinalReportEndsTheJobTogetherWithItsReport) {
  auto registry = Open();
  const std::string id = registry->Create(Spec("ends")).id();
  registry->OnStateChanged(id, v1::RUNNING);
  v1::Report report;
  report.mutable_job()->set_state(v1::ABORTED);
  report.mutable_job()->set_error("threshold \"p(95) < 5ms\" failed");
  report.mutable_job()->mutable_totals()->set_requests(42);
  report.set_verdict(v1::VERDICT_FAIL);
  report.set_final(true);
  registry->OnFinalReport(id, report);
  const v1::Job job = *registry->Get(id);
  EXPECT_EQ(job.state(), v1::ABORTED);
  EXPECT_EQ(job.verdict(), v1::VERDICT_FAIL);
  EXPECT_EQ(job.error(), "threshold \"p(95) < 5ms\" failed");
  EXPECT_TRUE(job.has_ended_at());
  EXPECT_EQ(job.totals().requests(), 42u);
  const std::optional<v1::Report> stored = registry->FinalReport(id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->job().state(), v1::ABORTED);
  EXPECT_EQ(stored->job().spec().name(), "ends");
  EXPECT_TRUE(registry->UnfinishedIds().empty());
}

// The stored report is the report with the registry's job in place of its own (not merged into
// it) and its setup variables redacted by the spec's rules; every other field is kept.
TEST_F(JobRegistryTest, TheStoredReportIsTheReportWithTheRegistrysJob) {
  auto registry = Open();
  v1::JobSpec spec = Spec("stored");
  spec.add_secret_names("tenant");
  const std::string id = registry->Create(spec).id();
  registry->OnStateChanged(id, v1::RUNNING);
  v1::Report report;
  report.mutable_job()->set_state(v1::COMPLETED);
  report.mutable_job()->mutable_spec()->set_name("the-executors-copy");
  report.mutable_job()->add_thresholds()->set_expr("p(95) < 1s");
  report.set_final(true);
  report.add_endpoints()->set_name("GET /a");
  report.mutable_aggregated()->set_requests(7);
  report.add_timeline()->set_rps(3);
  report.set_daemon_version("v-test");
  (*report.mutable_setup_variables())["tenant"] = "t-1";
  (*report.mutable_setup_variables())["plain"] = "p";
  report.mutable_fleet()->set_run_id("run-1");
  registry->OnFinalReport(id, report);

  const std::optional<v1::Report> stored = registry->FinalReport(id);
  ASSERT_TRUE(stored);
  const v1::Job job = *registry->Get(id);
  EXPECT_EQ(stored->job().id(), id);
  EXPECT_EQ(stored->job().spec().name(), "stored");
  EXPECT_EQ(stored->job().state(), v1::COMPLETED);
  EXPECT_EQ(stored->job().thresholds_size(), job.thresholds_size());
  ASSERT_EQ(stored->endpoints_size(), 1);
  EXPECT_EQ(stored->endpoints(0).name(), "GET /a");
  EXPECT_EQ(stored->aggregated().requests(), 7u);
  ASSERT_EQ(stored->timeline_size(), 1);
  EXPECT_EQ(stored->timeline(0).rps(), 3);
  EXPECT_EQ(stored->daemon_version(), "v-test");
  EXPECT_EQ(stored->fleet().run_id(), "run-1");
  EXPECT_TRUE(stored->final());
  ASSERT_EQ(stored->setup_variables_size(), 2);
  EXPECT_EQ(stored->setup_variables().at("tenant"), "***");
  EXPECT_EQ(stored->setup_variables().at("plain"), "p");
}

TEST_F(JobRegistryTest, PersistenceRoundTrip) {
  std::string id;
  {
    auto registry = Open();
    id = registry->Create(Spec("kept")).id();
    registry->OnStateChanged(id, v1::RUNNING);
    registry->OnStateChanged(id, v1::COMPLETED, "", v1::VERDICT_FAIL);
    v1::Report report;
    *report.mutable_job() = *registry->Get(id);
    report.set_final(true);
    report.add_endpoints()->set_name("GET /todos");
    // The executor's live fields travel in the report's job and stay on the registry's job.
    report.mutable_job()->mutable_totals()->set_requests(1234);
    v1::ThresholdResult* threshold = report.mutable_job()->add_thresholds();
    threshold->set_expr("p(95) < 1s");
    threshold->set_observed(1500);
    report.mutable_job()->add_warnings("a Secure cookie was withheld");
    registry->OnFinalReport(id, report);
    EXPECT_EQ(registry->Get(id)->totals().requests(), 1234u);
  }
  auto reopened = Open();
  const std::optional<v1::Job> job = reopened->Get(id);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->spec().name(), "kept");
  EXPECT_EQ(job->state(), v1::COMPLETED);
  EXPECT_EQ(job->verdict(), v1::VERDICT_FAIL);
  EXPECT_TRUE(job->has_started_at());
  EXPECT_TRUE(job->has_ended_at());
  EXPECT_EQ(reopened->interrupted_on_open(), 0u);
  EXPECT_EQ(job->totals().requests(), 1234u);
  ASSERT_EQ(job->thresholds_size(), 1);
  EXPECT_EQ(job->thresholds(0).observed(), 1500);
  ASSERT_EQ(job->warnings_size(), 1);
  const std::optional<v1::Report> report = reopened->FinalReport(id);
  ASSERT_TRUE(report);
  ASSERT_EQ(report->endpoints_size(), 1);
  EXPECT_EQ(report->endpoints(0).name(), "GET /todos");
  EXPECT_EQ(report->job().spec().name(), "kept");  // the registry's job, spec included
}

TEST_F(JobRegistryTest, UnfinishedJobsBecomeInterruptedOnReopen) {
  std::string queued, running, paused, done;
  {
    auto registry = Open();
    queued = registry->Create(Spec("q")).id();
    running = registry->Create(Spec("r")).id();
    paused = registry->Create(Spec("p")).id();
    done = registry->Create(Spec("d")).id();
    registry->OnStateChanged(running, v1::RUNNING);
    registry->OnStateChanged(paused, v1::PAUSED);
    registry->OnStateChanged(done, v1::STOPPED, "stopped by user");
  }
  auto reopened = Open();
  EXPECT_EQ(reopened->interrupted_on_open(), 3u);
  for (const auto& id : {queued, running, paused}) {
    const v1::Job job = *reopened->Get(id);
    EXPECT_EQ(job.state(), v1::INTERRUPTED) << id;
    EXPECT_FALSE(job.error().empty());
    EXPECT_TRUE(job.has_ended_at());
  }
  EXPECT_EQ(reopened->Get(done)->state(), v1::STOPPED);
  // The change itself was persisted: a third open finds nothing left to interrupt.
  reopened.reset();
  EXPECT_EQ(Open()->interrupted_on_open(), 0u);
}

TEST_F(JobRegistryTest, SecretsAreRedactedInReturnedAndStoredJobs) {
  auto registry = Open();
  const v1::Job job = registry->Create(Spec("secret"));
  EXPECT_EQ(job.spec().headers().at("Authorization"), "***");
  EXPECT_EQ(registry->Get(job.id())->spec().headers().at("Authorization"), "***");

  // Read the raw row: the secret must not be on disk in any column.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_.path() / "registry.sqlite3").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT * FROM jobs", -1, &stmt, nullptr), SQLITE_OK);
  int rows = 0;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    ++rows;
    for (int column = 0; column < sqlite3_column_count(stmt); ++column) {
      const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, column));
      const std::string value(data ? data : "",
                              static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
      EXPECT_EQ(value.find("very-secret-token"), std::string::npos) << "column " << column;
      EXPECT_EQ(value.find("hunter2"), std::string::npos) << "column " << column;
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  EXPECT_EQ(rows, 1);
}

TEST_F(JobRegistryTest, ReportsAreRedactedToo) {
  auto registry = Open();
  const std::string id = registry->Create(Spec("r")).id();
  v1::Report report;
  *report.mutable_job()->mutable_spec() = Spec("r");  // an executor holding the real spec
  report.mutable_job()->set_state(v1::COMPLETED);     // a final report carries its final state
  report.set_final(true);
  registry->OnFinalReport(id, report);
  const std::optional<v1::Report> stored = registry->FinalReport(id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->job().spec().headers().at("Authorization"), "***");
}

TEST_F(JobRegistryTest, ConcurrentCreatesGetDistinctIds) {
  auto registry = Open();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) registry->Create(Spec("c"));
    });
  }
  for (auto& thread : threads) thread.join();
  JobPage page = *registry->List({}, 500, "");
  ASSERT_EQ(page.jobs.size(), 100u);
  std::set<std::string> ids;
  for (const auto& job : page.jobs) ids.insert(job.id());
  EXPECT_EQ(ids.size(), 100u);
}

TEST_F(JobRegistryTest, UnwritableDataDirIsAClearError) {
  const fs::path file = dir_.path() / "not-a-dir";
  { std::ofstream(file) << "x"; }
  try {
    RegistryStore store(file / "sub");
    FAIL() << "opened a store below a regular file";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("not-a-dir"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace throng::api
