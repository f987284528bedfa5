// Runs the real throngctl executable: against scenario files, and against a fake daemon (a
// LoadTester service in this process on 127.0.0.1:0) for the RPC commands.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "../../unit/api/report_fixture.h"
#include "../daemon/daemon_fixture.h"
#include "throng/test_support/child_process.h"
#include "throng/test_support/temp_dir.h"
#include "throng/v1/load_tester.grpc.pb.h"

namespace {

using testing::HasSubstr;

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs throngctl with `args` (without THRONG_TOKEN / THRONG_DAEMON from the caller's
// environment); a client still running after 20 s is killed, so it cannot hang the suite.
Result RunThrongctl(const std::vector<std::string>& args) {
  unsetenv("THRONG_TOKEN");
  unsetenv("THRONG_DAEMON");
  throng::test_support::ChildProcess child(THRONGCTL_PATH, args);
  Result result;
  try {
    result.exit_code = child.Wait(std::chrono::seconds(20));
  } catch (const std::runtime_error&) {
    result.exit_code = -1;  // timed out and killed
  }
  result.out = child.Stdout();
  result.err = child.Stderr();
  return result;
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(ThrongctlProcessTest, ValidateTypoExitsTwoWithLocatedMessage) {
  const std::string path = WriteTemp("typo.yaml",
                                     "name: todo\nuser_classes:\n  - name: A\n    tasks:\n"
                                     "      - steps: []\n      - wieght: 2\n");
  const Result result = RunThrongctl({"validate", path});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(path + ":6: spec.user_classes[0].tasks[1].wieght: unknown "
                                           "field \"wieght\" (did you mean \"weight\"?)"));
  EXPECT_EQ(result.out, "");
}

TEST(ThrongctlProcessTest, ValidateExampleExitsZero) {
  const std::string path = std::string(THRONG_SCENARIO_DIR) + "/todo_crud.yaml";
  const Result result = RunThrongctl({"validate", path});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, path + ": ok (3 user classes, 12 requests)\n");
}

// throngctl validate runs the daemon's own checks: what the daemon refuses, validate refuses with
// the same field path and text, before anything is sent.
TEST(ThrongctlProcessTest, ValidateRefusesWhatTheDaemonRefusesWithTheSameText) {
  const std::string scenario =
      "name: refused\nbase_url: http://127.0.0.1:1\nuser_classes:\n  - name: A\n    tasks:\n"
      "      - steps:\n          - request: {path: /health}\n"
      "load: {closed: {users: 1}, duration: 1s}\n";
  const struct {
    std::string name, yaml, field;
  } cases[] = {
      {"p101.yaml", "\nthresholds:\n  - expr: \"p(101) < 1s\"\n", "spec.thresholds[0].expr"},
      {"buckets.yaml", "\nhistogram_buckets: [0.5, 0.1]\n", "spec.histogram_buckets[1]"},
  };
  throng::test_support::TempDir data("throngctl-validate");
  throng::daemon_test::Daemon daemon(data.path());
  for (const auto& c : cases) {
    const std::string path = WriteTemp(c.name, scenario + c.yaml);
    const Result local = RunThrongctl({"validate", path});
    EXPECT_EQ(local.exit_code, 2) << c.name << ": " << local.out << local.err;
    EXPECT_THAT(local.err, HasSubstr("error: INVALID_ARGUMENT: " + c.field + ": "));
    const Result remote =
        RunThrongctl({"--daemon", "127.0.0.1:" + std::to_string(daemon.grpc_port), "submit", path});
    EXPECT_EQ(remote.exit_code, 2) << c.name;
    EXPECT_EQ(local.err, remote.err) << c.name;
  }
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(ThrongctlProcessTest, BadFlagsExitTwo) {
  EXPECT_EQ(RunThrongctl({}).exit_code, 2);
  EXPECT_EQ(RunThrongctl({"frobnicate"}).exit_code, 2);
  const std::string path = std::string(THRONG_SCENARIO_DIR) + "/todo_crud.yaml";
  const Result bad_var = RunThrongctl({"validate", path, "-e", "NOEQUALS"});
  EXPECT_EQ(bad_var.exit_code, 2);
  EXPECT_THAT(bad_var.err, HasSubstr("-e: expected KEY=VALUE"));
  EXPECT_EQ(RunThrongctl({"--help"}).exit_code, 0);
}

// A scripted daemon: records what it was sent and answers from fixed data.
class FakeDaemon final : public throng::v1::LoadTester::Service {
 public:
  grpc::Status SubmitJob(grpc::ServerContext* context, const throng::v1::SubmitJobRequest* request,
                         throng::v1::Job* job) override {
    Record(context);
    if (request->spec().name().empty()) {
      return {grpc::StatusCode::INVALID_ARGUMENT, "spec.name: required"};
    }
    std::lock_guard lock(mutex_);
    submitted_ = request->spec();
    validate_only_ = request->validate_only();
    if (validate_only_) return grpc::Status::OK;
    job->set_id("j-1");
    job->set_state(throng::v1::QUEUED);
    return grpc::Status::OK;
  }

  grpc::Status GetJob(grpc::ServerContext* context, const throng::v1::GetJobRequest* request,
                      throng::v1::Job* job) override {
    Record(context);
    if (request->id() != "j-1") return {grpc::StatusCode::NOT_FOUND, "job not found"};
    // Two polls see the job running, then it has completed with failed thresholds.
    const int poll = ++polls_;
    job->set_id("j-1");
    job->set_state(poll <= 2 ? throng::v1::RUNNING : throng::v1::COMPLETED);
    job->mutable_totals()->set_requests(100 * poll);
    job->mutable_totals()->set_active_users(5);
    if (poll > 2) {
      job->set_verdict(throng::v1::VERDICT_FAIL);
      auto* threshold = job->add_thresholds();
      threshold->set_expr("p(95) < 1ms");
      threshold->set_observed(12.5);
    }
    return grpc::Status::OK;
  }

  grpc::Status StopJob(grpc::ServerContext* context, const throng::v1::StopJobRequest* request,
                       throng::v1::Job* job) override {
    Record(context);
    std::lock_guard lock(mutex_);
    stop_ = *request;
    job->set_id(request->id());
    job->set_state(throng::v1::STOPPING);
    return grpc::Status::OK;
  }
  grpc::Status GetReport(grpc::ServerContext* context, const throng::v1::GetReportRequest* request,
                         throng::v1::Report* report) override {
    Record(context);
    if (!has_report_) return {grpc::StatusCode::UNIMPLEMENTED, "no reports"};
    if (request->id() != "j-1") return {grpc::StatusCode::NOT_FOUND, "job not found"};
    *report = throng::api::report::testing::SampleReport();
    return grpc::Status::OK;
  }
  // WatchJob stays unimplemented, as while the engine is not wired yet.

  void set_has_report(bool has_report) { has_report_ = has_report; }
  bool validate_only() {
    std::lock_guard lock(mutex_);
    return validate_only_;
  }

  std::string authorization() {
    std::lock_guard lock(mutex_);
    return authorization_;
  }
  throng::v1::JobSpec submitted() {
    std::lock_guard lock(mutex_);
    return submitted_;
  }
  throng::v1::StopJobRequest stop() {
    std::lock_guard lock(mutex_);
    return stop_;
  }

 private:
  void Record(grpc::ServerContext* context) {
    auto it = context->client_metadata().find("authorization");
    std::lock_guard lock(mutex_);
    if (it != context->client_metadata().end()) {
      authorization_.assign(it->second.data(), it->second.size());
    }
  }

  std::mutex mutex_;
  std::atomic<int> polls_{0};
  std::atomic<bool> has_report_{true};
  bool validate_only_ = false;
  std::string authorization_;
  throng::v1::JobSpec submitted_;
  throng::v1::StopJobRequest stop_;
};

class ThrongctlRpcTest : public testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&daemon_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    address_ = "127.0.0.1:" + std::to_string(port);
  }
  void TearDown() override { server_->Shutdown(std::chrono::system_clock::now()); }

  FakeDaemon daemon_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

TEST_F(ThrongctlRpcTest, SubmitPrintsJobIdAndSendsTokenAndOverrides) {
  const Result result =
      RunThrongctl({"--daemon", address_, "--token", "tok-123", "submit",
                    std::string(THRONG_SCENARIO_DIR) + "/todo_crud.yaml", "-u", "3", "-e", "K=V"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "j-1\n");
  EXPECT_EQ(daemon_.authorization(), "Bearer tok-123");
  EXPECT_EQ(daemon_.submitted().name(), "todo-crud");
  EXPECT_EQ(daemon_.submitted().load().closed().users(), 3u);
  EXPECT_EQ(daemon_.submitted().variables().at("K"), "V");
}

TEST_F(ThrongctlRpcTest, ServerErrorsPrintCodeAndMessage) {
  const std::string path = WriteTemp("noname.yaml", "base_url: http://127.0.0.1:1\n");
  const Result invalid = RunThrongctl({"--daemon", address_, "submit", path});
  EXPECT_EQ(invalid.exit_code, 2);
  EXPECT_THAT(invalid.err, HasSubstr("error: INVALID_ARGUMENT: spec.name: required"));
  const Result missing = RunThrongctl({"--daemon", address_, "get", "j-404"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("error: NOT_FOUND: job not found"));
}

TEST_F(ThrongctlRpcTest, WatchFallsBackToPollingAndExitsOneOnFailedThresholds) {
  daemon_.set_has_report(false);
  const Result result = RunThrongctl({"--daemon", address_, "watch", "j-1", "--interval", "100ms"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(result.out, HasSubstr("RUNNING"));
  EXPECT_THAT(result.out, HasSubstr("requests 100"));
  EXPECT_THAT(result.out, HasSubstr("job j-1: COMPLETED, verdict FAIL"));
  EXPECT_THAT(result.out, HasSubstr("FAIL p(95) < 1ms (observed 12.500)"));
}

TEST_F(ThrongctlRpcTest, StopSendsGraceAndImmediate) {
  const Result result =
      RunThrongctl({"--daemon", address_, "stop", "j-1", "--now", "--grace", "1m30s"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "j-1: STOPPING\n");
  EXPECT_TRUE(daemon_.stop().immediate());
  EXPECT_EQ(daemon_.stop().grace_period().seconds(), 90);
}

TEST_F(ThrongctlRpcTest, UnreachableDaemonIsAnRpcError) {
  server_->Shutdown(std::chrono::system_clock::now());
  const Result result = RunThrongctl({"--daemon", address_, "get", "j-1"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("error: UNAVAILABLE"));
}

}  // namespace

namespace {

std::string TempDirectory() {
  std::string pattern = testing::TempDir() + "/throngctl_report_XXXXXX";
  return mkdtemp(pattern.data()) == nullptr ? "" : pattern;
}

TEST_F(ThrongctlRpcTest, ReportPrintsConsoleSummaryAndWritesFiles) {
  const std::string dir = TempDirectory();
  ASSERT_FALSE(dir.empty());
  const Result result = RunThrongctl({"--daemon", address_, "report", "j-1", "--csv", dir + "/run",
                                      "--html", dir + "/r.html", "--json", dir + "/r.json"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Aggregated"));
  EXPECT_THAT(result.out, HasSubstr("Response time percentiles (approximated)"));
  EXPECT_THAT(result.out, HasSubstr("Verdict: FAIL"));
  EXPECT_THAT(ReadFile(dir + "/run_stats.csv"), HasSubstr("GET,/products,900,0,"));
  EXPECT_THAT(ReadFile(dir + "/run_stats_history.csv"), HasSubstr("Timestamp,User Count"));
  EXPECT_THAT(ReadFile(dir + "/run_failures.csv"), HasSubstr("unexpected status 500,25"));
  EXPECT_THAT(ReadFile(dir + "/r.html"), HasSubstr("data-chart=latency"));
  EXPECT_THAT(ReadFile(dir + "/r.json"), HasSubstr("\"errors_by_type\""));
  std::filesystem::remove_all(dir);
}

TEST_F(ThrongctlRpcTest, ReportFileThatCannotBeWrittenIsNamed) {
  const Result result =
      RunThrongctl({"--daemon", address_, "report", "j-1", "--json", "/nonexistent-dir/r.json"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("cannot write /nonexistent-dir/r.json"));
}

TEST_F(ThrongctlRpcTest, RunPrintsPlainProgressThenReportAndWritesJson) {
  const std::string dir = TempDirectory();
  ASSERT_FALSE(dir.empty());
  const Result result = RunThrongctl({"--daemon", address_, "run",
                                      std::string(THRONG_SCENARIO_DIR) + "/todo_crud.yaml",
                                      "--interval", "50ms", "--json", dir + "/r.json"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  // Not a terminal: plain lines, no ANSI redraw.
  EXPECT_THAT(result.out, HasSubstr("RUNNING"));
  EXPECT_EQ(result.out.find("\x1b["), std::string::npos);
  EXPECT_THAT(result.out, HasSubstr("Verdict: FAIL"));
  EXPECT_THAT(ReadFile(dir + "/r.json"), HasSubstr("\"timeline\""));
  std::filesystem::remove_all(dir);
}

TEST_F(ThrongctlRpcTest, ValidateRemoteAsksTheDaemonWithoutStarting) {
  const std::string path = std::string(THRONG_SCENARIO_DIR) + "/todo_crud.yaml";
  const Result ok = RunThrongctl({"--daemon", address_, "validate", "--remote", path});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("accepted by the daemon"));
  EXPECT_TRUE(daemon_.validate_only());
  const std::string nameless = WriteTemp("nameless.yaml", "base_url: http://127.0.0.1:1\n");
  const Result bad = RunThrongctl({"--daemon", address_, "validate", "--remote", nameless});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("INVALID_ARGUMENT: spec.name: required"));
}

}  // namespace
