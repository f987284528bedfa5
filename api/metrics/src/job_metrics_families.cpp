#include "job_metrics_families.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "throng/engine/failure_kind.h"

namespace throng::api::detail {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricType;
using Labels = std::vector<ClientMetric::Label>;

constexpr double kSecondsPerUs = 1e-6;

Labels With(Labels labels, std::string name, std::string value) {
  labels.push_back({std::move(name), std::move(value)});
  return labels;
}

ClientMetric Counter(Labels labels, double value) {
  ClientMetric m;
  m.label = std::move(labels);
  m.counter.value = value;
  return m;
}

ClientMetric Gauge(Labels labels, double value) {
  ClientMetric m;
  m.label = std::move(labels);
  m.gauge.value = value;
  return m;
}

/// Exact cumulative bucket counts with LatencyHistogram::CountAtOrBelow's rule (an HDR bucket
/// counts under the first bound at or above its highest value, so `le` never holds a value above
/// its bound), in one pass over the occupied buckets instead of one pass per bound.
ClientMetric Histogram(Labels labels, const engine::LatencyHistogram& h,
                       const std::vector<double>& buckets) {
  ClientMetric m;
  m.label = std::move(labels);
  m.histogram.sample_count = h.Count();
  m.histogram.sample_sum = static_cast<double>(h.Sum()) * kSecondsPerUs;
  std::vector<std::uint64_t> bounds_us;
  bounds_us.reserve(buckets.size());
  for (double bound : buckets) {
    bounds_us.push_back(static_cast<std::uint64_t>(std::floor(bound * 1e6 + 1e-6)));
  }
  std::vector<std::uint64_t> counts(buckets.size(), 0);
  std::size_t j = 0;
  h.ForEachBucket([&](std::uint64_t, std::uint64_t highest_us, std::uint64_t count) {
    // Recorded values are clamped to kMaxValueUs, so the top bucket holds nothing above it.
    const std::uint64_t top = std::min(highest_us, engine::histogram_layout::kMaxValueUs);
    while (j < bounds_us.size() && bounds_us[j] < top) ++j;
    if (j < counts.size()) counts[j] += count;
  });
  m.histogram.bucket.reserve(buckets.size() + 1);
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < buckets.size(); ++b) {
    cumulative += counts[b];
    m.histogram.bucket.push_back({cumulative, buckets[b]});
  }
  m.histogram.bucket.push_back({h.Count(), std::numeric_limits<double>::infinity()});
  return m;
}

/// Expectation checks: every response with a status was checked; unexpected status and failed
/// expectations are the failed checks.
std::pair<std::uint64_t, std::uint64_t> Checks(const engine::EndpointStats& e) {
  const std::uint64_t checked = e.requests - std::min(e.requests, e.by_status.Get(0));
  const std::uint64_t failed = e.FailuresOf(engine::FailureKind::kUnexpectedStatus) +
                               e.FailuresOf(engine::FailureKind::kExpectationFailed);
  return {checked - std::min(checked, failed), failed};
}

}  // namespace

JobFamilies::JobFamilies() {
  const auto define = [this](Family f, const char* name, const char* help, MetricType type) {
    families_[f].name = name;
    families_[f].help = help;
    families_[f].type = type;
  };
  define(kRequests, "throng_http_requests_total", "Requests completed (status 0 = no response).",
         MetricType::Counter);
  define(kFailures, "throng_http_request_failures_total", "Failed requests by kind.",
         MetricType::Counter);
  define(kDuration, "throng_http_request_duration_seconds",
         "Request latency (coordinated-omission corrected in the open model).",
         MetricType::Histogram);
  define(kServiceTime, "throng_http_request_service_time_seconds",
         "Uncorrected send-to-response time.", MetricType::Histogram);
  define(kSentBytes, "throng_http_sent_bytes_total", "Bytes written.", MetricType::Counter);
  define(kReceivedBytes, "throng_http_received_bytes_total", "Bytes read.", MetricType::Counter);
  define(kRedirects, "throng_http_redirects_total",
         "Redirect hops followed (http.follow_redirects).", MetricType::Counter);
  define(kChecks, "throng_checks_total", "Expectation checks by result (pass, fail).",
         MetricType::Counter);
  define(kIterations, "throng_iterations_total", "Completed iterations.", MetricType::Counter);
  define(kDroppedIterations, "throng_dropped_iterations_total",
         "Open-model iterations that could not start.", MetricType::Counter);
  define(kLateIterations, "throng_late_iterations_total",
         "Open-model iterations that waited for a free user (their latency includes the wait).",
         MetricType::Counter);
  define(kActiveUsers, "throng_active_users", "Running virtual users.", MetricType::Gauge);
  define(kTargetUsers, "throng_target_users", "Users the schedule asks for.", MetricType::Gauge);
  define(kTargetRate, "throng_target_arrival_rate", "Open model: intended iterations per second.",
         MetricType::Gauge);
  define(kThresholdPassing, "throng_threshold_passing",
         "1 while the threshold holds, 0 when breached.", MetricType::Gauge);
  define(kRunInfo, "throng_run_info", "1; state is the job's state.", MetricType::Gauge);
}

void JobFamilies::AddJob(const JobMetricsSource& source) {
  const std::shared_ptr<const engine::StatsSnapshot> shared = source.snapshot();
  if (shared == nullptr) return;
  const engine::StatsSnapshot& snapshot = *shared;
  const std::vector<double>& buckets =
      source.buckets.empty() ? kDefaultLatencyBuckets : source.buckets;
  for (const engine::EndpointStats& endpoint : snapshot.endpoints) {
    AddEndpoint(source, endpoint, buckets);
  }
  const Labels job = {{"run", source.run}, {"test", source.test}};
  const auto add = [this](Family f, ClientMetric m) {
    families_[f].metric.push_back(std::move(m));
  };
  add(kIterations, Counter(job, static_cast<double>(snapshot.iterations)));
  add(kDroppedIterations, Counter(job, static_cast<double>(snapshot.dropped_iterations)));
  add(kLateIterations, Counter(job, static_cast<double>(snapshot.late_iterations)));
  add(kActiveUsers, Gauge(job, static_cast<double>(snapshot.active_users)));
  if (source.status) {
    const engine::JobStatus status = source.status();
    add(kTargetUsers, Gauge(job, status.target_users));
    add(kTargetRate, Gauge(job, status.target_rate));
    add(kRunInfo, Gauge(With(job, "state", std::string(engine::JobPhaseName(status.phase))), 1));
  }
  if (source.thresholds) {
    for (const ThresholdGauge& t : source.thresholds()) {
      add(kThresholdPassing, Gauge(With(job, "threshold", t.threshold), t.passing ? 1 : 0));
    }
  }
}

void JobFamilies::AddEndpoint(const JobMetricsSource& source, const engine::EndpointStats& e,
                              const std::vector<double>& buckets) {
  const Labels request = {
      {"run", source.run}, {"test", source.test}, {"name", e.key.name}, {"method", e.key.method}};
  const auto add = [this](Family f, ClientMetric m) {
    families_[f].metric.push_back(std::move(m));
  };
  e.by_status.ForEach([&](std::size_t slot, std::uint64_t count) {
    add(kRequests, Counter(With(request, "status", std::to_string(engine::StatusOfSlot(slot))),
                           static_cast<double>(count)));
  });
  for (std::size_t kind = 1; kind < engine::kFailureKindCount; ++kind) {
    if (e.failures_by_kind[kind] == 0) continue;
    const auto name = engine::FailureKindName(static_cast<engine::FailureKind>(kind));
    add(kFailures, Counter(With(request, "reason", std::string(name)),
                           static_cast<double>(e.failures_by_kind[kind])));
  }
  add(kDuration, Histogram(request, e.latency, buckets));
  add(kServiceTime, Histogram(request, e.ServiceTime(), buckets));
  add(kSentBytes, Counter(request, static_cast<double>(e.bytes_sent)));
  add(kReceivedBytes, Counter(request, static_cast<double>(e.bytes_received)));
  add(kRedirects, Counter(request, static_cast<double>(e.redirects)));
  const auto [passed, failed] = Checks(e);
  add(kChecks, Counter(With(request, "result", "pass"), static_cast<double>(passed)));
  add(kChecks, Counter(With(request, "result", "fail"), static_cast<double>(failed)));
}

std::vector<prometheus::MetricFamily> JobFamilies::Take() {
  std::vector<prometheus::MetricFamily> out;
  for (prometheus::MetricFamily& f : families_) {
    if (!f.metric.empty()) out.push_back(std::move(f));
  }
  return out;
}

}  // namespace throng::api::detail
