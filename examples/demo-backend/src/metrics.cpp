#include "metrics.h"

#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <map>
#include <utility>

namespace demo {
namespace {

uint64_t CountKey(size_t route, http::verb method, int status) {
  return (static_cast<uint64_t>(route) << 32) | (static_cast<uint64_t>(method) << 16) |
         static_cast<uint64_t>(status);
}

std::string StatusLabel(int status) {
  if (status == Metrics::kStatusReset) return "reset";
  if (status == Metrics::kStatusMalformed) return "malformed";
  return std::to_string(status);
}

std::vector<prometheus::ClientMetric::Label> Labels(const std::vector<std::string>& names,
                                                    uint64_t route, uint64_t method) {
  std::string route_name = route < names.size() ? names[route] : "unmatched";
  return {{"route", std::move(route_name)},
          {"method", std::string(http::to_string(static_cast<http::verb>(method)))}};
}

prometheus::MetricFamily Family(std::string name, std::string help, prometheus::MetricType type) {
  return prometheus::MetricFamily{std::move(name), std::move(help), type, {}};
}

prometheus::MetricFamily GaugeFamily(std::string name, std::string help, int64_t value) {
  prometheus::MetricFamily family =
      Family(std::move(name), std::move(help), prometheus::MetricType::Gauge);
  family.metric.emplace_back().gauge.value = static_cast<double>(value);
  return family;
}

}  // namespace

Metrics::Shard& Metrics::LocalShard() {
  // One backend per process, so a plain thread_local is enough.
  thread_local Shard* shard = nullptr;
  if (shard == nullptr) {
    auto owned = std::make_unique<Shard>();
    shard = owned.get();
    std::lock_guard lock(shards_mutex_);
    shards_.push_back(std::move(owned));
  }
  return *shard;
}

void Metrics::Record(size_t route_id, http::verb method, int status, double seconds) {
  Shard& shard = LocalShard();
  size_t bucket = std::lower_bound(kBounds.begin(), kBounds.end(), seconds) - kBounds.begin();
  std::lock_guard lock(shard.mutex);
  ++shard.counts[CountKey(route_id, method, status)];
  Histogram& histogram = shard.latency[CountKey(route_id, method, 0)];
  ++histogram.buckets[bucket];
  histogram.sum += seconds;
}

void Metrics::AddInFlight(int delta) {
  const int64_t now = in_flight_.fetch_add(delta) + delta;
  int64_t most = in_flight_max_.load();
  while (now > most && !in_flight_max_.compare_exchange_weak(most, now)) {
  }
}

std::string Metrics::Render(const std::vector<std::string>& route_names) const {
  std::map<uint64_t, uint64_t> counts;
  std::map<uint64_t, Histogram> latency;
  {
    std::lock_guard lock(shards_mutex_);
    for (const auto& shard : shards_) {
      std::lock_guard shard_lock(shard->mutex);
      for (const auto& [key, count] : shard->counts) counts[key] += count;
      for (const auto& [key, histogram] : shard->latency) {
        Histogram& merged = latency[key];
        for (size_t i = 0; i < merged.buckets.size(); ++i) {
          merged.buckets[i] += histogram.buckets[i];
        }
        merged.sum += histogram.sum;
      }
    }
  }
  std::vector<prometheus::MetricFamily> families;
  families.reserve(4);  // references into it are held while it fills
  families.push_back(GaugeFamily("demo_http_requests_in_flight",
                                 "Requests read and not yet answered (this scrape included).",
                                 in_flight_.load()));
  families.push_back(GaugeFamily("demo_http_requests_in_flight_max",
                                 "Most requests in flight at once since start.",
                                 in_flight_max_.load()));
  prometheus::MetricFamily& requests = families.emplace_back(
      Family("demo_http_requests_total", "Requests answered, by route pattern, method and status.",
             prometheus::MetricType::Counter));
  for (const auto& [key, count] : counts) {
    prometheus::ClientMetric& metric = requests.metric.emplace_back();
    metric.label = Labels(route_names, key >> 32, (key >> 16) & 0xffff);
    metric.label.push_back({"status", StatusLabel(static_cast<int>(key & 0xffff))});
    metric.counter.value = static_cast<double>(count);
  }
  prometheus::MetricFamily& durations = families.emplace_back(
      Family("demo_http_request_duration_seconds", "Time from request read to response written.",
             prometheus::MetricType::Histogram));
  for (const auto& [key, histogram] : latency) {
    prometheus::ClientMetric& metric = durations.metric.emplace_back();
    metric.label = Labels(route_names, key >> 32, (key >> 16) & 0xffff);
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBounds.size(); ++i) {
      cumulative += histogram.buckets[i];
      metric.histogram.bucket.push_back({cumulative, kBounds[i]});
    }
    // The +Inf bucket is the sample count (the serializer writes it).
    metric.histogram.sample_count = cumulative + histogram.buckets[kBounds.size()];
    metric.histogram.sample_sum = histogram.sum;
  }
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace demo
