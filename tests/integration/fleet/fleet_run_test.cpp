// One job over a fleet of three real throngd, split exactly, checked at the real demo backend's
// own counters and against the segments' own reports.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "backend_fixture.h"
#include "daemon_fixture.h"
#include "throng/api/common/histogram_buckets.h"
#include "throng/test_support/temp_dir.h"
#include "throng/test_support/wait_until.h"

namespace {

using demo_test::Json;
using demo_test::Sample;
using throng::daemon_test::Context;
using throng::daemon_test::Daemon;
namespace v1 = throng::v1;

constexpr int kDaemons = 3;

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class FleetRunTest : public ::testing::Test {
 protected:
  FleetRunTest() {
    for (int i = 0; i < kDaemons; ++i) {
      std::filesystem::create_directories(data_.path() / std::to_string(i));
      daemons_.push_back(std::make_unique<Daemon>(data_.path() / std::to_string(i),
                                                  std::vector<std::string>{"--threads", "1"}));
      addresses_ += (i == 0 ? "" : ",") + std::string("127.0.0.1:") +
                    std::to_string(daemons_.back()->grpc_port);
    }
  }

  std::string BackendUrl() const {
    return "http://127.0.0.1:" + std::to_string(backend_.address().port);
  }

  // Runs throngctl (bounded: killed after 40 s).
  Result Throngctl(const std::vector<std::string>& args) {
    unsetenv("THRONG_TOKEN");
    unsetenv("THRONG_DAEMON");
    throng::test_support::ChildProcess child(THRONGCTL_PATH, args);
    Result result;
    try {
      result.exit_code = child.Wait(std::chrono::seconds(40));
    } catch (const std::runtime_error&) {
      result.exit_code = -1;
    }
    result.out = child.Stdout();
    result.err = child.Stderr();
    return result;
  }

  // Runs `scenario` over the fleet; the merged JSON report.
  Json RunFleet(const std::string& name, const std::string& scenario) {
    const std::string file = (data_.path() / (name + ".yaml")).string();
    std::ofstream(file) << scenario;
    const std::string json = (data_.path() / (name + ".json")).string();
    const Result result =
        Throngctl({"run", file, "-H", BackendUrl(), "--fleet", addresses_, "--run-id", name,
                   "--json", json, "--interval", "500ms", "--exit-code-on-error", "0"});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    std::ifstream in(json);
    std::stringstream text;
    text << in.rdbuf();
    return Json::parse(text.str().empty() ? "{}" : text.str());
  }

  double Counter(const std::string& route, const std::string& method, const std::string& status) {
    const std::string text = backend_.Send("GET", "/metrics").body;
    const double value = Sample(text, "demo_http_requests_total{route=\"" + route + "\",method=\"" +
                                          method + "\",status=\"" + status + "\"}");
    return value < 0 ? 0 : value;
  }

  // The segment of run `run_id` on every daemon, with its own final report.
  std::vector<v1::Report> SegmentReports(const std::string& run_id) {
    std::vector<v1::Report> reports;
    for (auto& daemon : daemons_) {
      v1::ListJobsResponse jobs;
      EXPECT_TRUE(daemon->stub->ListJobs(Context().get(), {}, &jobs).ok());
      for (const v1::Job& job : jobs.jobs()) {
        if (job.spec().fleet().run_id() != run_id) continue;
        v1::GetReportRequest request;
        request.set_id(job.id());
        v1::Report report;
        EXPECT_TRUE(daemon->stub->GetReport(Context().get(), request, &report).ok());
        reports.push_back(report);
      }
    }
    return reports;
  }

  throng::test_support::TempDir data_;
  demo_test::DemoBackend backend_;
  std::vector<std::unique_ptr<Daemon>> daemons_;
  std::string addresses_;
};

// Setup creates one account and extracts its name; every user logs in with it (a 401 would show
// a segment without setup's variables); teardown removes it.
constexpr char kSetupAndTeardown[] = R"(
setup:
  - request:
      name: setup
      method: POST
      path: /admin/users
      json: {username: fleet_setup_user, password: pw}
      expect: {status: [201]}
      extract: [{var: setup_user, json_pointer: /username, required: true}]
teardown:
  - request:
      name: teardown
      method: DELETE
      path: "/admin/users/{{setup_user}}"
      expect: {status: [204]}
)";

TEST_F(FleetRunTest, ClosedUsersSplitTenEachWithSetupAndTeardownOnce) {
  const Json report = RunFleet(
      "closed", std::string("name: fleet-closed\nbase_url: http://x\n") + kSetupAndTeardown + R"(
user_classes:
  - name: U
    wait: {constant: 0.2s}
    tasks:
      - steps:
          - request:
              name: login
              method: POST
              path: /auth/token
              form: {fields: {username: "{{setup_user}}", password: pw}}
              expect: {status: [200]}
load:
  closed: {users: 30}
  duration: 3s
  graceful_stop: 5s
)");
  ASSERT_TRUE(report.contains("fleet")) << report.dump();
  std::uint64_t sum = 0;
  for (const Json& segment : report["fleet"]["segments"]) {
    EXPECT_EQ(segment["target_users"], 10) << segment.dump();
    EXPECT_EQ(segment["state"], "COMPLETED");
    sum += segment["requests"].get<std::uint64_t>();
  }
  EXPECT_EQ(report["fleet"]["segments"].size(), 3u);
  EXPECT_EQ(Counter("/admin/users", "POST", "201"), 1);               // setup once
  EXPECT_EQ(Counter("/admin/users/{username}", "DELETE", "204"), 1);  // teardown once
  EXPECT_EQ(Counter("/auth/token", "POST", "401"), 0);  // every user had setup's variable
  const double logins = Counter("/auth/token", "POST", "200");
  EXPECT_GT(logins, 30 * 3);
  EXPECT_EQ(report["summary"]["requests"].get<double>(), logins);
  EXPECT_EQ(report["summary"]["requests"].get<std::uint64_t>(), sum);
  EXPECT_EQ(report["summary"]["failures"], 0);
}

TEST_F(FleetRunTest, OpenRateSumsToThreeHundredPerSecondAtTheBackend) {
  const Json report = RunFleet("open", R"(name: fleet-open
base_url: http://x
user_classes:
  - name: U
    tasks: [{steps: [{request: {name: health, path: /health}}]}]
load:
  open: {rate: 300, max_users: 60}
  duration: 4s
)");
  ASSERT_TRUE(report.contains("summary")) << report.dump();
  const double served = Counter("/health", "GET", "200");
  std::cout << "[fleet] open 300/s over 3 daemons for 4 s: backend served " << served
            << " (expected 1200)\n";
  EXPECT_NEAR(served / 4.0, 300.0, 3.0);
  EXPECT_EQ(report["summary"]["requests"].get<double>(), served);
  EXPECT_EQ(report["summary"]["dropped_iterations"], 0);
  double rates = 0;
  for (const Json& segment : report["fleet"]["segments"]) {
    rates += segment["target_rate"].get<double>();
  }
  EXPECT_NEAR(rates, 300.0, 1e-9);
}

TEST_F(FleetRunTest, UniqueFeederLogsInEveryAccountOnceAndTheMergeIsExact) {
  const Json report = RunFleet("unique", R"(name: fleet-unique
base_url: http://x
feeders:
  - name: accounts
    mode: unique
    generated: {count: 1000, columns: {username: "fleet_user_{{row_index}}"}}
user_classes:
  - name: U
    tasks:
      - steps:
          - request:
              name: create
              method: POST
              path: /admin/users
              json: {username: "{{feed:accounts.username}}", password: pw}
              expect: {status: [201]}
          - request:
              name: login
              method: POST
              path: /auth/token
              form: {fields: {username: "{{feed:accounts.username}}", password: pw}}
              expect: {status: [200]}
load:
  per_user_iterations: {users: 1000, iterations: 1, max_concurrency: 30}
)");
  ASSERT_TRUE(report.contains("summary")) << report.dump();
  // 1000 creations answered 201 and none 409: 1000 distinct accounts; each logged in once.
  EXPECT_EQ(Counter("/admin/users", "POST", "201"), 1000);
  EXPECT_EQ(Counter("/admin/users", "POST", "409"), 0);
  EXPECT_EQ(Counter("/auth/token", "POST", "200"), 1000);
  EXPECT_EQ(report["summary"]["requests"], 2000);
  EXPECT_EQ(report["summary"]["iterations"], 1000);

  // The merged report against the segments' own: totals add up, and p99 is that of one
  // histogram holding every sample (never an average of the three p99s).
  const std::vector<v1::Report> segments = SegmentReports("unique");
  ASSERT_EQ(segments.size(), 3u);
  throng::engine::LatencyHistogram all;
  std::uint64_t requests = 0;
  std::uint64_t users = 0;
  for (const v1::Report& segment : segments) {
    requests += segment.aggregated().requests();
    users += segment.job().totals().target_users();
    auto histogram = throng::api::FromHistogramBuckets(segment.aggregated().latency_histogram());
    ASSERT_TRUE(histogram.ok()) << histogram.status();
    all.Add(*histogram);
  }
  EXPECT_EQ(users, 1000u);
  EXPECT_EQ(report["summary"]["requests"].get<std::uint64_t>(), requests);
  EXPECT_EQ(all.Count(), 2000u);
  const double p99_ms = static_cast<double>(all.ValueAtPercentile(99)) / 1000.0;
  EXPECT_EQ(report["aggregated"]["latency_ms"]["p99"].get<double>(), p99_ms);
  EXPECT_EQ(report["aggregated"]["percentiles_ms"]["99%"].get<double>(), p99_ms);
  std::cout << "[fleet] unique: merged p99 " << p99_ms << " ms over " << all.Count()
            << " samples\n";

  // report --fleet rebuilds the same merged figures later, from the daemons alone.
  const Result again = Throngctl({"report", "unique", "--fleet", addresses_, "--json",
                                  (data_.path() / "again.json").string()});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  std::ifstream in(data_.path() / "again.json");
  const Json rebuilt = Json::parse(in);
  EXPECT_EQ(rebuilt["aggregated"]["requests"], report["aggregated"]["requests"]);
  EXPECT_EQ(rebuilt["aggregated"]["latency_ms"], report["aggregated"]["latency_ms"]);
}

TEST_F(FleetRunTest, ALostDaemonIsNamedInTheReportWithItsLastFigures) {
  const std::string file = (data_.path() / "lost.yaml").string();
  std::ofstream(file) << R"(name: fleet-lost
base_url: http://x
user_classes:
  - name: U
    wait: {constant: 50ms}
    tasks: [{steps: [{request: {name: health, path: /health}}]}]
load:
  closed: {users: 9}
  duration: 6s
)";
  const std::string json = (data_.path() / "lost.json").string();
  unsetenv("THRONG_TOKEN");
  unsetenv("THRONG_DAEMON");
  throng::test_support::ChildProcess starter(
      THRONGCTL_PATH,
      {"run", file, "-H", BackendUrl(), "--fleet", addresses_, "--run-id", "lost", "--lost-after",
       "1s", "--on-lost", "continue", "--json", json, "--interval", "200ms"});
  const std::string line = starter.WaitForLine(std::regex(R"(^segment 2/3 on \S+: job (\S+)$)"),
                                               std::chrono::seconds(20));
  const std::string job_id = line.substr(line.rfind(' ') + 1);
  // Kill the third daemon once its segment has sent requests (so it has last figures).
  ASSERT_TRUE(throng::test_support::WaitUntil(
      [&] {
        v1::GetJobRequest request;
        request.set_id(job_id);
        v1::Job job;
        return daemons_[2]->stub->GetJob(Context().get(), request, &job).ok() &&
               job.totals().requests() > 20;
      },
      std::chrono::seconds(15)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // one more poll by throngctl
  daemons_[2]->child->Signal(SIGKILL);
  const int exit_code = starter.Wait(std::chrono::seconds(40));
  EXPECT_EQ(exit_code, 2) << starter.Stdout() << starter.Stderr();
  EXPECT_NE(starter.Stderr().find(std::string("segment 2 (127.0.0.1:") +
                                  std::to_string(daemons_[2]->grpc_port) + ") lost"),
            std::string::npos)
      << starter.Stderr();
  std::ifstream in(json);
  const Json report = Json::parse(in);
  ASSERT_EQ(report["fleet"]["lost_segments"], 1) << report["fleet"].dump();
  const Json& lost = report["fleet"]["segments"][2];
  EXPECT_TRUE(lost["lost"].get<bool>());
  EXPECT_GT(lost["requests"].get<std::uint64_t>(), 20u);  // its last figures
  EXPECT_NE(lost["error"].get<std::string>().find("lost"), std::string::npos);
  std::uint64_t sum = 0;
  for (const Json& segment : report["fleet"]["segments"]) {
    sum += segment["requests"].get<std::uint64_t>();
    if (!segment["lost"].get<bool>()) {
      EXPECT_EQ(segment["state"], "COMPLETED");
    }
  }
  EXPECT_EQ(report["aggregated"]["requests"].get<std::uint64_t>(), sum);
  std::cout << "[fleet] lost segment 2 with " << lost["requests"] << " requests; merged " << sum
            << "\n";
}

}  // namespace

// Setup's secrets (an extracted token, a value set by a `secret: true` step) reach every segment
// for real, and read "***" in the setup's report, every job and every registry file.
TEST_F(FleetRunTest, SetupSecretsReachTheSegmentsAndAreShownNowhere) {
  const std::string marker = "m-fleet-ref-5c1d";
  const Json report = RunFleet("secrets", R"(name: fleet-secrets
base_url: http://x
setup:
  - request: {name: create, method: POST, path: /admin/users,
              json: {username: fleet_secret_user, password: pw}, expect: {status: [201]}}
  - request:
      name: login
      method: POST
      path: /auth/token
      form: {fields: {username: fleet_secret_user, password: pw}}
      extract: [{var: access_token, json_pointer: /access_token, required: true}]
  - set: {values: {ref: )" + marker + R"(}, secret: true}
user_classes:
  - name: U
    wait: {constant: 0.2s}
    tasks:
      - steps:
          - request:
              name: me
              path: "/accounts/me?r={{ref}}"
              headers: {Authorization: "Bearer {{access_token}}"}
              expect: {status: [200]}
load: {closed: {users: 3}, duration: 2s}
)");
  EXPECT_EQ(report["summary"]["failures"], 0) << report.dump();
  EXPECT_GT(Counter("/accounts/me", "GET", "200"), 3);
  EXPECT_EQ(Counter("/accounts/me", "GET", "401"), 0);  // every segment had the real token

  v1::ListJobsResponse jobs;
  ASSERT_TRUE(daemons_[0]->stub->ListJobs(Context().get(), {}, &jobs).ok());
  std::string setup_id;
  for (const v1::Job& job : jobs.jobs()) {
    if (job.spec().phases() == v1::JOB_PHASES_SETUP_ONLY) setup_id = job.id();
  }
  ASSERT_FALSE(setup_id.empty()) << jobs.ShortDebugString();
  v1::GetReportRequest request;
  request.set_id(setup_id);
  v1::Report setup;
  ASSERT_TRUE(daemons_[0]->stub->GetReport(Context().get(), request, &setup).ok());
  EXPECT_EQ(setup.setup_variables().at("access_token"), "***");
  EXPECT_EQ(setup.setup_variables().at("ref"), "***");
  request.set_reveal_setup_variables(true);  // what the fleet run asked for
  ASSERT_TRUE(daemons_[0]->stub->GetReport(Context().get(), request, &setup).ok());
  const std::string token = setup.setup_variables().at("access_token");
  ASSERT_GT(token.size(), 16u);
  EXPECT_EQ(setup.setup_variables().at("ref"), marker);
  EXPECT_EQ(report.dump().find(token), std::string::npos);  // the merged report
  EXPECT_EQ(report.dump().find(marker), std::string::npos);

  for (std::size_t i = 0; i < daemons_.size(); ++i) {
    ASSERT_TRUE(daemons_[i]->stub->ListJobs(Context().get(), {}, &jobs).ok());
    EXPECT_EQ(jobs.DebugString().find(token), std::string::npos) << "ListJobs of daemon " << i;
    EXPECT_EQ(jobs.DebugString().find(marker), std::string::npos) << "ListJobs of daemon " << i;
    EXPECT_EQ(daemons_[i]->Stop(), 0);
    for (const auto& file :
         std::filesystem::recursive_directory_iterator(data_.path() / std::to_string(i))) {
      if (!file.is_regular_file()) continue;
      std::ifstream in(file.path(), std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      EXPECT_EQ(bytes.str().find(token), std::string::npos) << file.path();
      EXPECT_EQ(bytes.str().find(marker), std::string::npos) << file.path();
    }
  }
}
