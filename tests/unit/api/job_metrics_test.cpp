#include "throng/api/metrics/job_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "throng/engine/stats.h"

namespace throng::api {
namespace {

using engine::FailureKind;
using engine::JobStats;
using engine::RequestSample;
using prometheus::ClientMetric;
using prometheus::MetricFamily;
using std::chrono::microseconds;
using LabelMap = std::map<std::string, std::string>;

RequestSample Sample(microseconds latency, unsigned status,
                     FailureKind failure = FailureKind::kNone) {
  RequestSample s;
  s.latency = latency;
  s.service_time = latency / 2;
  s.status = status;
  s.failure = failure;
  s.bytes_sent = 100;
  s.bytes_received = 1000;
  return s;
}

LabelMap Labels(const ClientMetric& m) {
  LabelMap labels;
  for (const auto& l : m.label) labels[l.name] = l.value;
  return labels;
}

const MetricFamily* Family(const std::vector<MetricFamily>& families, const std::string& name) {
  for (const MetricFamily& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

/// The series of family `name` whose labels include `labels`; fails the test if not exactly one.
const ClientMetric& Series(const std::vector<MetricFamily>& families, const std::string& name,
                           const LabelMap& labels) {
  static const ClientMetric kNone;
  const MetricFamily* family = Family(families, name);
  if (family == nullptr) {
    ADD_FAILURE() << "no family " << name;
    return kNone;
  }
  const ClientMetric* found = nullptr;
  for (const ClientMetric& m : family->metric) {
    const LabelMap have = Labels(m);
    bool match = true;
    for (const auto& [k, v] : labels) match = match && have.count(k) && have.at(k) == v;
    if (!match) continue;
    if (found != nullptr) ADD_FAILURE() << "several series of " << name << " match";
    found = &m;
  }
  if (found == nullptr) {
    ADD_FAILURE() << "no series of " << name << " matches";
    return kNone;
  }
  return *found;
}

/// Job "r1" ("shop"): login POST gets 300 us/200, 2 ms/200, 20 ms/201, 700 ms/500 (unexpected
/// status), 90 s/no response (timeout); products GET is never requested.
class JobMetricsTest : public ::testing::Test {
 protected:
  JobMetricsTest()
      : stats_(std::make_shared<JobStats>(
            std::vector<engine::EndpointKey>{{"login", "POST"}, {"products", "GET"}}, 2)) {
    engine::ThreadStats& w0 = stats_->ForWorker(0);
    engine::ThreadStats& w1 = stats_->ForWorker(1);
    w0.RecordRequest(0, Sample(microseconds(300), 200));
    w1.RecordRequest(0, Sample(microseconds(2000), 200));
    w0.RecordRequest(0, Sample(microseconds(20000), 201));
    w1.RecordRequest(0, Sample(microseconds(700000), 500, FailureKind::kUnexpectedStatus));
    w0.RecordRequest(0, Sample(microseconds(90000000), 0, FailureKind::kTimeout));
    for (int i = 0; i < 7; ++i) w0.RecordIteration();
    w1.RecordDroppedIteration();
    w0.RecordLateIteration();
    w1.RecordLateIteration();
    w0.AddActiveUsers(3);
    w1.AddActiveUsers(2);
  }

  JobMetricsSource Source(std::string run = "r1") const {
    JobMetricsSource source;
    source.run = std::move(run);
    source.test = "shop";
    source.snapshot = [stats = stats_] {
      return std::make_shared<const engine::StatsSnapshot>(stats->Snapshot());
    };
    source.status = [] {
      engine::JobStatus status;
      status.phase = engine::JobPhase::kRunning;
      status.target_users = 10;
      status.target_rate = 2.5;
      return status;
    };
    source.thresholds = [] {
      return std::vector<ThresholdGauge>{{"p(95) < 1s", true}, {"fail_rate < 1% [login]", false}};
    };
    return source;
  }

  std::shared_ptr<JobStats> stats_;
};

TEST_F(JobMetricsTest, RequestCountersHaveExactValuesAndLabels) {
  JobMetricsCollectable collectable;
  collectable.Add("r1", Source());
  const auto families = collectable.Collect();
  const LabelMap login = {{"run", "r1"}, {"test", "shop"}, {"name", "login"}, {"method", "POST"}};
  auto with = [&](std::string k, std::string v) {
    LabelMap l = login;
    l[k] = v;
    return l;
  };
  const std::string requests = "throng_http_requests_total";
  EXPECT_EQ(Series(families, requests, with("status", "200")).counter.value, 2);
  EXPECT_EQ(Series(families, requests, with("status", "201")).counter.value, 1);
  EXPECT_EQ(Series(families, requests, with("status", "500")).counter.value, 1);
  EXPECT_EQ(Series(families, requests, with("status", "0")).counter.value, 1);
  EXPECT_EQ(Family(families, requests)->metric.size(), 4u);  // no zero-count statuses
  EXPECT_EQ(Labels(Series(families, requests, with("status", "200"))),
            (LabelMap{{"run", "r1"},
                      {"test", "shop"},
                      {"name", "login"},
                      {"method", "POST"},
                      {"status", "200"}}));

  const std::string failures = "throng_http_request_failures_total";
  EXPECT_EQ(Series(families, failures, with("reason", "unexpected_status")).counter.value, 1);
  EXPECT_EQ(Series(families, failures, with("reason", "timeout")).counter.value, 1);
  EXPECT_EQ(Family(families, failures)->metric.size(), 2u);

  EXPECT_EQ(Series(families, "throng_http_sent_bytes_total", login).counter.value, 500);
  EXPECT_EQ(Series(families, "throng_http_received_bytes_total", login).counter.value, 5000);
  // Responses with a status were checked; the 500 failed its status expectation.
  EXPECT_EQ(Series(families, "throng_checks_total", with("result", "pass")).counter.value, 3);
  EXPECT_EQ(Series(families, "throng_checks_total", with("result", "fail")).counter.value, 1);
}

TEST_F(JobMetricsTest, LatencyHistogramBucketsAreExactAndCumulative) {
  JobMetricsCollectable collectable;
  collectable.Add("r1", Source());
  const auto families = collectable.Collect();
  const ClientMetric& h = Series(families, "throng_http_request_duration_seconds",
                                 {{"name", "login"}, {"method", "POST"}});
  EXPECT_EQ(Family(families, "throng_http_request_duration_seconds")->type,
            prometheus::MetricType::Histogram);
  EXPECT_EQ(h.histogram.sample_count, 5u);
  EXPECT_DOUBLE_EQ(h.histogram.sample_sum, 90.7223);
  std::map<double, std::uint64_t> le;
  for (const auto& b : h.histogram.bucket) le[b.upper_bound] = b.cumulative_count;
  ASSERT_EQ(le.size(), kDefaultLatencyBuckets.size() + 1);
  EXPECT_EQ(le[0.0005], 1u);
  EXPECT_EQ(le[0.001], 1u);
  EXPECT_EQ(le[0.0025], 2u);
  EXPECT_EQ(le[0.01], 2u);
  EXPECT_EQ(le[0.025], 3u);
  EXPECT_EQ(le[0.5], 3u);
  EXPECT_EQ(le[1], 4u);
  EXPECT_EQ(le[60], 4u);  // 90 s lies above every finite bound
  EXPECT_EQ(le[std::numeric_limits<double>::infinity()], 5u);

  const ClientMetric& service =
      Series(families, "throng_http_request_service_time_seconds", {{"name", "login"}});
  EXPECT_EQ(service.histogram.sample_count, 5u);
  EXPECT_DOUBLE_EQ(service.histogram.sample_sum, 45.36115);

  // An endpoint without requests still has its (zero) series, so rate() starts from 0.
  const ClientMetric& idle =
      Series(families, "throng_http_request_duration_seconds", {{"name", "products"}});
  EXPECT_EQ(idle.histogram.sample_count, 0u);
  for (const auto& b : idle.histogram.bucket) EXPECT_EQ(b.cumulative_count, 0u);
}

TEST_F(JobMetricsTest, JobGaugesThresholdsAndRunInfo) {
  JobMetricsCollectable collectable;
  collectable.Add("r1", Source());
  const auto families = collectable.Collect();
  const LabelMap job = {{"run", "r1"}, {"test", "shop"}};
  EXPECT_EQ(Series(families, "throng_iterations_total", job).counter.value, 7);
  EXPECT_EQ(Series(families, "throng_dropped_iterations_total", job).counter.value, 1);
  EXPECT_EQ(Series(families, "throng_late_iterations_total", job).counter.value, 2);
  EXPECT_EQ(Series(families, "throng_active_users", job).gauge.value, 5);
  EXPECT_EQ(Series(families, "throng_target_users", job).gauge.value, 10);
  EXPECT_EQ(Series(families, "throng_target_arrival_rate", job).gauge.value, 2.5);
  EXPECT_EQ(Labels(Series(families, "throng_run_info", job)),
            (LabelMap{{"run", "r1"}, {"test", "shop"}, {"state", "running"}}));
  EXPECT_EQ(Series(families, "throng_run_info", job).gauge.value, 1);
  EXPECT_EQ(Series(families, "throng_threshold_passing", {{"threshold", "p(95) < 1s"}}).gauge.value,
            1);
  EXPECT_EQ(Series(families, "throng_threshold_passing", {{"threshold", "fail_rate < 1% [login]"}})
                .gauge.value,
            0);
}

TEST_F(JobMetricsTest, NoSeriesUsesPrometheusOwnedLabelsAndEveryHistogramIsConsistent) {
  JobMetricsCollectable collectable;
  collectable.Add("r1", Source("r1"));
  collectable.Add("r2", Source("r2"));
  const auto families = collectable.Collect();
  EXPECT_EQ(families.size(), 16u);  // the 16 throng_* families, redirects included
  for (const MetricFamily& f : families) {
    for (const ClientMetric& m : f.metric) {
      const LabelMap labels = Labels(m);
      EXPECT_EQ(labels.count("job"), 0u) << f.name;
      EXPECT_EQ(labels.count("instance"), 0u) << f.name;
      EXPECT_TRUE(labels.count("run") && labels.count("test")) << f.name;
      if (f.type != prometheus::MetricType::Histogram) continue;
      std::uint64_t previous = 0;
      for (const auto& b : m.histogram.bucket) {
        EXPECT_GE(b.cumulative_count, previous) << f.name;
        previous = b.cumulative_count;
      }
      EXPECT_EQ(previous, m.histogram.sample_count) << f.name;
    }
  }
  EXPECT_EQ(Family(families, "throng_run_info")->metric.size(), 2u);
}

TEST_F(JobMetricsTest, JobBucketsAreSortedAndUsed) {
  JobMetricsCollectable collectable;
  JobMetricsSource source = Source();
  source.buckets = {1.0, 0.001, 0.1, 0.1};
  collectable.Add("r1", std::move(source));
  const auto families = collectable.Collect();
  const ClientMetric& h =
      Series(families, "throng_http_request_duration_seconds", {{"name", "login"}});
  ASSERT_EQ(h.histogram.bucket.size(), 4u);
  EXPECT_EQ(h.histogram.bucket[0].upper_bound, 0.001);
  EXPECT_EQ(h.histogram.bucket[0].cumulative_count, 1u);
  EXPECT_EQ(h.histogram.bucket[1].upper_bound, 0.1);
  EXPECT_EQ(h.histogram.bucket[1].cumulative_count, 3u);
  EXPECT_EQ(h.histogram.bucket[2].upper_bound, 1.0);
  EXPECT_EQ(h.histogram.bucket[2].cumulative_count, 4u);
}

TEST_F(JobMetricsTest, BucketCountsEqualCountAtOrBelowOnSpreadData) {
  for (int i = 0; i < 5000; ++i) {
    const auto us = static_cast<std::int64_t>(1 + (static_cast<std::uint64_t>(i) * 2654435761u) %
                                                      4'000'000'000u);
    stats_->ForWorker(i % 2).RecordRequest(1, Sample(microseconds(us), 200));
  }
  JobMetricsCollectable collectable;
  JobMetricsSource source = Source();
  source.buckets = kDefaultLatencyBuckets;
  for (double extra : {0.000001, 0.0000015, 0.002047, 0.002048, 0.0020485, 123.456, 3600.0, 1e6}) {
    source.buckets.push_back(extra);
  }
  collectable.Add("r1", std::move(source));
  const engine::EndpointStats products = stats_->Snapshot().endpoints[1];
  const auto families = collectable.Collect();
  const ClientMetric& h =
      Series(families, "throng_http_request_duration_seconds", {{"name", "products"}});
  ASSERT_EQ(h.histogram.sample_count, 5000u);
  for (const auto& b : h.histogram.bucket) {
    if (std::isinf(b.upper_bound)) continue;
    const auto bound_us = static_cast<std::uint64_t>(std::floor(b.upper_bound * 1e6 + 1e-6));
    EXPECT_EQ(b.cumulative_count, products.latency.CountAtOrBelow(bound_us)) << b.upper_bound;
  }
}

TEST_F(JobMetricsTest, FinishedJobsDisappearAfterRetention) {
  engine::ManualClock clock;
  JobMetricsCollectable collectable(std::chrono::minutes(10), &clock);
  collectable.Add("r1", Source("r1"));
  collectable.Add("r2", Source("r2"));
  collectable.MarkFinished("r1", clock.Now());
  collectable.MarkFinished("unknown", clock.Now());  // ignored
  clock.Advance(std::chrono::minutes(9));
  EXPECT_EQ(Family(collectable.Collect(), "throng_run_info")->metric.size(), 2u);
  clock.Advance(std::chrono::minutes(1));
  const auto families = collectable.Collect();
  ASSERT_EQ(Family(families, "throng_run_info")->metric.size(), 1u);
  EXPECT_EQ(Labels(Family(families, "throng_run_info")->metric[0]).at("run"), "r2");
  EXPECT_EQ(collectable.Size(), 1u);
  collectable.Remove("r2");
  EXPECT_TRUE(collectable.Collect().empty());
}

TEST(ThresholdLabelTest, NamesTheScope) {
  engine::ThresholdPlan t;
  t.expr = "p(95) < 500ms";
  EXPECT_EQ(ThresholdLabel(t), "p(95) < 500ms");
  t.request_name = "login";
  EXPECT_EQ(ThresholdLabel(t), "p(95) < 500ms [login]");
}

TEST_F(JobMetricsTest, SourceWithoutSnapshotIsRejected) {
  JobMetricsCollectable collectable;
  JobMetricsSource source = Source();
  source.snapshot = nullptr;
  EXPECT_THROW(collectable.Add("r1", std::move(source)), std::invalid_argument);
}

TEST_F(JobMetricsTest, ScrapesWhileWorkersRecordStayConsistent) {
  JobMetricsCollectable collectable;
  collectable.Add("r1", Source());
  std::atomic<bool> stop{false};
  std::atomic<int> recorded{0};
  std::thread worker([&] {
    for (int i = 0; i < 2'000'000 && !stop; ++i) {
      stats_->ForWorker(1).RecordRequest(0, Sample(microseconds(100 + i % 5000), 200));
      recorded.store(i + 1, std::memory_order_relaxed);
    }
  });
  for (int scrape = 0; scrape < 20; ++scrape) {
    for (const MetricFamily& f : collectable.Collect()) {
      if (f.type != prometheus::MetricType::Histogram) continue;
      for (const ClientMetric& m : f.metric) {
        EXPECT_EQ(m.histogram.bucket.back().cumulative_count, m.histogram.sample_count);
        for (std::size_t b = 1; b < m.histogram.bucket.size(); ++b) {
          EXPECT_GE(m.histogram.bucket[b].cumulative_count,
                    m.histogram.bucket[b - 1].cumulative_count);
        }
      }
    }
  }
  stop = true;
  worker.join();
  const auto families = collectable.Collect();
  const ClientMetric& h =
      Series(families, "throng_http_request_duration_seconds", {{"name", "login"}});
  EXPECT_EQ(h.histogram.sample_count, 5u + static_cast<std::uint64_t>(recorded.load()));
}

}  // namespace
}  // namespace throng::api
