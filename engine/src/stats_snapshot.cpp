#include "throng/engine/stats_snapshot.h"

#include <algorithm>

namespace throng::engine {
namespace {
double Ms(std::uint64_t us) { return static_cast<double>(us) / 1000.0; }

void AddArray(auto& into, const auto& from) {
  for (std::size_t i = 0; i < into.size(); ++i) into[i] += from[i];
}
void SubtractArray(auto& from, const auto& earlier) {
  for (std::size_t i = 0; i < from.size(); ++i) from[i] -= std::min(from[i], earlier[i]);
}
std::uint64_t SaturatingMinus(std::uint64_t a, std::uint64_t b) { return a - std::min(a, b); }
}  // namespace

std::uint64_t StatusTally::Get(std::size_t slot) const {
  const auto it =
      std::lower_bound(counts_.begin(), counts_.end(), slot,
                       [](const auto& entry, std::size_t s) { return entry.first < s; });
  return it != counts_.end() && it->first == slot ? it->second : 0;
}

void StatusTally::Add(std::size_t slot, std::uint64_t n) {
  if (n == 0 || slot >= kStatusSlotCount) return;
  const auto it =
      std::lower_bound(counts_.begin(), counts_.end(), slot,
                       [](const auto& entry, std::size_t s) { return entry.first < s; });
  if (it != counts_.end() && it->first == slot) {
    it->second += n;
  } else {
    counts_.insert(it, {static_cast<std::uint16_t>(slot), n});
  }
}

void StatusTally::Add(const StatusTally& other) {
  for (const auto& [slot, count] : other.counts_) Add(slot, count);
}

void StatusTally::Subtract(const StatusTally& earlier) {
  for (auto& [slot, count] : counts_) count = SaturatingMinus(count, earlier.Get(slot));
  std::erase_if(counts_, [](const auto& entry) { return entry.second == 0; });
}

LatencySummary Summarize(const LatencyHistogram& h) {
  return {Ms(h.Min()),
          h.Mean() / 1000.0,
          Ms(h.ValueAtPercentile(50)),
          Ms(h.ValueAtPercentile(90)),
          Ms(h.ValueAtPercentile(95)),
          Ms(h.ValueAtPercentile(99)),
          Ms(h.Max())};
}

double PerSecond(std::uint64_t count, std::chrono::nanoseconds span) {
  if (span.count() <= 0) return 0.0;
  return static_cast<double>(count) / std::chrono::duration<double>(span).count();
}

LatencyHistogram& EndpointStats::DistinctServiceTime() {
  if (!distinct_service_time) distinct_service_time = latency;
  return *distinct_service_time;
}

double EndpointStats::FailureRatio() const {
  return requests == 0 ? 0.0 : static_cast<double>(failures) / static_cast<double>(requests);
}

double EndpointStats::AvgContentLength() const {
  return requests == 0 ? 0.0 : static_cast<double>(bytes_received) / static_cast<double>(requests);
}

void EndpointStats::Add(const EndpointStats& other) {
  requests += other.requests;
  failures += other.failures;
  AddArray(failures_by_kind, other.failures_by_kind);
  by_status.Add(other.by_status);
  bytes_sent += other.bytes_sent;
  bytes_received += other.bytes_received;
  redirects += other.redirects;
  // Made distinct (a copy of the latency so far) before the latency changes.
  if (distinct_service_time || other.distinct_service_time) {
    DistinctServiceTime().Add(other.ServiceTime());
  }
  latency.Add(other.latency);
}

void EndpointStats::Subtract(const EndpointStats& earlier) {
  requests = SaturatingMinus(requests, earlier.requests);
  failures = SaturatingMinus(failures, earlier.failures);
  SubtractArray(failures_by_kind, earlier.failures_by_kind);
  by_status.Subtract(earlier.by_status);
  bytes_sent = SaturatingMinus(bytes_sent, earlier.bytes_sent);
  bytes_received = SaturatingMinus(bytes_received, earlier.bytes_received);
  redirects = SaturatingMinus(redirects, earlier.redirects);
  if (distinct_service_time || earlier.distinct_service_time) {
    DistinctServiceTime().Subtract(earlier.ServiceTime());
  }
  latency.Subtract(earlier.latency);
}

EndpointStats StatsSnapshot::Aggregated() const {
  if (aggregated_summary) return *aggregated_summary;
  EndpointStats total;
  total.key = {"Aggregated", ""};
  for (const EndpointStats& e : endpoints) total.Add(e);
  return total;
}

EndpointStats EndpointStats::Since(const EndpointStats& earlier) const {
  EndpointStats interval;
  interval.key = key;
  interval.requests = SaturatingMinus(requests, earlier.requests);
  interval.failures = SaturatingMinus(failures, earlier.failures);
  interval.failures_by_kind = failures_by_kind;
  SubtractArray(interval.failures_by_kind, earlier.failures_by_kind);
  interval.by_status = by_status;
  interval.by_status.Subtract(earlier.by_status);
  interval.bytes_sent = SaturatingMinus(bytes_sent, earlier.bytes_sent);
  interval.bytes_received = SaturatingMinus(bytes_received, earlier.bytes_received);
  interval.redirects = SaturatingMinus(redirects, earlier.redirects);
  interval.latency = Difference(latency, earlier.latency);
  if (distinct_service_time || earlier.distinct_service_time) {
    interval.distinct_service_time = Difference(ServiceTime(), earlier.ServiceTime());
  }
  return interval;
}

void EndpointStats::DropHistograms() {
  latency_summary = Latency();
  latency = LatencyHistogram();
  distinct_service_time.reset();
}

void StatsSnapshot::DropHistograms() {
  EndpointStats aggregate = Aggregated();
  aggregate.DropHistograms();
  for (EndpointStats& endpoint : endpoints) endpoint.DropHistograms();
  aggregated_summary = std::move(aggregate);
}

StatsSnapshot StatsSnapshot::Minus(const StatsSnapshot& earlier) const {
  // Built field by field: copying the cumulative histograms only to subtract from them would
  // allocate every chunk the job ever used, once per interval.
  StatsSnapshot interval;
  interval.active_users = active_users;
  const std::size_t common = std::min(endpoints.size(), earlier.endpoints.size());
  interval.endpoints.reserve(endpoints.size());
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    // Not `i < common ? Since(...) : endpoints[i]`: that conditional copies the Since() result.
    if (i < common) {
      interval.endpoints.push_back(endpoints[i].Since(earlier.endpoints[i]));
    } else {
      interval.endpoints.push_back(endpoints[i]);
    }
  }
  interval.iterations = SaturatingMinus(iterations, earlier.iterations);
  interval.dropped_iterations = SaturatingMinus(dropped_iterations, earlier.dropped_iterations);
  interval.iterations_without_requests =
      SaturatingMinus(iterations_without_requests, earlier.iterations_without_requests);
  interval.late_iterations = SaturatingMinus(late_iterations, earlier.late_iterations);
  return interval;
}

}  // namespace throng::engine
