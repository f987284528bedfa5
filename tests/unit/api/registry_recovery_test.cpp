// The registry after a crash: checkpoints become the interrupted job's report, corrupt rows are
// listed instead of stopping the daemon, and a database of the old schema is migrated.
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "registry_sql.h"
#include "throng/api/registry/job_registry.h"
#include "throng/test_support/temp_dir.h"

namespace throng::api {
namespace {

using google::protobuf::util::TimeUtil;
using std::chrono::sys_days;
using throng::test_support::TempDir;
using namespace std::chrono_literals;

v1::JobSpec Spec(const std::string& name) {
  v1::JobSpec spec;
  spec.set_name(name);
  spec.set_base_url("http://127.0.0.1:8000");
  return spec;
}

/// A report so far of a running job with `requests` requests on one endpoint.
v1::Report RunningReport(const std::string& id, std::uint64_t requests) {
  v1::Report report;
  report.mutable_job()->set_id(id);
  report.mutable_job()->set_state(v1::RUNNING);
  report.mutable_job()->mutable_totals()->set_requests(requests);
  v1::EndpointStats* endpoint = report.add_endpoints();
  endpoint->set_name("GET /health");
  endpoint->set_requests(requests);
  endpoint->mutable_latency_histogram()->add_index_delta(1500);
  endpoint->mutable_latency_histogram()->add_counts(requests);
  report.set_final(false);
  return report;
}

/// Runs `sql` on the registry database in `dir`.
void Sql(const TempDir& dir, const std::string& sql) { RunRegistrySql(dir.path(), sql); }

/// The first column of the first row of `sql` as text ("" without a row).
std::string SqlText(const TempDir& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open((dir.path() / "registry.sqlite3").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
  std::string text;
  if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
    text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return text;
}

class RegistryRecoveryTest : public ::testing::Test {
 protected:
  std::unique_ptr<JobRegistry> Open() {
    return std::make_unique<JobRegistry>(std::make_unique<RegistryStore>(dir_.path()),
                                         [this] { return now_; });
  }
  TempDir dir_;
  std::chrono::system_clock::time_point now_ =
      sys_days{std::chrono::year{2026} / 11 / 21} + std::chrono::hours(13);
};

TEST_F(RegistryRecoveryTest, LastCheckpointBecomesTheInterruptedJobsReport) {
  std::string id;
  {
    auto registry = Open();
    id = registry->Create(Spec("soak")).id();
    registry->OnStateChanged(id, v1::RUNNING);
    registry->OnCheckpoint(id, RunningReport(id, 100));
    now_ += 5s;
    registry->OnCheckpoint(id, RunningReport(id, 250));
    EXPECT_EQ(registry->Get(id)->totals().requests(), 250u);
    // A running job's checkpoint is no final report: GetReport asks the executor instead.
    EXPECT_FALSE(registry->FinalReport(id).has_value());
  }  // the daemon dies here
  const auto checkpointed_at = now_;
  now_ += 1h;  // restarted an hour later
  auto reopened = Open();
  EXPECT_EQ(reopened->interrupted_on_open(), 1u);
  const v1::Job job = *reopened->Get(id);
  EXPECT_EQ(job.state(), v1::INTERRUPTED);
  EXPECT_EQ(job.totals().requests(), 250u);
  EXPECT_EQ(job.ended_at(),
            TimeUtil::NanosecondsToTimestamp(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                 checkpointed_at.time_since_epoch())
                                                 .count()));
  EXPECT_NE(job.error().find("last checkpoint, at 2026-11-21T13:00:05Z"), std::string::npos)
      << job.error();
  const std::optional<v1::Report> report = reopened->FinalReport(id);
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->final());
  EXPECT_EQ(report->job().state(), v1::INTERRUPTED);
  EXPECT_EQ(report->job().spec().name(), "soak");
  ASSERT_EQ(report->endpoints_size(), 1);
  EXPECT_EQ(report->endpoints(0).requests(), 250u);
  EXPECT_EQ(report->endpoints(0).latency_histogram().counts(0), 250u);
  reopened.reset();
  EXPECT_EQ(Open()->interrupted_on_open(), 0u);  // persisted once
}

TEST_F(RegistryRecoveryTest, WithoutACheckpointTheJobEndsAtTheRestart) {
  std::string id;
  {
    auto registry = Open();
    id = registry->Create(Spec("short")).id();
    registry->OnStateChanged(id, v1::RUNNING);
  }
  now_ += 1h;
  auto reopened = Open();
  const v1::Job job = *reopened->Get(id);
  EXPECT_EQ(job.state(), v1::INTERRUPTED);
  EXPECT_NE(job.error().find("no checkpoint"), std::string::npos) << job.error();
  EXPECT_EQ(TimeUtil::TimestampToSeconds(job.ended_at()),
            std::chrono::duration_cast<std::chrono::seconds>(now_.time_since_epoch()).count());
  EXPECT_FALSE(reopened->FinalReport(id).has_value());
}

TEST_F(RegistryRecoveryTest, ACheckpointAfterTheFinalReportChangesNothing) {
  auto registry = Open();
  const std::string id = registry->Create(Spec("done")).id();
  registry->OnStateChanged(id, v1::RUNNING);
  v1::Report final_report = RunningReport(id, 300);
  final_report.mutable_job()->set_state(v1::COMPLETED);
  final_report.set_final(true);
  registry->OnFinalReport(id, final_report);
  registry->OnCheckpoint(id, RunningReport(id, 10));
  EXPECT_EQ(registry->Get(id)->totals().requests(), 300u);
  EXPECT_EQ(registry->FinalReport(id)->endpoints(0).requests(), 300u);
  registry.reset();
  EXPECT_EQ(Open()->FinalReport(id)->job().state(), v1::COMPLETED);
}

TEST_F(RegistryRecoveryTest, CorruptRowsAreListedAsFailedAndTheOthersLoad) {
  std::string bad_spec, bad_live, sound;
  {
    auto registry = Open();
    bad_spec = registry->Create(Spec("a")).id();
    bad_live = registry->Create(Spec("b")).id();
    sound = registry->Create(Spec("c")).id();
    registry->OnStateChanged(sound, v1::STOPPED, "stopped by user");
  }
  Sql(dir_, "UPDATE jobs SET spec = x'ffffffff0f' WHERE id = '" + bad_spec + "'");
  Sql(dir_, "UPDATE jobs SET live_fields = x'0a' WHERE id = '" + bad_live + "'");
  auto reopened = Open();
  EXPECT_EQ(reopened->corrupt_on_open(), 2u);
  const v1::Job spec_job = *reopened->Get(bad_spec);
  EXPECT_EQ(spec_job.state(), v1::FAILED);
  EXPECT_NE(spec_job.error().find("corrupt: spec: not a serialized throng.v1.JobSpec"),
            std::string::npos)
      << spec_job.error();
  EXPECT_NE(reopened->Get(bad_live)->error().find("live_fields"), std::string::npos);
  EXPECT_EQ(reopened->Get(sound)->state(), v1::STOPPED);
  const absl::StatusOr<JobPage> page = reopened->List({}, 0, "");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->jobs.size(), 3u);
  // The corrupt row itself is left as it was, for whoever wants to look at it.
  EXPECT_EQ(SqlText(dir_, "SELECT hex(spec) FROM jobs WHERE id = '" + bad_spec + "'"),
            "FFFFFFFF0F");
  // New ids keep counting past the corrupt rows.
  EXPECT_EQ(reopened->Create(Spec("d")).id(), "j-20261121-000004");
}

TEST_F(RegistryRecoveryTest, OldSchemaIsMigratedAndItsJobsKept) {
  // The schema throngd wrote before versions: the executor's fields in a `warnings` column.
  Sql(dir_, R"sql(
    CREATE TABLE jobs (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
      spec BLOB NOT NULL, state INTEGER NOT NULL, created_at_ns INTEGER, started_at_ns INTEGER,
      ended_at_ns INTEGER, error TEXT NOT NULL DEFAULT '', verdict INTEGER NOT NULL DEFAULT 0,
      warnings BLOB, report BLOB);)sql");
  v1::Job live;
  live.mutable_totals()->set_requests(42);
  live.add_warnings("a Secure cookie was withheld");
  v1::JobSpec spec = Spec("old");
  auto hex = [](const std::string& bytes) {
    std::string out;
    for (unsigned char c : bytes) {
      char pair[3];
      std::snprintf(pair, sizeof pair, "%02x", c);
      out += pair;
    }
    return out;
  };
  Sql(dir_,
      "INSERT INTO jobs (seq, id, name, spec, state, warnings) VALUES (7, "
      "'j-20261120-000007', 'old', x'" +
          hex(spec.SerializeAsString()) + "', " + std::to_string(v1::COMPLETED) + ", x'" +
          hex(live.SerializeAsString()) + "')");
  EXPECT_EQ(SqlText(dir_, "PRAGMA user_version"), "0");

  auto registry = Open();
  const v1::Job job = *registry->Get("j-20261120-000007");
  EXPECT_EQ(job.state(), v1::COMPLETED);
  EXPECT_EQ(job.spec().name(), "old");
  EXPECT_EQ(job.totals().requests(), 42u);
  ASSERT_EQ(job.warnings_size(), 1);
  EXPECT_EQ(registry->Create(Spec("new")).id(), "j-20261121-000008");
  registry.reset();
  EXPECT_EQ(SqlText(dir_, "PRAGMA user_version"), "2");
  EXPECT_EQ(SqlText(dir_, "SELECT count(*) FROM pragma_table_info('jobs') WHERE name = 'warnings'"),
            "0");
  EXPECT_EQ(SqlText(dir_,
                    "SELECT count(*) FROM pragma_table_info('jobs') WHERE name IN "
                    "('live_fields', 'checkpointed_at_ns')"),
            "2");
  EXPECT_EQ(SqlText(dir_, "PRAGMA journal_mode"), "wal");
  // Reopening a migrated database migrates nothing more.
  EXPECT_EQ(Open()->Get("j-20261120-000007")->totals().requests(), 42u);
}

TEST_F(RegistryRecoveryTest, ADatabaseOfANewerSchemaIsRefused) {
  Open().reset();
  Sql(dir_, "PRAGMA user_version = 99");
  try {
    Open();
    FAIL() << "a schema from the future was opened";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace throng::api
