// throngd runs jobs against the real demo backend on loopback: live /metrics, GetJob and
// GetReport agree; thresholds judge and abort; UpdateJob/StopJob steer; WatchJob streams; a
// dead target is measured; SIGTERM stops a job gracefully and keeps its report.
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "backend_fixture.h"
#include "daemon_fixture.h"
#include "prometheus_text.h"
#include "promtool.h"
#include "throng/test_support/http_test_client.h"
#include "throng/test_support/temp_dir.h"
#include "throng/test_support/wait_until.h"
#include "throng/v1/load_tester.grpc.pb.h"

namespace throng {
namespace {

using daemon_test::Context;
using daemon_test::Daemon;
using daemon_test::PromSample;
using daemon_test::Select;
using daemon_test::Sum;
using google::protobuf::util::TimeUtil;
using test_support::WaitUntil;
using Clock = std::chrono::steady_clock;
using Labels = std::map<std::string, std::string>;
using namespace std::chrono_literals;

/// Time a short job gets to end and deliver its report, beyond its planned duration.
constexpr auto kEndTimeout = 15s;
/// Locust's percentile columns, as GetReport must list them.
const std::vector<double> kLocustQuantiles = {0.50, 0.66, 0.75,  0.80,   0.90, 0.95,
                                              0.98, 0.99, 0.999, 0.9999, 1.0};

/// Appends a request task to `user`.
v1::Request& AddTask(v1::UserClass& user, const std::string& name, std::uint32_t weight,
                     const std::string& method, const std::string& path, std::uint32_t status) {
  v1::Task* task = user.add_tasks();
  task->set_name(name);
  task->set_weight(weight);
  v1::Request* request = task->add_steps()->mutable_request();
  request->set_name(name);
  request->set_method(method);
  request->set_path(path);
  request->mutable_expect()->add_status(status);
  return *request;
}

/// `users` closed-model users on `base_url`, each pausing 10 ms between tasks: "list items"
/// (GET /items/, weight 2) and "create item" (POST /items/, weight 1). `duration` 0: unbounded.
v1::JobSpec ItemsSpec(const std::string& name, const std::string& base_url, std::uint32_t users,
                      std::chrono::seconds duration) {
  v1::JobSpec spec;
  spec.set_name(name);
  spec.set_base_url(base_url);
  v1::UserClass* user = spec.add_user_classes();
  user->set_name("visitor");
  user->mutable_wait()->mutable_constant()->set_nanos(10'000'000);
  AddTask(*user, "list items", 2, "GET", "/items/", 200);
  v1::Request& create = AddTask(*user, "create item", 1, "POST", "/items/", 201);
  (*create.mutable_json()->mutable_struct_value()->mutable_fields())["title"].set_string_value(
      "load {{uuid}}");
  spec.mutable_load()->mutable_closed()->set_users(users);
  if (duration.count() == 0) {
    spec.mutable_load()->set_unbounded(true);
  } else {
    spec.mutable_load()->mutable_duration()->set_seconds(duration.count());
  }
  spec.mutable_load()->mutable_graceful_stop()->set_seconds(2);
  spec.mutable_http()->mutable_request_timeout()->set_seconds(5);
  return spec;
}

v1::Threshold& AddThreshold(v1::JobSpec& spec, const std::string& expr) {
  v1::Threshold* threshold = spec.add_thresholds();
  threshold->set_expr(expr);
  return *threshold;
}

/// Requests of every report row named `name` (all methods).
std::uint64_t RequestsOf(const v1::Report& report, const std::string& name) {
  std::uint64_t requests = 0;
  for (const v1::EndpointStats& endpoint : report.endpoints()) {
    if (endpoint.name() == name) requests += endpoint.requests();
  }
  return requests;
}

/// A throngd (own data dir) and a demo backend, both on loopback, for each test.
class JobRunTest : public ::testing::Test {
 protected:
  void SetUp() override { daemon_ = std::make_unique<Daemon>(data_.path()); }

  void TearDown() override {
    if (daemon_ && daemon_->stub) {
      EXPECT_EQ(daemon_->Stop(), 0);
    }
  }

  std::string BackendUrl() const {
    return "http://127.0.0.1:" + std::to_string(backend_.address().port);
  }

  /// Submits `spec` and returns the job's id ("" with a test failure when refused).
  std::string Submit(const v1::JobSpec& spec) {
    v1::Job job;
    const grpc::Status status = daemon_test::Submit(*daemon_, spec, &job);
    EXPECT_TRUE(status.ok()) << status.error_code() << ": " << status.error_message();
    return job.id();
  }

  v1::Job GetJob(const std::string& id) {
    v1::GetJobRequest request;
    request.set_id(id);
    v1::Job job;
    const grpc::Status status = daemon_->stub->GetJob(Context().get(), request, &job);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return job;
  }

  grpc::Status GetReport(const std::string& id, v1::Report& report) {
    v1::GetReportRequest request;
    request.set_id(id);
    return daemon_->stub->GetReport(Context().get(), request, &report);
  }

  /// Waits (bounded) for the job's final report; the job, as GetJob then shows it, goes to
  /// `job`. A final report means the end has been delivered: state, verdict and totals are in.
  v1::Report WaitForFinalReport(const std::string& id, v1::Job& job,
                                Clock::duration timeout = kEndTimeout) {
    v1::Report report;
    const bool ended = WaitUntil(
        [&] {
          report.Clear();
          return GetReport(id, report).ok() && report.final();
        },
        timeout);
    EXPECT_TRUE(ended) << "job " << id << " did not end; last report:\n"
                       << report.job().ShortDebugString();
    job = GetJob(id);
    return report;
  }

  /// Waits (bounded) until GetJob's view of the job satisfies `done`; returns that view.
  v1::Job WaitForJob(const std::string& id, const std::function<bool(const v1::Job&)>& done,
                     const std::string& what, Clock::duration timeout = 5s) {
    v1::Job job;
    EXPECT_TRUE(WaitUntil(
        [&] {
          job = GetJob(id);
          return done(job);
        },
        timeout))
        << "job " << id << ": " << what << "; last seen:\n"
        << job.ShortDebugString();
    return job;
  }

  grpc::Status Update(const std::string& id,
                      const std::function<void(v1::UpdateJobRequest&)>& set) {
    v1::UpdateJobRequest request;
    request.set_id(id);
    set(request);
    v1::Job job;
    return daemon_->stub->UpdateJob(Context().get(), request, &job);
  }

  grpc::Status Stop(const std::string& id) {
    v1::StopJobRequest request;
    request.set_id(id);
    v1::Job job;
    return daemon_->stub->StopJob(Context().get(), request, &job);
  }

  /// throngd's /metrics, as text.
  std::string ScrapeText() {
    const auto response =
        test_support::Request("127.0.0.1", daemon_->metrics_port, "GET", "/metrics");
    EXPECT_EQ(response.status, 200);
    return response.body;
  }
  std::vector<PromSample> Scrape() { return daemon_test::ParseProm(ScrapeText()); }

  /// POST /admin/faults on the backend (e.g. {"latency_ms": 30}).
  void SetFaults(const std::string& json) {
    const auto response = backend_.Send("POST", "/admin/faults", json);
    ASSERT_EQ(response.status, 200) << response.body;
  }

  test_support::TempDir data_;
  demo_test::DemoBackend backend_;
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(JobRunTest, CompletedJobsMetricsMatchItsReport) {
  v1::JobSpec spec = ItemsSpec("items-crud", BackendUrl(), 4, 3s);
  AddThreshold(spec, "p(95) < 1s");
  AddThreshold(spec, "fail_rate < 1%");
  const std::string id = Submit(spec);
  ASSERT_FALSE(id.empty());
  const Labels job_labels = {{"run", id}, {"test", "items-crud"}};

  // While it runs: its series are on /metrics (they appear with the first closed interval).
  std::string live_text;
  std::vector<PromSample> live;
  ASSERT_TRUE(WaitUntil(
      [&] {
        live_text = ScrapeText();
        live = daemon_test::ParseProm(live_text);
        return Sum(live, "throng_http_request_duration_seconds_count", job_labels) > 0;
      },
      5s));
  EXPECT_EQ(GetJob(id).state(), v1::RUNNING);
  EXPECT_EQ(Sum(live, "throng_run_info", {{"run", id}, {"state", "running"}}), 1);
  EXPECT_EQ(Sum(live, "throng_target_users", job_labels), 4);
  EXPECT_GT(Sum(live, "throng_http_requests_total", {{"run", id}, {"name", "list items"}}), 0);
  const daemon_test::PromtoolResult promtool =
      daemon_test::PromtoolCheckMetrics(live_text, data_.path());
  EXPECT_EQ(promtool.status, 0) << promtool.output;

  v1::Job job;
  const v1::Report report = WaitForFinalReport(id, job);
  ASSERT_TRUE(report.final());

  EXPECT_EQ(job.state(), v1::COMPLETED) << job.error();
  EXPECT_EQ(job.verdict(), v1::VERDICT_PASS);
  EXPECT_EQ(report.verdict(), v1::VERDICT_PASS);
  EXPECT_EQ(report.job().state(), v1::COMPLETED);
  EXPECT_GT(job.totals().requests(), 0u);
  EXPECT_EQ(job.totals().requests(), report.aggregated().requests());
  EXPECT_EQ(job.totals().failures(), 0u);
  EXPECT_GT(job.totals().iterations(), 0u);
  ASSERT_EQ(job.thresholds_size(), 2);
  for (const v1::ThresholdResult& threshold : report.thresholds()) {
    EXPECT_TRUE(threshold.passed()) << threshold.ShortDebugString();
    EXPECT_FALSE(threshold.aborted());
  }

  // Report: both names, Locust's 11 percentiles (non-decreasing), the Aggregated row, timeline.
  std::set<std::string> names;
  for (const v1::EndpointStats& endpoint : report.endpoints()) {
    names.insert(endpoint.name());
    EXPECT_GT(endpoint.requests(), 0u) << endpoint.name();
    EXPECT_EQ(endpoint.failures(), 0u) << endpoint.name();
    ASSERT_EQ(endpoint.percentiles_size(), 11) << endpoint.name();
    for (int i = 0; i < 11; ++i) {
      EXPECT_DOUBLE_EQ(endpoint.percentiles(i).quantile(), kLocustQuantiles[i]);
      EXPECT_GT(endpoint.percentiles(i).ms(), 0) << endpoint.name() << " column " << i;
      if (i > 0) {
        EXPECT_GE(endpoint.percentiles(i).ms(), endpoint.percentiles(i - 1).ms());
      }
    }
  }
  EXPECT_EQ(names, (std::set<std::string>{"list items", "create item"}));
  EXPECT_EQ(report.aggregated().name(), "Aggregated");
  EXPECT_EQ(report.aggregated().requests(),
            RequestsOf(report, "list items") + RequestsOf(report, "create item"));
  EXPECT_EQ(report.aggregated().percentiles_size(), 11);
  ASSERT_GE(report.timeline_size(), 2);
  EXPECT_EQ(report.timeline(report.timeline_size() - 1).total_requests(),
            report.aggregated().requests());
  EXPECT_GE(TimeUtil::DurationToMilliseconds(report.duration()), 2500);
  EXPECT_LT(TimeUtil::DurationToMilliseconds(report.duration()), 10000);
  EXPECT_TRUE(report.errors().empty());

  // After the end: the scraped histogram counts and request counters equal the report's.
  const std::vector<PromSample> after = Scrape();
  for (const std::string& name : names) {
    Labels labels = job_labels;
    labels["name"] = name;
    EXPECT_EQ(Sum(after, "throng_http_request_duration_seconds_count", labels),
              RequestsOf(report, name))
        << name;
    EXPECT_EQ(Sum(after, "throng_http_requests_total", labels), RequestsOf(report, name)) << name;
  }
  EXPECT_EQ(Sum(after, "throng_http_requests_total", job_labels), report.aggregated().requests());
  EXPECT_EQ(Sum(after, "throng_run_info", {{"run", id}, {"state", "completed"}}), 1);
  EXPECT_EQ(Sum(after, "throng_threshold_passing", job_labels), 2);
}

TEST_F(JobRunTest, BreachedThresholdFailsTheVerdictAndAbortsWhenAsked) {
  ASSERT_NO_FATAL_FAILURE(SetFaults(R"({"latency_ms": 30})"));
  // Planned for 30 s; the abort must end it long before.
  v1::JobSpec aborting = ItemsSpec("slow-abort", BackendUrl(), 2, 30s);
  v1::Threshold& abort = AddThreshold(aborting, "p(95) < 5ms");
  abort.set_abort_on_fail(true);
  abort.mutable_abort_delay()->set_nanos(500'000'000);
  AddThreshold(aborting, "fail_rate < 1%");
  v1::JobSpec judging = ItemsSpec("slow-judge", BackendUrl(), 2, 2s);
  AddThreshold(judging, "p(95) < 5ms");

  const auto submitted = Clock::now();
  const std::string aborted_id = Submit(aborting);
  const std::string judged_id = Submit(judging);
  ASSERT_FALSE(aborted_id.empty());
  ASSERT_FALSE(judged_id.empty());

  v1::Job aborted;
  const v1::Report aborted_report = WaitForFinalReport(aborted_id, aborted);
  EXPECT_LT(Clock::now() - submitted, 15s);
  EXPECT_EQ(aborted.state(), v1::ABORTED) << aborted.error();
  EXPECT_EQ(aborted.verdict(), v1::VERDICT_FAIL);
  EXPECT_EQ(aborted_report.verdict(), v1::VERDICT_FAIL);
  EXPECT_LT(TimeUtil::DurationToSeconds(aborted_report.duration()), 15);
  EXPECT_NE(aborted.error().find("p(95) < 5ms"), std::string::npos) << aborted.error();
  ASSERT_EQ(aborted_report.thresholds_size(), 2);
  const v1::ThresholdResult& breached = aborted_report.thresholds(0);
  EXPECT_FALSE(breached.passed());
  EXPECT_TRUE(breached.aborted());
  EXPECT_GE(breached.observed(), 5);  // ms; the backend adds 30
  ASSERT_EQ(aborted.thresholds_size(), 2);
  EXPECT_FALSE(aborted.thresholds(0).passed());
  EXPECT_TRUE(aborted.thresholds(0).aborted());
  EXPECT_TRUE(aborted_report.thresholds(1).passed());
  EXPECT_FALSE(aborted_report.thresholds(1).aborted());
  EXPECT_GT(aborted_report.aggregated().requests(), 0u);

  v1::Job judged;
  const v1::Report judged_report = WaitForFinalReport(judged_id, judged);
  EXPECT_EQ(judged.state(), v1::COMPLETED) << judged.error();
  EXPECT_EQ(judged.verdict(), v1::VERDICT_FAIL);
  ASSERT_EQ(judged_report.thresholds_size(), 1);
  EXPECT_FALSE(judged_report.thresholds(0).passed());
  EXPECT_FALSE(judged_report.thresholds(0).aborted());
  EXPECT_TRUE(judged.error().empty()) << judged.error();

  const std::vector<PromSample> metrics = Scrape();
  for (const std::string& id : {aborted_id, judged_id}) {
    const Labels breached_labels = {{"run", id}, {"threshold", "p(95) < 5ms"}};
    EXPECT_EQ(Select(metrics, "throng_threshold_passing", breached_labels).size(), 1u) << id;
    EXPECT_EQ(Sum(metrics, "throng_threshold_passing", breached_labels), 0) << id;
  }
  EXPECT_EQ(Sum(metrics, "throng_threshold_passing",
                {{"run", aborted_id}, {"threshold", "fail_rate < 1%"}}),
            1);
  EXPECT_EQ(Sum(metrics, "throng_run_info", {{"run", aborted_id}, {"state", "aborted"}}), 1);
}

TEST_F(JobRunTest, UpdateAndStopSteerARunningJob) {
  const std::string id = Submit(ItemsSpec("steered", BackendUrl(), 2, 0s));
  ASSERT_FALSE(id.empty());
  WaitForJob(
      id, [](const v1::Job& job) { return job.totals().active_users() == 2; }, "2 active users");

  ASSERT_TRUE(Update(id, [](auto& request) { request.set_target_users(5); }).ok());
  const v1::Job grown = WaitForJob(
      id, [](const v1::Job& job) { return job.totals().active_users() == 5; }, "5 active users");
  EXPECT_EQ(grown.totals().target_users(), 5u);

  const grpc::Status paused = Update(id, [](auto& request) { request.set_paused(true); });
  ASSERT_TRUE(paused.ok()) << paused.error_message();
  const v1::Job idle = WaitForJob(
      id, [](const v1::Job& job) { return job.state() == v1::PAUSED; }, "PAUSED");
  EXPECT_TRUE(idle.totals().paused());
  // Totals trail by up to one 1 s interval: let the last in-flight requests show, then compare.
  std::this_thread::sleep_for(1500ms);
  const std::uint64_t paused_requests = GetJob(id).totals().requests();
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(GetJob(id).totals().requests(), paused_requests);
  EXPECT_EQ(GetJob(id).state(), v1::PAUSED);

  ASSERT_TRUE(Update(id, [](auto& request) { request.set_paused(false); }).ok());
  WaitForJob(
      id,
      [&](const v1::Job& job) {
        return job.state() == v1::RUNNING && job.totals().requests() > paused_requests;
      },
      "RUNNING with requests growing again");

  const grpc::Status rate = Update(id, [](auto& request) { request.set_arrival_rate(10); });
  EXPECT_EQ(rate.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(rate.error_message().find("arrival_rate"), std::string::npos) << rate.error_message();

  const grpc::Status stopped = Stop(id);
  ASSERT_TRUE(stopped.ok()) << stopped.error_message();
  v1::Job job;
  const v1::Report report = WaitForFinalReport(id, job);
  EXPECT_EQ(job.state(), v1::STOPPED) << job.error();
  EXPECT_EQ(report.job().state(), v1::STOPPED);
  EXPECT_GT(report.aggregated().requests(), paused_requests);
  EXPECT_EQ(report.aggregated().failures(), 0u);
  EXPECT_EQ(job.totals().requests(), report.aggregated().requests());
  EXPECT_EQ(report.endpoints_size(), 2);

  const grpc::Status late_update = Update(id, [](auto& request) { request.set_target_users(1); });
  EXPECT_EQ(late_update.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << late_update.error_message();
  EXPECT_EQ(Stop(id).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(JobRunTest, ArrivalRateChangesLiveOnAnOpenModelJob) {
  // Open model at 20 iterations/s (one GET each), unbounded; raised to 80/s while it runs.
  v1::JobSpec spec = ItemsSpec("open-rate", BackendUrl(), 1, 0s);
  spec.mutable_user_classes(0)->clear_wait();
  spec.mutable_user_classes(0)->mutable_tasks()->DeleteSubrange(1, 1);  // only "list items"
  spec.mutable_load()->mutable_open()->set_rate(20);
  spec.mutable_load()->mutable_open()->set_max_users(10);
  const std::string id = Submit(spec);
  ASSERT_FALSE(id.empty());
  WaitForJob(
      id, [](const v1::Job& job) { return job.totals().iterations() >= 20; }, "a second of load");
  EXPECT_DOUBLE_EQ(GetJob(id).totals().target_rate(), 20);

  const grpc::Status raised = Update(id, [](auto& request) { request.set_arrival_rate(80); });
  ASSERT_TRUE(raised.ok()) << raised.error_message();
  WaitForJob(
      id, [](const v1::Job& job) { return job.totals().target_rate() == 80; }, "target rate 80");
  // Totals trail by one interval; measure the rate over 2 s once the new rate has settled.
  std::this_thread::sleep_for(1500ms);
  const std::uint64_t before = GetJob(id).totals().iterations();
  const auto start = Clock::now();
  std::this_thread::sleep_for(2s);
  const std::uint64_t after = GetJob(id).totals().iterations();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // Tick-granular totals: allow one interval's worth either way.
  EXPECT_NEAR(static_cast<double>(after - before) / seconds, 80, 80 * 0.5 / seconds + 8);

  const grpc::Status users = Update(id, [](auto& request) { request.set_target_users(5); });
  EXPECT_EQ(users.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(users.error_message().find("target_users"), std::string::npos);
  ASSERT_TRUE(Stop(id).ok());
  v1::Job job;
  const v1::Report report = WaitForFinalReport(id, job);
  EXPECT_EQ(job.state(), v1::STOPPED);
  EXPECT_EQ(report.aggregated().failures(), 0u);
  EXPECT_EQ(job.totals().dropped_iterations(), 0u);
}

TEST_F(JobRunTest, StopEndsAPausedJob) {
  const std::string id = Submit(ItemsSpec("paused-then-stopped", BackendUrl(), 2, 0s));
  ASSERT_FALSE(id.empty());
  WaitForJob(
      id, [](const v1::Job& job) { return job.state() == v1::RUNNING; }, "RUNNING");
  ASSERT_TRUE(Update(id, [](auto& request) { request.set_paused(true); }).ok());
  WaitForJob(
      id, [](const v1::Job& job) { return job.state() == v1::PAUSED; }, "PAUSED");

  const grpc::Status stopped = Stop(id);
  ASSERT_TRUE(stopped.ok()) << stopped.error_message();
  v1::Job job;
  const v1::Report report = WaitForFinalReport(id, job);
  EXPECT_EQ(job.state(), v1::STOPPED) << job.error();
  EXPECT_FALSE(job.totals().paused());
  EXPECT_EQ(report.aggregated().failures(), 0u);
}

/// What one WatchJob stream delivered.
struct Watched {
  std::vector<v1::JobSnapshot> snapshots;
  grpc::Status status;
  Clock::duration wall{};
};

/// Watches job `id` every `interval`; with `cancel_after`, cancels once it has that many.
Watched Watch(v1::LoadTester::Stub& stub, const std::string& id, std::chrono::milliseconds interval,
              std::size_t cancel_after = 0) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 20s);
  v1::WatchJobRequest request;
  request.set_id(id);
  *request.mutable_interval() = TimeUtil::MillisecondsToDuration(interval.count());
  Watched watched;
  const auto start = Clock::now();
  auto reader = stub.WatchJob(&context, request);
  v1::JobSnapshot snapshot;
  while (reader->Read(&snapshot)) {
    watched.snapshots.push_back(snapshot);
    if (cancel_after > 0 && watched.snapshots.size() == cancel_after) context.TryCancel();
  }
  watched.status = reader->Finish();
  watched.wall = Clock::now() - start;
  return watched;
}

TEST_F(JobRunTest, WatchersSeeEachIntervalAndTheFinalState) {
  constexpr auto kInterval = 500ms;
  const std::string id = Submit(ItemsSpec("watched", BackendUrl(), 2, 3s));
  ASSERT_FALSE(id.empty());

  Watched first;
  Watched second;
  Watched quitter;
  std::thread first_thread([&] { first = Watch(*daemon_->stub, id, kInterval); });
  std::thread second_thread([&] { second = Watch(*daemon_->stub, id, kInterval); });
  std::thread quitter_thread([&] { quitter = Watch(*daemon_->stub, id, kInterval, 2); });
  first_thread.join();
  second_thread.join();
  quitter_thread.join();

  EXPECT_EQ(quitter.status.error_code(), grpc::StatusCode::CANCELLED);
  ASSERT_GE(quitter.snapshots.size(), 2u);
  EXPECT_FALSE(quitter.snapshots.back().final());

  v1::Job job;
  const v1::Report report = WaitForFinalReport(id, job);
  EXPECT_EQ(job.state(), v1::COMPLETED) << job.error();

  for (const Watched* watched : {&first, &second}) {
    EXPECT_TRUE(watched->status.ok()) << watched->status.error_message();
    ASSERT_FALSE(watched->snapshots.empty());
    // Roughly one snapshot per interval over the stream's life.
    const double expected =
        std::chrono::duration<double>(watched->wall) / std::chrono::duration<double>(kInterval);
    EXPECT_GE(watched->snapshots.size(), expected / 2) << "over " << expected << " intervals";
    EXPECT_LE(watched->snapshots.size(), expected * 1.5 + 2) << "over " << expected << " intervals";
    bool saw_live_figures = false;
    for (std::size_t i = 0; i < watched->snapshots.size(); ++i) {
      const v1::JobSnapshot& snapshot = watched->snapshots[i];
      EXPECT_EQ(snapshot.id(), id);
      EXPECT_EQ(snapshot.final(), i + 1 == watched->snapshots.size()) << "snapshot " << i;
      if (i > 0) {
        EXPECT_GE(snapshot.time(), watched->snapshots[i - 1].time());
      }
      if (snapshot.state() != v1::RUNNING) continue;
      for (const v1::EndpointSnapshot& endpoint : snapshot.endpoints()) {
        if (endpoint.rps() > 0 && endpoint.interval().p50_ms() > 0 &&
            endpoint.cumulative().p95_ms() > 0 && endpoint.requests() > 0) {
          saw_live_figures = true;
        }
      }
    }
    EXPECT_TRUE(saw_live_figures) << "no running snapshot with per-endpoint rps and latency";
    const v1::JobSnapshot& last = watched->snapshots.back();
    EXPECT_TRUE(last.final());
    EXPECT_EQ(last.state(), v1::COMPLETED);
    EXPECT_EQ(last.verdict(), v1::VERDICT_NONE);
    EXPECT_EQ(last.totals().requests(), report.aggregated().requests());
  }
  // The watcher that left early did not cut the job short.
  EXPECT_GT(report.aggregated().requests(), quitter.snapshots.back().totals().requests());
  EXPECT_GE(TimeUtil::DurationToMilliseconds(report.duration()), 2500);
}

TEST_F(JobRunTest, RefusedTargetIsMeasuredNotACrash) {
  const std::string dead_url = "http://127.0.0.1:" + std::to_string(daemon_test::UnusedPort());
  const std::string id = Submit(ItemsSpec("dead-target", dead_url, 2, 2s));
  ASSERT_FALSE(id.empty());

  v1::Job job;
  const v1::Report report = WaitForFinalReport(id, job);
  EXPECT_EQ(job.state(), v1::COMPLETED) << job.error();
  ASSERT_GT(report.aggregated().requests(), 0u);
  EXPECT_EQ(report.aggregated().failures(), report.aggregated().requests());
  EXPECT_EQ(report.aggregated().failures_by_kind().at("connect_refused"),
            report.aggregated().failures());
  std::uint64_t refused = 0;
  for (const v1::ErrorGroup& error : report.errors()) {
    EXPECT_EQ(error.kind(), v1::CONNECT_REFUSED) << error.ShortDebugString();
    EXPECT_EQ(error.message(), "connection refused");
    refused += error.occurrences();
  }
  EXPECT_EQ(refused, report.aggregated().failures());
  for (const v1::EndpointStats& endpoint : report.endpoints()) {
    EXPECT_EQ(endpoint.failures_by_kind().at("connect_refused"), endpoint.failures())
        << endpoint.name();
  }
  const std::vector<PromSample> metrics = Scrape();
  EXPECT_EQ(Sum(metrics, "throng_http_request_failures_total",
                {{"run", id}, {"reason", "connect_refused"}}),
            report.aggregated().failures());

  EXPECT_EQ(daemon_test::HealthStatus(*daemon_), 1);
}

TEST_F(JobRunTest, SigtermStopsTheJobGracefullyAndKeepsItsReport) {
  const std::string id = Submit(ItemsSpec("interrupted-soak", BackendUrl(), 2, 0s));
  ASSERT_FALSE(id.empty());
  const v1::Job running = WaitForJob(
      id, [](const v1::Job& job) { return job.totals().requests() > 0; }, "requests counted");
  EXPECT_EQ(running.state(), v1::RUNNING);

  EXPECT_EQ(daemon_->Stop(), 0);

  daemon_ = std::make_unique<Daemon>(data_.path());
  const v1::Job job = GetJob(id);
  EXPECT_EQ(job.state(), v1::STOPPED) << job.error();
  v1::Report report;
  const grpc::Status status = GetReport(id, report);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(report.final());
  EXPECT_EQ(report.job().state(), v1::STOPPED);
  EXPECT_GE(report.aggregated().requests(), running.totals().requests());
  EXPECT_EQ(report.aggregated().failures(), 0u);
  EXPECT_EQ(report.endpoints_size(), 2);
  EXPECT_EQ(job.totals().requests(), report.aggregated().requests());
  EXPECT_GE(report.timeline_size(), 1);
}

}  // namespace
}  // namespace throng
