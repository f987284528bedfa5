// A daemon that runs for months: checkpoints survive kill -9, a corrupt registry row does not
// stop startup, one daemon per data directory, SIGHUP reloads without touching running jobs.
// Real throngd, real demo backend, real throngctl, all on loopback.
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "backend_fixture.h"
#include "daemon_fixture.h"
#include "job_wait.h"
#include "throng/test_support/child_process.h"
#include "throng/test_support/temp_dir.h"
#include "throng/test_support/wait_until.h"
#include "throng/v1/load_tester.grpc.pb.h"

namespace throng {
namespace {

using daemon_test::Context;
using daemon_test::Daemon;
using daemon_test::GetJob;
using daemon_test::GetReport;
using daemon_test::SubmitOk;
using daemon_test::WaitForFinalReport;
using google::protobuf::util::TimeUtil;
using test_support::WaitUntil;
using namespace std::chrono_literals;

/// Rate of the open-model jobs here, iterations (= requests) per second.
constexpr double kRate = 100;
constexpr auto kCheckpointInterval = 1s;
/// The supervisor looks at a job every 100 ms, so a checkpoint falls up to that late.
constexpr auto kSupervisorPoll = 100ms;

/// GET /health at `rate` per second on `base_url`; `duration` 0: unbounded.
v1::JobSpec HealthSpec(const std::string& name, const std::string& base_url, double rate,
                       std::chrono::seconds duration) {
  v1::JobSpec spec;
  spec.set_name(name);
  spec.set_base_url(base_url);
  v1::UserClass* user = spec.add_user_classes();
  user->set_name("prober");
  v1::Request* request = user->add_tasks()->add_steps()->mutable_request();
  request->set_name("health");
  request->set_method("GET");
  request->set_path("/health");
  request->mutable_expect()->add_status(200);
  v1::OpenModel* open = spec.mutable_load()->mutable_open();
  open->set_rate(rate);
  open->set_max_users(20);
  open->set_pre_allocated_users(20);
  if (duration.count() == 0) {
    spec.mutable_load()->set_unbounded(true);
  } else {
    spec.mutable_load()->mutable_duration()->set_seconds(duration.count());
  }
  spec.mutable_load()->mutable_graceful_stop()->set_seconds(2);
  return spec;
}

/// Requests the demo backend answered 200 on GET /health, from its own /metrics.
double BackendHealthRequests(const demo_test::DemoBackend& backend) {
  const auto response = backend.Send("GET", "/metrics");
  EXPECT_EQ(response.status, 200);
  return demo_test::Sample(
      response.body, R"(demo_http_requests_total{route="/health",method="GET",status="200"})");
}

class CrashSafetyTest : public ::testing::Test {
 protected:
  std::string BackendUrl() const {
    return "http://127.0.0.1:" + std::to_string(backend_.address().port);
  }
  std::vector<std::string> CheckpointFlags() const { return {"--checkpoint-interval", "1s"}; }

  test_support::TempDir data_;
  demo_test::DemoBackend backend_;
};

TEST_F(CrashSafetyTest, KillNineKeepsTheLastCheckpointAsAnInterruptedReport) {
  auto daemon = std::make_unique<Daemon>(data_.path(), CheckpointFlags());
  const std::string id = SubmitOk(*daemon, HealthSpec("crash", BackendUrl(), kRate, 0s));
  ASSERT_FALSE(id.empty());
  // Run long enough for a few checkpoints, then die without any chance to clean up.
  ASSERT_TRUE(WaitUntil([&] { return GetJob(*daemon, id).totals().requests() >= 350; }, 15s));
  const auto killed_at = std::chrono::system_clock::now();
  daemon->child->Signal(SIGKILL);
  EXPECT_EQ(daemon->child->Wait(5s), 128 + SIGKILL);
  daemon.reset();
  const double served = BackendHealthRequests(backend_);
  ASSERT_GT(served, 300);

  Daemon restarted(data_.path(), CheckpointFlags());
  const v1::Job job = GetJob(restarted, id);
  EXPECT_EQ(job.state(), v1::INTERRUPTED);
  EXPECT_NE(job.error().find("last checkpoint"), std::string::npos) << job.error();
  // It ended at its last checkpoint, before the kill, not at the restart.
  ASSERT_TRUE(job.has_ended_at());
  EXPECT_LE(
      TimeUtil::TimestampToNanoseconds(job.ended_at()),
      std::chrono::duration_cast<std::chrono::nanoseconds>(killed_at.time_since_epoch()).count());
  EXPECT_GT(job.ended_at().seconds(), job.started_at().seconds());

  v1::Report report;
  ASSERT_TRUE(GetReport(restarted, id, report).ok());
  EXPECT_TRUE(report.final());
  EXPECT_EQ(report.job().state(), v1::INTERRUPTED);
  ASSERT_EQ(report.endpoints_size(), 1);
  const v1::EndpointStats& health = report.endpoints(0);
  // At most one checkpoint interval (plus the supervisor's poll) of requests is lost.
  const double worth =
      kRate * std::chrono::duration<double>(kCheckpointInterval + kSupervisorPoll).count();
  EXPECT_GE(static_cast<double>(health.requests()), served - worth)
      << "checkpointed " << health.requests() << ", backend served " << served;
  EXPECT_LE(static_cast<double>(health.requests()), served);
  RecordProperty("checkpointed_requests", std::to_string(health.requests()));
  RecordProperty("backend_requests", std::to_string(static_cast<std::uint64_t>(served)));
  EXPECT_EQ(job.totals().requests(), health.requests());
  // The percentiles survived with the histogram they were read from.
  std::uint64_t bucketed = 0;
  for (std::uint64_t count : health.latency_histogram().counts()) bucketed += count;
  EXPECT_EQ(bucketed, health.requests());
  ASSERT_EQ(health.percentiles_size(), 11);
  EXPECT_GT(health.percentiles(0).ms(), 0);
  EXPECT_GT(report.timeline_size(), 2);

  // throngctl report says so and exits 2.
  test_support::ChildProcess ctl(
      THRONGCTL_PATH,
      {"--daemon", "127.0.0.1:" + std::to_string(restarted.grpc_port), "report", id});
  EXPECT_EQ(ctl.Wait(10s), 2);
  EXPECT_NE(ctl.Stderr().find("was interrupted"), std::string::npos) << ctl.Stderr();
  EXPECT_NE(ctl.Stdout().find("health"), std::string::npos) << ctl.Stdout();
  EXPECT_EQ(restarted.Stop(), 0);
}

/// Overwrites the stored spec of job `id` with bytes that are no JobSpec.
void CorruptSpec(const std::filesystem::path& data_dir, const std::string& id) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data_dir / "registry.sqlite3").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE jobs SET spec = x'ffffffff0f' WHERE id = ?1", -1, &stmt,
                               nullptr),
            SQLITE_OK);
  sqlite3_bind_text(stmt, 1, id.c_str(), -1, SQLITE_TRANSIENT);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE);
  EXPECT_EQ(sqlite3_changes(db), 1);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(CrashSafetyTest, CorruptRowLeavesTheDaemonUpAndTheOtherJobsReadable) {
  std::string corrupt_id;
  std::string sound_id;
  {
    Daemon daemon(data_.path());
    corrupt_id = SubmitOk(daemon, HealthSpec("to-corrupt", BackendUrl(), 50, 1s));
    sound_id = SubmitOk(daemon, HealthSpec("sound", BackendUrl(), 50, 1s));
    WaitForFinalReport(daemon, corrupt_id, 15s);
    WaitForFinalReport(daemon, sound_id, 15s);
    ASSERT_EQ(daemon.Stop(), 0);
  }
  CorruptSpec(data_.path(), corrupt_id);

  Daemon daemon(data_.path());
  const v1::Job corrupt = GetJob(daemon, corrupt_id);
  EXPECT_EQ(corrupt.state(), v1::FAILED);
  EXPECT_NE(corrupt.error().find("corrupt"), std::string::npos) << corrupt.error();
  EXPECT_NE(corrupt.error().find("spec"), std::string::npos) << corrupt.error();
  v1::ListJobsRequest list;
  v1::ListJobsResponse listed;
  ASSERT_TRUE(daemon.stub->ListJobs(Context().get(), list, &listed).ok());
  EXPECT_EQ(listed.jobs_size(), 2);
  const v1::Job sound = GetJob(daemon, sound_id);
  EXPECT_EQ(sound.state(), v1::COMPLETED);
  v1::Report report;
  ASSERT_TRUE(GetReport(daemon, sound_id, report).ok());
  EXPECT_TRUE(report.final());
  EXPECT_GT(report.aggregated().requests(), 0u);
  EXPECT_NE(daemon.child->Stderr().find("cannot be read"), std::string::npos);
  // The daemon still takes and runs jobs.
  const std::string next = SubmitOk(daemon, HealthSpec("after", BackendUrl(), 50, 1s));
  EXPECT_EQ(WaitForFinalReport(daemon, next, 15s).job().state(), v1::COMPLETED);
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST_F(CrashSafetyTest, SecondDaemonOnALockedDataDirExits3NamingTheHolder) {
  Daemon first(data_.path());
  test_support::ChildProcess second(
      THRONGD_PATH, {"--grpc-listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0",
                     "--data-dir", data_.path().string()});
  EXPECT_EQ(second.Wait(10s), 3);
  const std::string err = second.Stderr();
  EXPECT_NE(err.find("pid " + std::to_string(first.child->pid())), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  // The first one is untouched.
  v1::ListJobsResponse listed;
  EXPECT_TRUE(first.stub->ListJobs(Context().get(), v1::ListJobsRequest(), &listed).ok());
  EXPECT_EQ(first.Stop(), 0);
}

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::trunc);
  file << text;
  ASSERT_TRUE(file.good());
}

TEST_F(CrashSafetyTest, SighupReloadsLogLevelAndAllowListAndTheRunningJobCompletes) {
  const std::filesystem::path config = data_.path() / "throngd.yaml";
  WriteFile(config, "log_level: info\nallow_target: [127.0.0.1]\n");
  Daemon daemon(data_.path() / "data", {"--config", config.string()});
  const std::string id = SubmitOk(daemon, HealthSpec("through-hup", BackendUrl(), 50, 3s));
  ASSERT_TRUE(WaitUntil([&] { return GetJob(daemon, id).state() == v1::RUNNING; }, 10s));

  // 127.0.0.2 is loopback too, but no longer the allowed address after the reload.
  WriteFile(config, "log_level: debug\nallow_target: [127.0.0.2]\n");
  daemon.child->Signal(SIGHUP);
  ASSERT_TRUE(WaitUntil(
      [&] {
        const std::string err = daemon.child->Stderr();
        return err.find("allow-target list [127.0.0.1] -> [127.0.0.2]") != std::string::npos;
      },
      5s))
      << daemon.child->Stderr();
  EXPECT_NE(daemon.child->Stderr().find("log level info -> debug"), std::string::npos);
  EXPECT_TRUE(daemon.child->Running());
  v1::Job refused;
  const grpc::Status status =
      daemon_test::Submit(daemon, HealthSpec("refused", BackendUrl(), 50, 1s), &refused);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.error_message().find("allow-target"), std::string::npos)
      << status.error_message();

  // The job ran through the reload to its planned end.
  const v1::Report report = WaitForFinalReport(daemon, id, 15s);
  EXPECT_EQ(report.job().state(), v1::COMPLETED);
  EXPECT_GT(report.aggregated().requests(), 100u);

  // A config that no longer parses changes nothing and stops nothing.
  WriteFile(config, "log_level: loud\n");
  daemon.child->Signal(SIGHUP);
  ASSERT_TRUE(WaitUntil(
      [&] { return daemon.child->Stderr().find("config not reloaded") != std::string::npos; }, 5s))
      << daemon.child->Stderr();
  EXPECT_TRUE(daemon.child->Running());
  EXPECT_EQ(daemon.Stop(), 0);
}

}  // namespace
}  // namespace throng
