#include "throng/api/common/endpoint_stats.h"

#include <string>

#include "throng/api/common/histogram_buckets.h"
#include "throng/api/common/job_messages.h"

namespace throng::api {

v1::LatencySummary ToProto(const engine::LatencySummary& latency) {
  v1::LatencySummary out;
  out.set_min_ms(latency.min_ms);
  out.set_avg_ms(latency.avg_ms);
  out.set_p50_ms(latency.p50_ms);
  out.set_p90_ms(latency.p90_ms);
  out.set_p95_ms(latency.p95_ms);
  out.set_p99_ms(latency.p99_ms);
  out.set_max_ms(latency.max_ms);
  return out;
}

v1::EndpointStats EndpointReportOf(const engine::EndpointStats& stats,
                                   std::chrono::nanoseconds elapsed) {
  v1::EndpointStats out;
  FillEndpointReport(stats, elapsed, out);
  return out;
}

void FillEndpointReport(const engine::EndpointStats& stats, std::chrono::nanoseconds elapsed,
                        v1::EndpointStats& out) {
  out.set_name(stats.key.name);
  out.set_method(stats.key.method);
  out.set_requests(stats.requests);
  out.set_failures(stats.failures);
  *out.mutable_latency() = ToProto(stats.Latency());
  for (double quantile : kLocustPercentiles) {  // the columns the renderers print
    v1::Percentile* percentile = out.add_percentiles();
    percentile->set_quantile(quantile);
    percentile->set_ms(static_cast<double>(stats.latency.ValueAtPercentile(quantile * 100)) /
                       1000.0);
  }
  out.set_avg_content_length(stats.AvgContentLength());
  out.set_rps(engine::PerSecond(stats.requests, elapsed));
  out.set_failures_per_s(engine::PerSecond(stats.failures, elapsed));
  out.set_bytes_sent(stats.bytes_sent);
  out.set_bytes_received(stats.bytes_received);
  out.set_redirects(stats.redirects);
  FillHistogramBuckets(stats.latency, *out.mutable_latency_histogram());
  for (std::size_t kind = 1; kind < engine::kFailureKindCount; ++kind) {
    const auto failure = static_cast<engine::FailureKind>(kind);
    if (const std::uint64_t count = stats.FailuresOf(failure); count > 0) {
      (*out.mutable_failures_by_kind())[std::string(engine::FailureKindName(failure))] = count;
    }
  }
}

absl::StatusOr<engine::EndpointStats> EndpointStatsFromReport(const v1::EndpointStats& row) {
  engine::EndpointStats stats;
  stats.key = {row.name(), row.method()};
  stats.requests = row.requests();
  stats.failures = row.failures();
  stats.bytes_sent = row.bytes_sent();
  stats.bytes_received = row.bytes_received();
  stats.redirects = row.redirects();
  for (const auto& [name, count] : row.failures_by_kind()) {
    std::size_t kind = 1;
    while (kind < engine::kFailureKindCount &&
           engine::FailureKindName(static_cast<engine::FailureKind>(kind)) != name) {
      ++kind;
    }
    if (kind == engine::kFailureKindCount) {
      return absl::InvalidArgumentError("failures_by_kind: unknown failure kind \"" + name + "\"");
    }
    stats.failures_by_kind[kind] = count;
  }
  absl::StatusOr<engine::LatencyHistogram> latency = FromHistogramBuckets(row.latency_histogram());
  if (!latency.ok()) return latency.status();
  if (latency->Count() != row.requests()) {
    return absl::InvalidArgumentError(
        "latency_histogram: holds " + std::to_string(latency->Count()) + " samples for " +
        std::to_string(row.requests()) + " requests of \"" + row.name() + "\"");
  }
  stats.latency = std::move(*latency);
  return stats;
}

}  // namespace throng::api
