#include "throng/engine/stats.h"

#include <utility>

namespace throng::engine {

ThreadStats::ThreadStats(std::size_t endpoints) {
  endpoints_.reserve(endpoints);
  for (std::size_t i = 0; i < endpoints; ++i) endpoints_.push_back(std::make_unique<Endpoint>());
}

void ThreadStats::RecordRequest(std::uint32_t endpoint, const RequestSample& sample) {
  if (endpoint >= endpoints_.size()) return;
  Endpoint& e = *endpoints_[endpoint];
  Bump(e.requests, 1);
  if (sample.failure != FailureKind::kNone) {
    Bump(e.failures, 1);
    const auto kind = static_cast<std::size_t>(sample.failure);
    Bump(e.failures_by_kind[kind < kFailureKindCount ? kind : kFailureKindCount - 1], 1);
  }
  Bump(e.by_status[StatusSlot(sample.status)], 1);
  Bump(e.bytes_sent, sample.bytes_sent);
  Bump(e.bytes_received, sample.bytes_received);
  if (sample.redirects != 0) Bump(e.redirects, sample.redirects);
  e.latency.Record(sample.latency);
  e.service_time.Record(sample.service_time);
}

void ThreadStats::AddTo(StatsSnapshot& into) const {
  const std::size_t n = std::min(endpoints_.size(), into.endpoints.size());
  for (std::size_t i = 0; i < n; ++i) {
    const Endpoint& e = *endpoints_[i];
    EndpointStats& out = into.endpoints[i];
    out.requests += e.requests.Get();
    out.failures += e.failures.Get();
    for (std::size_t k = 0; k < kFailureKindCount; ++k) {
      out.failures_by_kind[k] += e.failures_by_kind[k].Get();
    }
    for (std::size_t s = 0; s < kStatusSlotCount; ++s) out.by_status[s] += e.by_status[s].Get();
    out.bytes_sent += e.bytes_sent.Get();
    out.bytes_received += e.bytes_received.Get();
    out.redirects += e.redirects.Get();
    out.latency.Add(e.latency);
    out.service_time.Add(e.service_time);
  }
  into.iterations += iterations_.Get();
  into.iterations_without_requests += iterations_without_requests_.Get();
  into.dropped_iterations += dropped_iterations_.Get();
  into.late_iterations += late_iterations_.Get();
  into.active_users += static_cast<std::int64_t>(active_users_.Get());
}

JobStats::JobStats(std::vector<EndpointKey> endpoints, std::size_t workers)
    : endpoints_(std::move(endpoints)) {
  workers_.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) {
    workers_.push_back(std::make_unique<ThreadStats>(endpoints_.size()));
  }
}

StatsSnapshot JobStats::Snapshot() const {
  StatsSnapshot snapshot;
  snapshot.endpoints.resize(endpoints_.size());
  for (std::size_t i = 0; i < endpoints_.size(); ++i) snapshot.endpoints[i].key = endpoints_[i];
  for (const auto& worker : workers_) worker->AddTo(snapshot);
  return snapshot;
}

}  // namespace throng::engine
